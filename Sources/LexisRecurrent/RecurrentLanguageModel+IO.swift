// Model files.
//
//   magic "LEXISLM\n" (8 bytes) | version UInt32 LE
//   header length UInt32 | header: UTF-8 "key=value" lines (config, tokenizer, training state)
//   word count UInt32 | per word: byte length UInt32, UTF-8 bytes
//   parameter count UInt64 | Float32 LE values (the flat buffer)
//   checksum UInt64 (FNV-1a of every byte after the magic and version)
//
// Written to a temporary file and renamed into place. Bad magic, a newer version, truncation,
// a checksum mismatch or an inconsistent header are typed errors.
import LexisTensor
import LexisText

extension RecurrentLanguageModel {
    public static let fileMagic: [UInt8] = Array("LEXISLM\n".utf8)
    public static let fileVersion: UInt32 = 1

    public func save(to path: String) throws(LexisError) {
        var body: [UInt8] = []
        body.reserveCapacity(store.count * 4 + vocabulary.count * 12 + 4096)
        let header = headerText()
        appendUInt32(&body, UInt32(header.utf8.count))
        body.append(contentsOf: header.utf8)
        appendUInt32(&body, UInt32(vocabulary.count))
        for word in vocabulary.words {
            appendUInt32(&body, UInt32(word.utf8.count))
            body.append(contentsOf: word.utf8)
        }
        var count = UInt64(store.count).littleEndian
        withUnsafeBytes(of: &count) { body.append(contentsOf: $0) }
        let start = body.count
        body.append(contentsOf: repeatElement(0, count: store.count * 4))
        body.withUnsafeMutableBytes { raw in
            for i in 0..<store.count {
                raw.storeBytes(of: store.values[i].bitPattern.littleEndian, toByteOffset: start + i * 4, as: UInt32.self)
            }
        }
        let checksum = fnv1a(body)
        let writer = try AtomicFileWriter(path: path)
        try writer.write(Self.fileMagic)
        try writer.write((0..<4).map { UInt8(truncatingIfNeeded: Self.fileVersion >> (8 * $0)) })
        try writer.write(body)
        try writer.write((0..<8).map { UInt8(truncatingIfNeeded: checksum >> (8 * UInt64($0))) })
        try writer.commit()
    }

    public static func load(path: String) throws(LexisError) -> RecurrentLanguageModel {
        let bytes = try FileIO.readAll(path)
        func bad(_ problem: String, _ fix: String = "The file is damaged or not a model: train it again with `lexis lm train`")
            -> LexisError { .malformed(path: path, line: nil, problem: problem, fix: fix) }
        guard bytes.count >= 12, Array(bytes[0..<8]) == fileMagic else {
            throw bad("not a Lexis language model (bad magic number)", "Pass a file written by `lexis lm train -o`")
        }
        var reader = ByteReader(bytes: bytes, offset: 8)
        let version = reader.uint32()!
        guard version <= fileVersion else {
            throw bad("model file version \(version) is newer than this lexis understands (\(fileVersion))",
                      "Upgrade lexis")
        }
        guard bytes.count >= 12 + 8 else { throw bad("truncated model file") }
        let stored = bytes.withUnsafeBufferPointer { p in
            UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[(bytes.count - 8)...]).loadUnaligned(as: UInt64.self)
        }
        let bodyEnd = bytes.count - 8
        guard let headerLength = reader.uint32(), let headerBytes = reader.bytes(Int(headerLength), limit: bodyEnd),
              let wordCount = reader.uint32() else { throw bad("truncated model file") }
        var words: [String] = []
        // A corrupt count must not reserve gigabytes: each word takes at least 4 bytes.
        words.reserveCapacity(min(Int(wordCount), bytes.count / 4))
        for _ in 0..<wordCount {
            guard let n = reader.uint32(), let w = reader.bytes(Int(n), limit: bodyEnd) else { throw bad("truncated model file") }
            words.append(String(decoding: w, as: UTF8.self))
        }
        guard let paramCount = reader.uint64(), paramCount < UInt64(Int.max / 4),
              reader.offset + Int(paramCount) * 4 == bodyEnd else {
            throw bad("truncated model file (parameter block has the wrong length)")
        }
        let computed = bytes.withUnsafeBufferPointer { fnv1a(UnsafeBufferPointer(rebasing: $0[12..<bodyEnd])) }
        guard UInt64(littleEndian: stored) == computed else { throw bad("checksum mismatch (the file is corrupt)") }

        let header = String(decoding: headerBytes, as: UTF8.self)
        var fields: [String: String] = [:]
        for line in header.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        func int(_ key: String) throws(LexisError) -> Int {
            guard let v = fields[key].flatMap({ Int($0) }) else { throw bad("header field '\(key)' is missing or not a number") }
            return v
        }
        func double(_ key: String) throws(LexisError) -> Double {
            guard let v = fields[key].flatMap({ Double($0) }) else { throw bad("header field '\(key)' is missing or not a number") }
            return v
        }
        guard let cell = fields["cell"].flatMap(CellKind.init(rawValue:)) else { throw bad("unknown cell type in header") }
        let config = LanguageModelConfig(cell: cell, layers: try int("layers"), hidden: try int("hidden"),
                                         embedding: try int("embedding"), vocabularySize: try int("vocabulary"),
                                         tied: fields["tied"] == "true", dropout: Float(try double("dropout")),
                                         frozenEmbedding: fields["frozen_embedding"] == "true")
        if let problem = config.problem { throw bad("inconsistent header: \(problem)") }
        let tokenizer = try TokenizerOptions(settings: fields["tokenizer"] ?? "")
        let vocabulary: LMVocabulary
        do { vocabulary = try LMVocabulary(words: words) } catch { throw bad("bad vocabulary: \(error)") }
        guard vocabulary.count == config.vocabularySize else { throw bad("vocabulary size does not match the header") }
        let model = try RecurrentLanguageModel(config: config, vocabulary: vocabulary, tokenizer: tokenizer)
        guard model.store.count == Int(paramCount) else {
            throw bad("parameter count \(paramCount) does not match the architecture (\(model.store.count))")
        }
        bytes.withUnsafeBytes { raw in
            for i in 0..<model.store.count {
                let bits = raw.loadUnaligned(fromByteOffset: reader.offset + i * 4, as: UInt32.self)
                model.store.values[i] = Float(bitPattern: UInt32(littleEndian: bits))
            }
        }
        model.training = TrainingState(fields: fields)
        return model
    }

    func headerText() -> String {
        var lines = [
            "cell=\(config.cell.rawValue)", "layers=\(config.layers)", "hidden=\(config.hidden)",
            "embedding=\(config.embedding)", "vocabulary=\(config.vocabularySize)", "tied=\(config.tied)",
            "dropout=\(config.dropout)", "frozen_embedding=\(config.frozenEmbedding)",
            "tokenizer=\(tokenizer.description)",
            "epoch=\(training.epoch)", "seed=\(training.seed)", "best_valid_ppl=\(training.bestValidPerplexity)",
        ]
        for r in training.history {
            lines.append("history.\(r.epoch)=\(r.learningRate) \(r.trainPerplexity) \(r.validPerplexity) \(r.seconds)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension TrainingState {
    init(fields: [String: String]) {
        self.init()
        epoch = fields["epoch"].flatMap { Int($0) } ?? 0
        seed = fields["seed"].flatMap { UInt64($0) } ?? 1
        bestValidPerplexity = fields["best_valid_ppl"].flatMap { Double($0) } ?? .infinity
        for e in 1...max(1, epoch) {
            guard let parts = fields["history.\(e)"]?.split(separator: " ").compactMap({ Double($0) }), parts.count == 4 else { continue }
            history.append(EpochRecord(epoch: e, learningRate: parts[0], trainPerplexity: parts[1],
                                       validPerplexity: parts[2], seconds: parts[3]))
        }
    }
}

// MARK: - Byte helpers

private func appendUInt32(_ bytes: inout [UInt8], _ value: UInt32) {
    var v = value.littleEndian
    withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
}

func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
    return hash
}

struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    mutating func uint32() -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * k) }
        offset += 4
        return v
    }

    mutating func uint64() -> UInt64? {
        guard offset + 8 <= bytes.count else { return nil }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * k) }
        offset += 8
        return v
    }

    mutating func bytes(_ n: Int, limit: Int) -> ArraySlice<UInt8>? {
        guard n >= 0, offset + n <= limit else { return nil }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }
}
