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
        body.reserveCapacity(vocabulary.count * 12 + 4096)
        ModelFile.append(headerText(), to: &body)
        ModelFile.append(strings: labels, to: &body)
        ModelFile.append(strings: vocabulary.words, to: &body)
        try ModelFile.write(to: path, magic: Self.fileMagic, version: Self.fileVersion, body: body, parameters: store)
    }

    public static func load(path: String) throws(LexisError) -> SentenceClassifier {
        let bytes = try FileIO.readAll(path)
        let damaged = "The file is damaged or not a classifier: train it again with `lexis classify train`"
        func bad(_ problem: String, _ fix: String = damaged)
            -> LexisError { .malformed(path: path, line: nil, problem: problem, fix: fix) }
        var (reader, bodyEnd) = try ModelFile.open(bytes, magic: fileMagic, version: fileVersion, kind: "classifier",
                                                   noun: "classifier", foreignFix: "Pass a file written by `lexis classify train -o`",
                                                   damagedFix: damaged, bad: bad)
        guard let headerLength = reader.uint32(), let headerBytes = reader.bytes(Int(headerLength), limit: bodyEnd),
              let labels = ModelFile.strings(&reader, limit: bodyEnd),
              let words = ModelFile.strings(&reader, limit: bodyEnd) else { throw bad("truncated classifier file") }
        let paramCount = try ModelFile.parameterCount(&reader, bytes: bytes, bodyEnd: bodyEnd, noun: "classifier", damagedFix: damaged, bad: bad)

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
        ModelFile.readParameters(bytes, at: reader.offset, into: classifier.store)
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
