// Classifier model files.
//
//   magic "LEXISCL\n" (8 bytes) | version UInt32 LE
//   header length UInt32 | header: UTF-8 "key=value" lines (config, tokenizer, training summary)
//   label count UInt32 | per label: byte length UInt32, UTF-8 bytes
//   word count UInt32 | per word: byte length UInt32, UTF-8 bytes
//   parameter count UInt64 | Float32 LE values (the flat buffer)
//   checksum UInt64 (FNV-1a of every byte after the magic and version)
//
// Written to a temporary file and renamed into place. Bad magic, a newer version, truncation,
// a checksum mismatch or an inconsistent header are typed errors.
import LexisTensor
import LexisText

extension SentenceClassifier {
    public static let fileMagic: [UInt8] = Array("LEXISCL\n".utf8)
    public static let fileVersion: UInt32 = 1

    public func save(to path: String) throws(LexisError) {
        var body: [UInt8] = []
        body.reserveCapacity(store.count * 4 + vocabulary.count * 12 + 4096)
        func appendString(_ s: String) {
            appendUInt32LE(&body, UInt32(s.utf8.count))
            body.append(contentsOf: s.utf8)
        }
        appendString(headerText())
        appendUInt32LE(&body, UInt32(labels.count))
        for l in labels { appendString(l) }
        appendUInt32LE(&body, UInt32(vocabulary.count))
        for w in vocabulary.words { appendString(w) }
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

    public static func load(path: String) throws(LexisError) -> SentenceClassifier {
        let bytes = try FileIO.readAll(path)
        func bad(_ problem: String, _ fix: String = "The file is damaged or not a classifier: train it again with `lexis classify train`")
            -> LexisError { .malformed(path: path, line: nil, problem: problem, fix: fix) }
        guard bytes.count >= 12, Array(bytes[0..<8]) == fileMagic else {
            throw bad("not a Lexis classifier (bad magic number)", "Pass a file written by `lexis classify train -o`")
        }
        var reader = ByteReader(bytes: bytes, offset: 8)
        let version = reader.uint32()!
        guard version <= fileVersion else {
            throw bad("classifier file version \(version) is newer than this lexis understands (\(fileVersion))", "Upgrade lexis")
        }
        guard bytes.count >= 12 + 8 else { throw bad("truncated classifier file") }
        let bodyEnd = bytes.count - 8
        let stored = bytes.withUnsafeBufferPointer { p in
            UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[bodyEnd...]).loadUnaligned(as: UInt64.self)
        }
        func strings(_ reader: inout ByteReader) -> [String]? {
            guard let n = reader.uint32(), Int(n) <= bodyEnd else { return nil }
            var out: [String] = []
            for _ in 0..<n {
                guard let len = reader.uint32(), let s = reader.bytes(Int(len), limit: bodyEnd) else { return nil }
                out.append(String(decoding: s, as: UTF8.self))
            }
            return out
        }
        guard let headerLength = reader.uint32(), let headerBytes = reader.bytes(Int(headerLength), limit: bodyEnd),
              let labels = strings(&reader), let words = strings(&reader) else { throw bad("truncated classifier file") }
        guard let paramCount = reader.uint64(), paramCount < UInt64(Int.max / 4),
              reader.offset + Int(paramCount) * 4 == bodyEnd else {
            throw bad("truncated classifier file (parameter block has the wrong length)")
        }
        let computed = bytes.withUnsafeBufferPointer { fnv1a(UnsafeBufferPointer(rebasing: $0[12..<bodyEnd])) }
        guard UInt64(littleEndian: stored) == computed else { throw bad("checksum mismatch (the file is corrupt)") }

        var fields: [String: String] = [:]
        for line in String(decoding: headerBytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        func int(_ key: String) throws(LexisError) -> Int {
            guard let v = fields[key].flatMap({ Int($0) }) else { throw bad("header field '\(key)' is missing or not a number") }
            return v
        }
        guard let model = fields["model"].flatMap(ClassifierModelKind.init(rawValue:)),
              let cell = fields["cell"].flatMap(CellKind.init(rawValue:)),
              let pool = fields["pool"].flatMap(PoolKind.init(rawValue:)),
              let dropout = fields["dropout"].flatMap({ Float($0) }) else { throw bad("unknown model, cell, pool or dropout in header") }
        let config = ClassifierConfig(model: model, cell: cell, bidirectional: fields["bidirectional"] == "true",
                                      layers: try int("layers"), hidden: try int("hidden"), embedding: try int("embedding"),
                                      vocabularySize: try int("vocabulary"), bigramBuckets: try int("bigram_buckets"),
                                      classes: try int("classes"), pool: pool, dropout: dropout,
                                      frozenEmbedding: fields["frozen_embedding"] == "true")
        if let problem = config.problem { throw bad("inconsistent header: \(problem)") }
        let tokenizer = try TokenizerOptions(settings: fields["tokenizer"] ?? "")
        let vocabulary: LMVocabulary
        do { vocabulary = try LMVocabulary(words: words) } catch { throw bad("bad vocabulary: \(error)") }
        guard vocabulary.count == config.vocabularySize else { throw bad("vocabulary size does not match the header") }
        let classifier: SentenceClassifier
        do {
            classifier = try SentenceClassifier(config: config, vocabulary: vocabulary, labels: labels, tokenizer: tokenizer)
        } catch { throw bad("inconsistent header: \(error)") }
        guard classifier.store.count == Int(paramCount) else {
            throw bad("parameter count \(paramCount) does not match the architecture (\(classifier.store.count))")
        }
        bytes.withUnsafeBytes { raw in
            for i in 0..<classifier.store.count {
                let bits = raw.loadUnaligned(fromByteOffset: reader.offset + i * 4, as: UInt32.self)
                classifier.store.values[i] = Float(bitPattern: UInt32(littleEndian: bits))
            }
        }
        for (k, v) in fields where k.hasPrefix("train.") { classifier.trainingSummary[String(k.dropFirst(6))] = v }
        return classifier
    }

    func headerText() -> String {
        var lines = [
            "model=\(config.model.rawValue)", "cell=\(config.cell.rawValue)", "bidirectional=\(config.bidirectional)",
            "layers=\(config.layers)", "hidden=\(config.hidden)", "embedding=\(config.embedding)",
            "vocabulary=\(config.vocabularySize)", "bigram_buckets=\(config.bigramBuckets)", "classes=\(config.classes)",
            "pool=\(config.pool.rawValue)", "dropout=\(config.dropout)", "frozen_embedding=\(config.frozenEmbedding)",
            "tokenizer=\(tokenizer.description)",
        ]
        for (k, v) in trainingSummary.sorted(by: { $0.key < $1.key }) where !k.contains("\n") && !v.contains("\n") {
            lines.append("train.\(k)=\(v)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

private func appendUInt32LE(_ bytes: inout [UInt8], _ value: UInt32) {
    var v = value.littleEndian
    withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
}
