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
    /// The first 8 bytes of a model file.
    public static let fileMagic: [UInt8] = Array("LEXISLM\n".utf8)
    /// The model file format version this Lexis writes and reads.
    public static let fileVersion: UInt32 = 1

    /// Writes the model atomically: architecture, tokenizer settings, ``training`` state, vocabulary
    /// and parameters, with a checksum.
    ///
    /// - Throws: `LexisError/cannotWrite(path:reason:)`.
    public func save(to path: String) throws(LexisError) {
        var body: [UInt8] = []
        body.reserveCapacity(vocabulary.count * 12 + 4096)
        ModelFile.append(headerText(), to: &body)
        ModelFile.append(strings: vocabulary.words, to: &body)
        try ModelFile.write(to: path, magic: Self.fileMagic, version: Self.fileVersion, body: body, parameters: store)
    }

    /// Reads a model written by ``save(to:)``.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for a file that is not a language model, has a newer version, is truncated, fails its
    ///   checksum or has an inconsistent header.
    public static func load(path: String) throws(LexisError) -> RecurrentLanguageModel {
        let bytes = try FileIO.readAll(path)
        let damaged = "The file is damaged or not a model: train it again with `lexis lm train`"
        func bad(_ problem: String, _ fix: String = damaged)
            -> LexisError { .malformed(path: path, line: nil, problem: problem, fix: fix) }
        var (reader, bodyEnd) = try ModelFile.open(bytes, magic: fileMagic, version: fileVersion, kind: "language model",
                                                   noun: "model", foreignFix: "Pass a file written by `lexis lm train -o`", damagedFix: damaged, bad: bad)
        guard let headerLength = reader.uint32(), let headerBytes = reader.bytes(Int(headerLength), limit: bodyEnd),
              let words = ModelFile.strings(&reader, limit: bodyEnd) else { throw bad("truncated model file") }
        let paramCount = try ModelFile.parameterCount(&reader, bytes: bytes, bodyEnd: bodyEnd, noun: "model", damagedFix: damaged, bad: bad)

        let header = String(decoding: headerBytes, as: UTF8.self)
        let fields = ModelFile.fields(header)
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
        let vocabulary = try ModelFile.vocabulary(words, count: config.vocabularySize) { bad($0, damaged) }
        let model = try RecurrentLanguageModel(config: config, vocabulary: vocabulary, tokenizer: tokenizer)
        guard model.store.count == Int(paramCount) else {
            throw bad("parameter count \(paramCount) does not match the architecture (\(model.store.count))")
        }
        ModelFile.readParameters(bytes, at: reader.offset, into: model.store)
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
