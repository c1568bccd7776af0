// Language-model files: the shared framing (ModelFile) with HEAD (architecture, training state),
// VOCB (the vocabulary, tokenizer settings included) and PARM (the flat parameter buffer).
// Version 1 files (before the framing) still load. Written to a temporary file and renamed into
// place. Bad magic, a newer version, truncation, a checksum mismatch or an inconsistent header are
// typed errors.
import LexisTensor
import LexisText
import LexisVocab

extension RecurrentLanguageModel {
    /// The first 8 bytes of a model file.
    public static var fileMagic: [UInt8] { ModelFile.languageModel.magic }
    /// The model file format version this Lexis writes; version 1 files are read too.
    public static var fileVersion: UInt32 { ModelFile.languageModel.version }

    /// Writes the model atomically: architecture, ``training`` state, vocabulary (with the
    /// tokenizer settings) and parameters, with a checksum.
    ///
    /// - Throws: `LexisError/cannotWrite(path:reason:)`.
    public func save(to path: String) throws(LexisError) {
        try ModelFile.write(to: path, format: ModelFile.languageModel, header: headerText(), vocabulary: vocabulary,
                            parameters: ModelFile.blocks([store]))
    }

    /// Reads a model written by ``save(to:)`` (or by an earlier Lexis, format version 1).
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for a file that is not a language model, has a newer version, is truncated, fails its
    ///   checksum or has an inconsistent header.
    public static func load(path: String) throws(LexisError) -> RecurrentLanguageModel {
        var file = try ModelFile.read(path: path, format: ModelFile.languageModel, hasLabels: false,
                                      specialTokens: specialTokens)
        let fields = file.fields
        guard let cell = fields["cell"].flatMap(CellKind.init(rawValue:)) else { throw file.bad("unknown cell type in header") }
        let config = LanguageModelConfig(cell: cell, layers: try file.int("layers"), hidden: try file.int("hidden"),
                                         embedding: try file.int("embedding"), vocabularySize: try file.int("vocabulary"),
                                         tied: fields["tied"] == "true", dropout: Float(try file.double("dropout")),
                                         frozenEmbedding: fields["frozen_embedding"] == "true")
        if let problem = config.problem { throw file.bad("inconsistent header: \(problem)") }
        let vocabulary = try file.vocabulary(count: config.vocabularySize)
        let model: RecurrentLanguageModel
        do { model = try RecurrentLanguageModel(config: config, vocabulary: vocabulary) } catch {
            throw file.bad("inconsistent model: \(error)")
        }
        guard model.store.count == file.parameterCount else {
            throw file.bad("parameter count \(file.parameterCount) does not match the architecture (\(model.store.count))")
        }
        try file.parameters.floats(model.store.count, into: model.store.values)
        model.training = TrainingState(fields: fields)
        return model
    }

    func headerText() -> String {
        var lines = [
            "cell=\(config.cell.rawValue)", "layers=\(config.layers)", "hidden=\(config.hidden)",
            "embedding=\(config.embedding)", "vocabulary=\(config.vocabularySize)", "tied=\(config.tied)",
            "dropout=\(config.dropout)", "frozen_embedding=\(config.frozenEmbedding)",
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
