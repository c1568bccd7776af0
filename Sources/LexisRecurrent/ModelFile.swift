// Language-model, classifier and trainer-state files, in the framing every Lexis binary file
// shares (LexisText's FramedFile: magic, version, tagged sections, checksum, atomic write):
//
//   HEAD  UTF-8 "key=value" lines (architecture, training state or settings)
//   LABL  the class names (classifiers): UInt32 count, then length-prefixed UTF-8
//   VOCB  the vocabulary, tokenizer settings included (`Vocabulary.write(to:)`)
//   PARM  Float32 values: each member's flat parameter buffer, back to back
//   PARZ  instead of PARM (classifiers, version 4): each parameter view encoded on its own, zero
//         rows left out, optionally in 8 bits (CompactParameters)
//
// Files of the versions before the framing (language model 1, classifier 1 and 2) are read by
// `legacyContents`: magic | version | header (UInt32 length + text) | [labels] | words | UInt64
// value count | Float32 values | FNV-1a checksum of every byte after the version.
import LexisTensor
import LexisText
import LexisVocab

enum ModelFile {
    static let languageModel = FramedFileFormat(
        magic: "LEXISLM\n", version: 2, firstFramedVersion: 2, name: "language model",
        damagedFix: "The file is damaged or not a model: train it again with `lexis lm train`")
    static let classifier = FramedFileFormat(
        magic: "LEXISCL\n", version: 4, firstFramedVersion: 3, name: "classifier",
        damagedFix: "The file is damaged or not a classifier: train it again with `lexis classify train`")
    static let trainerState = FramedFileFormat(
        magic: "LEXISTRN", version: 2, firstFramedVersion: 2, name: "trainer state",
        damagedFix: "Delete it to resume with the command line's settings and fresh optimizer moments")

    /// What a model file holds, whatever its version.
    struct Contents {
        var version: UInt32
        var fields: [String: String]
        var labels: [String]
        var vocabulary: Vocabulary?
        /// At the first parameter value.
        var parameters: ByteReader
        /// Float32 values in PARM; for PARZ, the section's bytes.
        var parameterCount: Int
        /// Whether the parameters are a PARZ section (CompactParameters), not PARM.
        var compact = false

        func bad(_ problem: String) -> LexisError { parameters.damaged(problem) }

        func int(_ key: String) throws(LexisError) -> Int {
            guard let v = fields[key].flatMap({ Int($0) }) else { throw bad("header field '\(key)' is missing or not a number") }
            return v
        }

        func double(_ key: String) throws(LexisError) -> Double {
            guard let v = fields[key].flatMap({ Double($0) }) else { throw bad("header field '\(key)' is missing or not a number") }
            return v
        }

        /// The vocabulary, checked against the size the header gives.
        func vocabulary(count: Int) throws(LexisError) -> Vocabulary {
            guard let vocabulary else { throw bad("the file has no vocabulary") }
            guard vocabulary.count == count else { throw bad("vocabulary size does not match the header") }
            return vocabulary
        }
    }

    /// Writes a framed model file atomically.
    static func write(to path: String, format: FramedFileFormat, header: String, labels: [String]? = nil,
                      vocabulary: Vocabulary?, parameters blocks: [UnsafeBufferPointer<Float>],
                      compactParameters: ByteWriter? = nil) throws(LexisError) {
        let file = try FramedFileWriter(path: path, format: format)
        var head = ByteWriter()
        head.append(bytes: header.utf8)
        try file.section("HEAD", head)
        if let labels {
            var list = ByteWriter()
            list.append(strings: labels)
            try file.section("LABL", list)
        }
        if let vocabulary {
            var words = ByteWriter()
            vocabulary.write(to: &words)
            try file.section("VOCB", words)
        }
        if let compactParameters {
            try file.section("PARZ", compactParameters)
        } else {
            try file.section("PARM", floats: blocks)
        }
        try file.commit()
    }

    /// The parameter blocks of `stores`, for ``write(to:format:header:labels:vocabulary:parameters:)``.
    static func blocks(_ stores: [ParameterStore]) -> [UnsafeBufferPointer<Float>] {
        stores.map { UnsafeBufferPointer(start: $0.values, count: $0.count) }
    }

    /// Reads any version of a model file. `specialTokens` are those the vocabulary of a legacy file
    /// had (they were not recorded then); without `legacyReadable`, a legacy file is an error
    /// naming its version.
    static func read(path: String, format: FramedFileFormat, hasLabels: Bool,
                     specialTokens: SpecialTokens, legacyReadable: Bool = true) throws(LexisError) -> Contents {
        let file = try FramedFile(path: path, format: format)
        if file.isLegacy {
            guard legacyReadable else {
                throw .malformed(path: path, line: nil,
                                 problem: "\(format.name) file version \(file.version) was written by an earlier Lexis (this one reads version \(format.version))",
                                 fix: format.damagedFix)
            }
            return try legacyContents(file, format: format, hasLabels: hasLabels, specialTokens: specialTokens)
        }
        var head = try file.section("HEAD")
        let fields = keyValueFields(String(decoding: try head.take(head.remaining), as: UTF8.self))
        var labels: [String] = []
        if hasLabels {
            var list = try file.section("LABL")
            labels = try list.strings()
        }
        var vocabulary: Vocabulary? = nil
        if file.has("VOCB") {
            var words = try file.section("VOCB")
            vocabulary = try Vocabulary(reading: &words)
        }
        if file.has("PARZ") && !file.has("PARM") {
            let parameters = try file.section("PARZ")
            return Contents(version: file.version, fields: fields, labels: labels, vocabulary: vocabulary,
                            parameters: parameters, parameterCount: parameters.remaining, compact: true)
        }
        let parameters = try file.section("PARM")
        return Contents(version: file.version, fields: fields, labels: labels, vocabulary: vocabulary,
                        parameters: parameters, parameterCount: parameters.remaining / 4)
    }

    /// A file of a version before the framing.
    private static func legacyContents(_ file: FramedFile, format: FramedFileFormat, hasLabels: Bool,
                                       specialTokens: SpecialTokens) throws(LexisError) -> Contents {
        let bytes = file.bytes
        guard bytes.count >= 12 + 8 else {
            throw .malformed(path: file.path, line: nil, problem: "truncated \(format.name) file", fix: format.damagedFix)
        }
        let bodyEnd = bytes.count - 8
        var body = ByteReader(bytes, range: 12..<bodyEnd, path: file.path, fix: format.damagedFix)
        let header = String(decoding: try body.take(try body.count(UInt32.self, bytesEach: 1)), as: UTF8.self)
        let labels = hasLabels ? try body.strings() : []
        let words = try body.strings()
        let count: UInt64 = try body.integer()
        guard count == UInt64(body.remaining / 4), body.remaining % 4 == 0 else {
            throw body.damaged("truncated \(format.name) file (parameter block has the wrong length)")
        }
        var stored = ByteReader(bytes, range: bodyEnd..<bytes.count, path: file.path, fix: format.damagedFix)
        var computed = FNV1a()
        bytes.withUnsafeBytes { computed.add(UnsafeRawBufferPointer(rebasing: $0[12..<bodyEnd])) }
        guard try stored.integer() == computed.value else { throw body.damaged("checksum mismatch (the file is corrupt)") }
        let fields = keyValueFields(header)
        let tokenizer = try TokenizerOptions(settings: fields["tokenizer"] ?? "")
        let vocabulary: Vocabulary
        do {
            vocabulary = try Vocabulary(tokens: words, counts: [Int64](repeating: 0, count: words.count),
                                        tokenizer: tokenizer, specialTokens: specialTokens)
        } catch { throw body.damaged("bad vocabulary: \(error)") }
        return Contents(version: file.version, fields: fields, labels: labels, vocabulary: vocabulary,
                        parameters: body, parameterCount: Int(count))
    }
}
