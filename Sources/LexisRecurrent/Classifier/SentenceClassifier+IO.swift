// Classifier model files (single models and ensembles): the shared framing (ModelFile) with HEAD
// (config, members, training summary), LABL (class names), VOCB (the vocabulary, tokenizer
// settings included) and PARM (each member's flat buffer, back to back).
//
// Version 2 added `members=K` (an ensemble of K models; a version 1 file holds one model);
// version 3 moved to the framing; version 4 added `loss` (ova), the cnn model and its
// `filter_widths` / `filters` (a version 3 file means softmax and no convolutions; an earlier
// Lexis refuses a version 4 file rather than read an ova model as softmax). Versions 1-3 still load. Written to a temporary file and
// renamed into place. Bad magic, a newer version, truncation, a checksum mismatch or an
// inconsistent header are typed errors.
import LexisTensor
import LexisText
import LexisVocab

extension SentenceClassifier {
    /// The first 8 bytes of a classifier file (single model or ensemble).
    public static var fileMagic: [UInt8] { ModelFile.classifier.magic }
    /// The classifier file format version this Lexis writes; versions 1 to 3 are read too.
    public static var fileVersion: UInt32 { ModelFile.classifier.version }

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
            "members=\(members)",
        ]
        // Files without these fields (before version 4) mean softmax and the default widths.
        lines += ["loss=\(config.loss.rawValue)", "filter_widths=\(config.filterWidths.map(String.init).joined(separator: ","))",
                  "filters=\(config.filters)"]
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
        try ModelFile.write(to: path, format: ModelFile.classifier,
                            header: members[0].headerText(members: members.count, summary: trainingSummary),
                            labels: labels, vocabulary: vocabulary, parameters: ModelFile.blocks(members.map(\.store)))
    }

    /// Reads a classifier file: an ensemble, or a single model as an ensemble of one.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for a file that is not a classifier, is newer, truncated, damaged or inconsistent.
    public static func load(path: String) throws(LexisError) -> ClassifierEnsemble {
        var file = try ModelFile.read(path: path, format: ModelFile.classifier, hasLabels: true,
                                      specialTokens: SentenceClassifier.specialTokens)
        let fields = file.fields
        let labels = file.labels
        func int(_ key: String) throws(LexisError) -> Int { try file.int(key) }
        func bad(_ problem: String) -> LexisError { file.bad(problem) }
        guard let model = fields["model"].flatMap(ClassifierModelKind.init(rawValue:)),
              let cell = fields["cell"].flatMap(CellKind.init(rawValue:)),
              let pool = fields["pool"].flatMap(PoolKind.init(rawValue:)),
              let dropout = fields["dropout"].flatMap({ Float($0) }) else { throw bad("unknown model, cell, pool or dropout in header") }
        var config = ClassifierConfig(model: model, cell: cell, bidirectional: fields["bidirectional"] == "true",
                                      layers: try int("layers"), hidden: try int("hidden"), embedding: try int("embedding"),
                                      vocabularySize: try int("vocabulary"), bigramBuckets: try int("bigram_buckets"),
                                      classes: try int("classes"), pool: pool, dropout: dropout,
                                      frozenEmbedding: fields["frozen_embedding"] == "true")
        if let loss = fields["loss"] {
            guard let kind = ClassifierLossKind(rawValue: loss) else { throw bad("unknown loss '\(loss)' in header") }
            config.loss = kind
        }
        if let list = fields["filter_widths"] {
            let widths = list.split(separator: ",").map { Int($0) }
            guard !widths.isEmpty, widths.allSatisfy({ $0 != nil }) else { throw bad("header field 'filter_widths' is not a list of numbers") }
            config.filterWidths = widths.map { $0! }
            config.filters = try int("filters")
        } else if model == .cnn {
            throw bad("header field 'filter_widths' is missing")
        }
        if let problem = config.problem { throw bad("inconsistent header: \(problem)") }
        let vocabulary = try file.vocabulary(count: config.vocabularySize)
        let paramCount = file.parameterCount
        // Version 1 files hold one model and no members field.
        let memberCount = fields["members"] == nil ? 1 : try int("members")
        func member() throws(LexisError) -> SentenceClassifier {
            do {
                return try SentenceClassifier(config: config, vocabulary: vocabulary, labels: labels)
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
        for m in members { try file.parameters.floats(perMember, into: m.store.values) }
        let ensemble: ClassifierEnsemble
        do { ensemble = try ClassifierEnsemble(members: members) } catch { throw bad("\(error)") }
        for (k, v) in fields where k.hasPrefix("train.") { ensemble.trainingSummary[String(k.dropFirst(6))] = v }
        return ensemble
    }
}

