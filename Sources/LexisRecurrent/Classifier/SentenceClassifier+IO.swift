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

}

extension ClassifierConfig {
    /// The header fields of this architecture. Files without `loss`, `filter_widths` and
    /// `filters` (before version 4) mean softmax and the default widths.
    var headerFields: [String] {
        ["model=\(model.rawValue)", "cell=\(cell.rawValue)", "bidirectional=\(bidirectional)",
         "layers=\(layers)", "hidden=\(hidden)", "embedding=\(embedding)",
         "vocabulary=\(vocabularySize)", "bigram_buckets=\(bigramBuckets)", "classes=\(classes)",
         "pool=\(pool.rawValue)", "dropout=\(dropout)", "frozen_embedding=\(frozenEmbedding)",
         "loss=\(loss.rawValue)", "filter_widths=\(filterWidths.map(String.init).joined(separator: ","))",
         "filters=\(filters)"] + (votesByNeighbours ? ["neighbours=\(neighbours)", "memory=\(memory)"] : [])
    }

    /// The architecture the header fields `prefix + key` describe.
    static func read(_ file: ModelFile.Contents, prefix: String = "") throws(LexisError) -> ClassifierConfig {
        let fields = file.fields
        func int(_ key: String) throws(LexisError) -> Int { try file.int(prefix + key) }
        func field(_ key: String) -> String? { fields[prefix + key] }
        func bad(_ problem: String) -> LexisError { file.bad(problem) }
        guard let model = field("model").flatMap(ClassifierModelKind.init(rawValue:)),
              let cell = field("cell").flatMap(CellKind.init(rawValue:)),
              let pool = field("pool").flatMap(PoolKind.init(rawValue:)),
              let dropout = field("dropout").flatMap({ Float($0) }) else { throw bad("unknown model, cell, pool or dropout in header") }
        var config = ClassifierConfig(model: model, cell: cell, bidirectional: field("bidirectional") == "true",
                                      layers: try int("layers"), hidden: try int("hidden"), embedding: try int("embedding"),
                                      vocabularySize: try int("vocabulary"), bigramBuckets: try int("bigram_buckets"),
                                      classes: try int("classes"), pool: pool, dropout: dropout,
                                      frozenEmbedding: field("frozen_embedding") == "true")
        if let loss = field("loss") {
            guard let kind = ClassifierLossKind(rawValue: loss) else { throw bad("unknown loss '\(loss)' in header") }
            config.loss = kind
        }
        if let list = field("filter_widths") {
            let widths = list.split(separator: ",").map { Int($0) }
            guard !widths.isEmpty, widths.allSatisfy({ $0 != nil }) else { throw bad("header field 'filter_widths' is not a list of numbers") }
            config.filterWidths = widths.map { $0! }
            config.filters = try int("filters")
        } else if model == .cnn {
            throw bad("header field 'filter_widths' is missing")
        }
        if model == .knn || field("memory") != nil {
            config.neighbours = try int("neighbours")
            config.memory = try int("memory")
            // Checked before the memory is allocated: a corrupt count cannot reserve memory.
            // (A PARZ row costs at least one byte; a PARM row `featureSize` floats.)
            guard config.memory >= 1, config.memory <= file.parameterCount / (file.compact ? 1 : max(config.featureSize, 1)) else {
                throw bad("header field 'memory' (\(config.memory)) does not fit the parameter block")
            }
        }
        if let problem = config.problem { throw bad("inconsistent header: \(problem)") }
        return config
    }
}

extension ClassifierEnsemble {
    /// HEAD: the first member's architecture (all members' when they share it), `members=K`;
    /// for a mixed ensemble every member's fields as `member.k.key=value`; `weights=` unless
    /// equal; the training summary as `train.key=value`.
    func headerText() -> String {
        var lines = config.headerFields + ["members=\(members.count)"]
        if isMixed {
            for (k, m) in members.enumerated() { lines += m.config.headerFields.map { "member.\(k).\($0)" } }
        }
        if weights.contains(where: { $0 != weights[0] }) { lines.append("weights=\(weights.map { "\($0)" }.joined(separator: ","))") }
        for (k, v) in trainingSummary.sorted(by: { $0.key < $1.key }) where !k.contains("\n") && !v.contains("\n") {
            lines.append("train.\(k)=\(v)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes every member to one file, atomically, with ``trainingSummary``. Rows of zeros are
    /// left out (lossless: a bow model's unused bigram buckets); `quantization` stores the weight
    /// matrices in 8 bits, one scale per row (biases in 32), about 4 times smaller, and with
    /// ``ClassifierQuantization/pq`` the big embedding tables product-quantized, 8 times smaller.
    ///
    /// - Throws: `LexisError/cannotWrite(path:reason:)`.
    public func save(to path: String, quantization: ClassifierQuantization = .none) throws(LexisError) {
        var compact = ByteWriter()
        for m in members {
            let bigramRows = m.config.embeddingRows > m.config.vocabularySize ? [m.embedding.table.name: m.config.vocabularySize] : [:]
            CompactParameters.encode(m.store, quantization: quantization, groups: bigramRows, into: &compact)
        }
        if quantization != .none { trainingSummary["quantized"] = quantization.rawValue }
        try ModelFile.write(to: path, format: ModelFile.classifier, header: headerText(),
                            labels: labels, vocabulary: vocabulary, parameters: [], compactParameters: compact)
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
        func bad(_ problem: String) -> LexisError { file.bad(problem) }
        let shared = try ClassifierConfig.read(file)
        let vocabulary = try file.vocabulary(count: shared.vocabularySize)
        let paramCount = file.parameterCount
        // Version 1 files hold one model and no members field.
        let memberCount = fields["members"] == nil ? 1 : try file.int("members")
        let mixed = fields["member.0.model"] != nil
        // Checked before any member is allocated: a corrupt count cannot reserve memory.
        guard memberCount >= 1, memberCount <= max(paramCount, 1), !mixed || memberCount <= 64 else {
            throw bad("parameter count \(paramCount) does not match the architecture (\(memberCount) x members)")
        }
        var configs: [ClassifierConfig] = []
        for k in 0..<(mixed ? memberCount : 1) {
            let c = mixed ? try ClassifierConfig.read(file, prefix: "member.\(k).") : shared
            guard c.vocabularySize == shared.vocabularySize, c.classes == shared.classes else {
                throw bad("member \(k + 1)'s vocabulary or classes differ from the file's")
            }
            configs.append(c)
        }
        // Zero rows cost a PARZ section almost nothing, so it bounds the floats only loosely:
        // at most 1000 per byte, plus 16M (64 MB), before anything is allocated.
        let floatBound = file.compact ? paramCount * 1000 + (1 << 24) : paramCount + 4096
        func member(_ config: ClassifierConfig) throws(LexisError) -> SentenceClassifier {
            guard config.approximateParameterCount <= floatBound else {
                throw bad("the architecture in the header (\(config.approximateParameterCount) parameters) does not fit the parameter section")
            }
            do {
                return try SentenceClassifier(config: config, vocabulary: vocabulary, labels: labels)
            } catch { throw bad("inconsistent header: \(error)") }
        }
        var members = [try member(configs[0])]
        if file.compact {
            for k in 1..<memberCount { members.append(try member(configs[mixed ? k : 0])) }
            for (k, m) in members.enumerated() {
                guard !file.parameters.isAtEnd else {
                    throw bad("the parameter section holds \(k) members, not the header's (\(memberCount) x members)")
                }
                try CompactParameters.decode(&file.parameters, into: m.store)
            }
            guard file.parameters.isAtEnd else { throw bad("the parameter section is longer than the members' architectures") }
        } else if !mixed {
            let perMember = members[0].store.count
            guard memberCount <= paramCount / max(perMember, 1), memberCount * perMember == paramCount else {
                throw bad("parameter count \(paramCount) does not match the architecture (\(memberCount) x \(perMember))")
            }
            for _ in 1..<memberCount { members.append(try member(configs[0])) }
        } else {
            for c in configs.dropFirst() { members.append(try member(c)) }
            let total = members.reduce(0) { $0 + $1.store.count }
            guard total == paramCount else {
                throw bad("parameter count \(paramCount) does not match the members' architectures (\(total))")
            }
        }
        if !file.compact { for m in members { try file.parameters.floats(m.store.count, into: m.store.values) } }
        var weights: [Float]? = nil
        if let list = fields["weights"] {
            let w = list.split(separator: ",").map { Float($0) }
            guard w.allSatisfy({ $0 != nil }) else { throw bad("header field 'weights' is not a list of numbers") }
            weights = w.map { $0! }
        }
        let ensemble: ClassifierEnsemble
        do { ensemble = try ClassifierEnsemble(members: members, weights: weights) } catch { throw bad("\(error)") }
        for (k, v) in fields where k.hasPrefix("train.") { ensemble.trainingSummary[String(k.dropFirst(6))] = v }
        return ensemble
    }
}
