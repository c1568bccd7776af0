import Foundation
import LexisRecurrent
import LexisTensor
import LexisTestSupport
import LexisText
import LexisVocab
import Testing

@Suite struct LanguageModelTests {
    /// Trains a small LSTM on a repetitive corpus written to a temporary file.
    static func trainTiny(cell: CellKind = .lstm, epochs: Int = 40, lr: Double = 1, dropout: Float = 0,
                          optimizer: LMOptimizerKind = .sgd) throws -> (RecurrentLanguageModel, [Int32], URL) {
        let dir = try TestSupport.temporaryDirectory("lexis-lm")
        let path = try TestSupport.write(tinyCorpus(lines: 60), to: "train.txt", in: dir)
        let vocabulary = try RecurrentLanguageModel.buildVocabulary(path: path, tokenizer: .pretokenized)
        let ids = try vocabulary.encode(path: path)
        let config = LanguageModelConfig(cell: cell, layers: 2, hidden: 24, vocabularySize: vocabulary.count, dropout: dropout)
        let model = try RecurrentLanguageModel(config: config, vocabulary: vocabulary)
        model.initialize(seed: 5)
        var options = LMTrainingOptions()
        options.batch = 4; options.steps = 10; options.evalBatch = 2; options.epochs = epochs
        options.learningRate = lr; options.decayAfter = epochs; options.clip = 5
        options.optimizer = optimizer
        let trainer = try LMTrainer(model: model, options: options, train: ids, valid: ids)
        try trainer.run(outputPath: nil, checkpointPath: nil)
        return (model, ids, dir)
    }

    @Test func learnsATinyCorpusToNearZeroLoss() throws {
        let (model, ids, dir) = try Self.trainTiny()
        defer { try? FileManager.default.removeItem(at: dir) }
        let history = model.training.history
        #expect(history.count == 40)
        #expect(history.last!.trainPerplexity < history.first!.trainPerplexity / 3)
        let ppl = model.evaluate(tokens: ids, batch: 1, steps: 10)
        // A deterministic 4-sentence cycle: with context every next word is certain.
        #expect(ppl.perLoss < 0.05, "loss per token \(ppl.perLoss)")
        #expect(model.training.bestValidPerplexity < 1.06)
    }

    @Test func rnnAndDropoutAlsoLearn() throws {
        let (rnn, ids, d1) = try Self.trainTiny(cell: .rnn, epochs: 30, lr: 0.3)
        defer { try? FileManager.default.removeItem(at: d1) }
        #expect(rnn.evaluate(tokens: ids, batch: 1, steps: 10).value < 1.5)
        let (lstm, ids2, d2) = try Self.trainTiny(epochs: 30, dropout: 0.2)
        defer { try? FileManager.default.removeItem(at: d2) }
        #expect(lstm.evaluate(tokens: ids2, batch: 1, steps: 10).value < 1.5)
    }

    @Test func adamAlsoLearns() throws {
        let (model, ids, dir) = try Self.trainTiny(epochs: 25, lr: 0.01, optimizer: .adam)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(model.evaluate(tokens: ids, batch: 1, steps: 10).value < 1.5)
    }

    @Test func plateauScheduleDecaysOnlyAfterABadEpoch() throws {
        let model = tinyModel(cell: .rnn)
        var options = LMTrainingOptions()
        options.schedule = .plateau; options.learningRate = 1; options.decay = 0.5; options.batch = 2; options.steps = 3
        let trainer = try LMTrainer(model: model, options: options, train: Array(repeating: 1, count: 40), valid: nil)
        model.training.history = [30, 20, 25, 19, 19].enumerated().map {
            EpochRecord(epoch: $0.offset + 1, learningRate: 0, trainPerplexity: 0, validPerplexity: $0.element, seconds: 0)
        }
        #expect((1...6).map { trainer.learningRate(epoch: $0) } == [1, 1, 1, 0.5, 0.5, 0.25])
        options.schedule = .step; options.decayAfter = 2
        let step = try LMTrainer(model: model, options: options, train: Array(repeating: 1, count: 40), valid: nil)
        #expect((1...4).map { step.learningRate(epoch: $0) } == [1, 1, 0.5, 0.25])
    }

    @Test func generationIsDeterministicForASeedAndFollowsTheCorpus() throws {
        let (model, _, dir) = try Self.trainTiny()
        defer { try? FileManager.default.removeItem(at: dir) }
        let prompt = try model.vocabulary.encode(text: "the cat sat on")
        let a = model.generate(prompt: prompt, count: 20, temperature: 0.8, seed: 9)
        let b = model.generate(prompt: prompt, count: 20, temperature: 0.8, seed: 9)
        #expect(a == b && a.count == 20)
        let greedy = model.text(for: model.generate(prompt: prompt, count: 2, temperature: 0, seed: 1))
        #expect(greedy == "the mat")
        // Different seeds at a high temperature eventually differ.
        let hot = (1...5).map { model.generate(prompt: [], count: 30, temperature: 5, seed: UInt64($0)) }
        #expect(Set(hot.map { $0.map(String.init).joined(separator: ",") }).count > 1)
    }

    @Test func evaluationIsIndependentOfWorkspaceReuseAndCarriesState() throws {
        let model = tinyModel(cell: .lstm, vocabulary: 7)
        let tokens: [Int32] = (0..<103).map { Int32(($0 * 5 + $0 / 7) % 7) }
        let a = model.evaluate(tokens: tokens, batch: 2, steps: 5)
        let b = model.evaluate(tokens: tokens, batch: 2, steps: 5)
        #expect(a == b)
        #expect(a.tokens == 2 * (51 - 1))
        // One long segment and many short ones give the same loss: the state is carried exactly.
        let long = model.evaluate(tokens: tokens, batch: 1, steps: 200)
        let short = model.evaluate(tokens: tokens, batch: 1, steps: 3)
        #expect(abs(long.loss - short.loss) < 1e-4 * long.loss)
    }

    /// Adam's moments travel with a checkpoint: one epoch, save, load, one more epoch gives the
    /// same weights as two epochs straight; the state file round-trips and damage is an error.
    @Test(arguments: [LMOptimizerKind.adam, .sgd])
    func resumeContinuesTheOptimizer(optimizer: LMOptimizerKind) throws {
        let dir = try TestSupport.temporaryDirectory("lexis-lm")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.write(tinyCorpus(lines: 30), to: "train.txt", in: dir)
        let vocabulary = try RecurrentLanguageModel.buildVocabulary(path: path, tokenizer: .pretokenized)
        let ids = try vocabulary.encode(path: path)
        let config = LanguageModelConfig(cell: .lstm, layers: 1, hidden: 12, vocabularySize: vocabulary.count)
        var options = LMTrainingOptions()
        options.batch = 2; options.steps = 8; options.evalBatch = 2; options.epochs = 2
        options.learningRate = optimizer == .adam ? 0.01 : 1; options.optimizer = optimizer
        func fresh() throws -> RecurrentLanguageModel {
            let model = try RecurrentLanguageModel(config: config, vocabulary: vocabulary)
            model.initialize(seed: 3)
            return model
        }
        let straight = try fresh()
        try LMTrainer(model: straight, options: options, train: ids, valid: ids).run(outputPath: nil, checkpointPath: nil)

        let checkpoint = dir.appendingPathComponent("m.checkpoint").path
        var first = options
        first.epochs = 1
        try LMTrainer(model: try fresh(), options: first, train: ids, valid: ids).run(outputPath: nil, checkpointPath: checkpoint)
        let resumedModel = try RecurrentLanguageModel.load(path: checkpoint)
        let saved = try TrainerStateFile.load(path: TrainerStateFile.path(forCheckpoint: checkpoint))
        #expect(saved.optimizer == optimizer && saved.epoch == 1)
        #expect(saved.options.learningRate == options.learningRate && saved.options.steps == 8 && saved.options.epochs == 1)
        if optimizer == .adam { #expect(saved.state.steps > 0 && saved.state.buffers.count == 2) }
        let resumed = try LMTrainer(model: resumedModel, options: options, train: ids, valid: ids)
        #expect(resumed.restoreOptimizer(saved))
        try resumed.run(outputPath: nil, checkpointPath: nil)
        let a = Array(UnsafeBufferPointer(start: straight.store.values, count: straight.store.count))
        let b = Array(UnsafeBufferPointer(start: resumedModel.store.values, count: resumedModel.store.count))
        #expect(a == b)

        // A state from another epoch is refused; a damaged file is a clear error.
        let other = try LMTrainer(model: try fresh(), options: options, train: ids, valid: ids)
        #expect(!other.restoreOptimizer(saved))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: TrainerStateFile.path(forCheckpoint: checkpoint)))
        let damaged = try TestSupport.write(bytes: Array(bytes.dropLast(3)), to: "bad.trainer", in: dir)
        #expect(throws: LexisError.self) { try TrainerStateFile.load(path: damaged) }
    }
}

@Suite struct DataTests {
    @Test func batcherLaysOutParallelStreams() {
        let tokens: [Int32] = Array(0..<23)
        let batcher = LMBatcher(tokens: tokens, batch: 2, steps: 4)
        #expect(batcher.streamLength == 11 && batcher.predictionsPerStream == 10 && batcher.segmentCount == 3)
        let config = LanguageModelConfig(cell: .rnn, layers: 1, hidden: 2, vocabularySize: 30)
        let ws = LMWorkspace(config: config, batch: 2, steps: 4)
        #expect(batcher.fill(ws, segment: 0) == 4)
        // Time-major: row t*B + b. Stream 0 starts at 0, stream 1 at 11.
        #expect((0..<8).map { ws.inputs[$0] } == [0, 11, 1, 12, 2, 13, 3, 14])
        #expect((0..<8).map { ws.targets[$0] } == [1, 12, 2, 13, 3, 14, 4, 15])
        #expect(batcher.fill(ws, segment: 2) == 2)   // the short last segment
        #expect((0..<4).map { ws.inputs[$0] } == [8, 19, 9, 20])
        #expect((0..<4).map { ws.targets[$0] } == [9, 20, 10, 21])
        #expect(batcher.tokenCount == 20)
    }

    @Test func vocabularyFromFileWithEosAndUnknown() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-vocab")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.write(" a b a\n\nc a b\n", to: "t.txt", in: dir)
        let v = try RecurrentLanguageModel.buildVocabulary(path: path, tokenizer: .pretokenized)
        #expect(Array(v.tokens.prefix(3)) == ["a", "<eos>", "b"])   // by count (a 3, b 2, <eos> 2), ties by bytes
        #expect(v.contains("c") && v.contains("<unk>") && v.count == 5)
        #expect(Set(v.tokens).count == v.tokens.count)
        for (i, w) in v.tokens.enumerated() { #expect(v.idOrUnknown(w) == Int32(i)) }
        let other = try TestSupport.write("a zebra\n", to: "o.txt", in: dir)
        #expect(try v.encode(path: other) == [v.idOrUnknown("a"), v.unknownID!, v.endOfSentenceID!])
        let pruned = try RecurrentLanguageModel.buildVocabulary(path: path, tokenizer: .pretokenized, minCount: 2)
        #expect(!pruned.contains("c"))
    }

    @Test(arguments: ["", "   \n\n \t\n"])
    func emptyTrainingTextIsATypedError(_ text: String) throws {
        let dir = try TestSupport.temporaryDirectory("lexis-vocab")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.write(text, to: "empty.txt", in: dir)
        #expect(throws: LexisError.self) { try RecurrentLanguageModel.buildVocabulary(path: path, tokenizer: .pretokenized) }
        #expect(throws: LexisError.self) { try RecurrentLanguageModel.buildVocabulary(path: dir.path + "/missing.txt", tokenizer: .pretokenized) }
    }

    @Test func configProblemsAreReported() {
        #expect(LanguageModelConfig(hidden: 8, embedding: 4, vocabularySize: 10, tied: true).problem != nil)
        #expect(LanguageModelConfig(layers: 0, vocabularySize: 10).problem != nil)
        #expect(LanguageModelConfig(vocabularySize: 10, dropout: 1).problem != nil)
        #expect(LanguageModelConfig(hidden: 8, embedding: 8, vocabularySize: 10, tied: true).problem == nil)
        #expect(throws: LexisError.self) {
            try RecurrentLanguageModel(config: LanguageModelConfig(vocabularySize: 99), vocabulary: tinyVocabulary())
        }
    }

    @Test func tiedModelSharesTheEmbeddingTable() {
        let model = tinyModel(cell: .lstm, hidden: 6, tied: true)
        #expect(model.output.weight == model.embedding.table)
        #expect(model.store.views.filter { $0.name.hasPrefix("output.weight") }.isEmpty)
        let untied = tinyModel(cell: .lstm, hidden: 6, embedding: 6)
        #expect(untied.parameterCount - model.parameterCount == 7 * 6)
    }
}
