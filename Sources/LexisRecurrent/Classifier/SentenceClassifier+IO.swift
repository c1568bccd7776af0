// Classifier model files (single models and ensembles).
//
//   magic "LEXISCL\n" (8 bytes) | version UInt32 LE
//   header length UInt32 | header: UTF-8 "key=value" lines (config, members, tokenizer, training summary)
//   label count UInt32 | per label: byte length UInt32, UTF-8 bytes
//   word count UInt32 | per word: byte length UInt32, UTF-8 bytes
//   parameter count UInt64 | Float32 LE values (each member's flat buffer, back to back)
//   checksum UInt64 (FNV-1a of every byte after the magic and version)
//
// Version 2 added `members=K` (an ensemble of K models); a version 1 file holds one model.
// Written to a temporary file and renamed into place. Bad magic, a newer version, truncation,
// a checksum mismatch or an inconsistent header are typed errors.
import LexisTensor
import LexisText

extension SentenceClassifier {
    /// The first 8 bytes of a classifier file (single model or ensemble).
    public static let fileMagic: [UInt8] = Array("LEXISCL\n".utf8)
    /// The classifier file format version this Lexis writes; version 1 files are read too.
    public static let fileVersion: UInt32 = 2

    /// Writes a file holding this one model.
    ///
    /// - Throws: `LexisError/cannotWrite(path:reason:)`.
    public func save(to path: String) throws(LexisError) {
        let single = try ClassifierEnsemble(members: [self])
        single.trainingSummary = trainingSummary
        try single.save(to: path)
    }

    /// Reads a file holding one model; an ensemble file is an error that says so.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for an ensemble, or a file that is not a classifier, is newer, truncated, damaged or
    ///   inconsistent.
    public static func load(path: String) throws(LexisError) -> SentenceClassifier {
        let ensemble = try ClassifierEnsemble.load(path: path)
        guard ensemble.members.count == 1 else {
            throw .malformed(path: path, line: nil, problem: "the file holds an ensemble of \(ensemble.members.count) classifiers",
                             fix: "Load it with ClassifierEnsemble.load")
        }
        let model = ensemble.members[0]
        model.trainingSummary = ensemble.trainingSummary
        return model
    }

    func headerText(members: Int, summary: [String: String]) -> String {
        var lines = [
            "model=\(config.model.rawValue)", "cell=\(config.cell.rawValue)", "bidirectional=\(config.bidirectional)",
            "layers=\(config.layers)", "hidden=\(config.hidden)", "embedding=\(config.embedding)",
            "vocabulary=\(config.vocabularySize)", "bigram_buckets=\(config.bigramBuckets)", "classes=\(config.classes)",
            "pool=\(config.pool.rawValue)", "dropout=\(config.dropout)", "frozen_embedding=\(config.frozenEmbedding)",
            "members=\(members)", "tokenizer=\(tokenizer.description)",
        ]
        for (k, v) in summary.sorted(by: { $0.key < $1.key }) where !k.contains("\n") && !v.contains("\n") {
            lines.append("train.\(k)=\(v)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension ClassifierEnsemble {
    /// Writes every member to one file, atomically, with ``trainingSummary``.
    ///
    /// - Throws: `LexisError/cannotWrite(path:reason:)`.
    public func save(to path: String) throws(LexisError) {
        let first = members[0]
        var body: [UInt8] = []
        body.reserveCapacity(vocabulary.count * 12 + 4096)
        ModelFile.append(first.headerText(members: members.count, summary: trainingSummary), to: &body)
        ModelFile.append(strings: labels, to: &body)
        ModelFile.append(strings: vocabulary.words, to: &body)
        try ModelFile.write(to: path, magic: SentenceClassifier.fileMagic, version: SentenceClassifier.fileVersion,
                            body: body, parameters: members.map(\.store))
    }

    /// Reads a classifier file: an ensemble, or a single model as an ensemble of one.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for a file that is not a classifier, is newer, truncated, damaged or inconsistent.
    public static func load(path: String) throws(LexisError) -> ClassifierEnsemble {
        let fileMagic = SentenceClassifier.fileMagic, fileVersion = SentenceClassifier.fileVersion
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

        let fields = ModelFile.fields(String(decoding: headerBytes, as: UTF8.self))
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
        let vocabulary = try ModelFile.vocabulary(words, count: config.vocabularySize) { bad($0, damaged) }
        // Version 1 files hold one model and no members field.
        let memberCount = fields["members"] == nil ? 1 : try int("members")
        func member() throws(LexisError) -> SentenceClassifier {
            do {
                return try SentenceClassifier(config: config, vocabulary: vocabulary, labels: labels, tokenizer: tokenizer)
            } catch { throw bad("inconsistent header: \(error)") }
        }
        let first = try member()
        let perMember = first.store.count
        // Checked before any further member is allocated: a corrupt count cannot reserve memory.
        guard memberCount >= 1, memberCount <= paramCount / max(perMember, 1), memberCount * perMember == paramCount else {
            throw bad("parameter count \(paramCount) does not match the architecture (\(memberCount) x \(perMember))")
        }
        var members = [first]
        for _ in 1..<memberCount { members.append(try member()) }
        var offset = reader.offset
        for m in members {
            ModelFile.readParameters(bytes, at: offset, into: m.store)
            offset += perMember * 4
        }
        let ensemble: ClassifierEnsemble
        do { ensemble = try ClassifierEnsemble(members: members) } catch { throw bad("\(error)") }
        for (k, v) in fields where k.hasPrefix("train.") { ensemble.trainingSummary[String(k.dropFirst(6))] = v }
        return ensemble
    }
}

