import Foundation
import Testing
import LexisText
import LexisVocab
import LexisVectors
@testable import LexisWord2Vec
import LexisTestSupport

/// Sentences drawn from two disjoint clusters of words: animals and tools.
func clusterCorpus(in dir: URL, lines: Int = 3000, seed: UInt64 = 5) -> String {
    let animals = ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "duck"]
    let tools = ["hammer", "saw", "drill", "wrench", "chisel", "pliers", "file", "axe"]
    var rng = RandomGenerator(seed: seed)
    var text = ""
    for _ in 0..<lines {
        let cluster = rng.next(below: 2) == 0 ? animals : tools
        let words = (0..<8).map { _ in cluster[rng.next(below: cluster.count)] }
        text += words.joined(separator: " ") + "\n"
    }
    return TestSupport.writeOrFail(text, to: "clusters.txt", in: dir)
}

func smallConfig(_ model: Word2VecConfig.Model = .skipGram, epochs: Int = 3, threads: Int = 1) -> Word2VecConfig {
    var config = Word2VecConfig()
    config.model = model
    config.dimension = 24
    config.window = 3
    config.negative = 4
    config.sample = 0
    config.epochs = epochs
    config.threads = threads
    config.seed = 42
    return config
}

func train(_ path: String, _ config: Word2VecConfig) throws -> Word2VecTrainer {
    let corpus = try Corpus(paths: [path])
    let (vocabulary, _) = try VocabularyBuilder(minCount: 1, threads: 1).build(corpus)
    let trainer = try Word2VecTrainer(vocabulary: vocabulary, config: config)
    _ = try trainer.train(corpus: corpus)
    return trainer
}

/// Trains `config` straight through, and again stopped after epoch 1 and resumed from its
/// checkpoint (written in `dir`): the two should end bit-identical.
func straightAndResumed(_ path: String, _ config: Word2VecConfig, in dir: URL) throws -> (straight: Word2VecTrainer, resumed: Word2VecTrainer) {
    let straight = try train(path, config)
    let corpus = try Corpus(paths: [path])
    let (vocabulary, _) = try VocabularyBuilder(minCount: 1, threads: 1).build(corpus)
    let first = try Word2VecTrainer(vocabulary: vocabulary, config: config)
    let checkpoint = dir.appendingPathComponent("run.ckpt").path
    do {
        _ = try first.train(corpus: corpus, afterEpoch: { (t) throws(LexisError) in
            try t.saveCheckpoint(to: checkpoint)
            throw LexisError.invalidArgument("stop after one epoch")
        })
    } catch {}
    #expect(first.epochsDone == 1)
    let resumed = try Word2VecTrainer.resume(from: checkpoint)
    #expect(resumed.epochsDone == 1)
    _ = try resumed.train(corpus: corpus)
    return (straight, resumed)
}

/// Every word of clusterCorpus has its nearest neighbour in its own cluster.
func expectClustersSeparate(_ vectors: WordVectors) {
    let animals: Set = ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "duck"]
    for word in vectors.words {
        let v = vectors.vector(for: word)!
        let nearest = vectors.words.filter { $0 != word }.max { cosine(v, vectors.vector(for: $0)!) < cosine(v, vectors.vector(for: $1)!) }!
        #expect(animals.contains(word) == animals.contains(nearest), "\(word) -> \(nearest)")
    }
}

func cosine(_ a: [Float], _ b: [Float]) -> Float {
    var dot: Float = 0, na: Float = 0, nb: Float = 0
    for i in 0..<a.count { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
    return dot / (na.squareRoot() * nb.squareRoot())
}

@Suite struct TrainerTests {
    @Test(arguments: [Word2VecConfig.Model.skipGram, .cbow])
    func clustersSeparate(model: Word2VecConfig.Model) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainer = try train(clusterCorpus(in: dir), smallConfig(model, epochs: 5, threads: 2))
        expectClustersSeparate(try trainer.wordVectors())
    }

    @Test(arguments: [Word2VecConfig.Model.skipGram, .cbow])
    func lossFalls(model: Word2VecConfig.Model) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = smallConfig(model, epochs: 4)
        let trainer = try train(clusterCorpus(in: dir, lines: 1500), config)
        let losses = trainer.epochLosses
        #expect(losses.count == 4)
        // Output rows start at zero, so the loss starts at (1 + negative) log 2 per example.
        let initial = Double(1 + config.negative) * log(2.0)
        #expect(losses.first! < 0.7 * initial, "\(losses)")
        #expect(losses.last! < losses.first!, "\(losses)")
    }

    @Test func sameSeedOneThreadIsBitIdentical() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = clusterCorpus(in: dir)
        var config = smallConfig()
        config.sample = 1e-2  // subsampling draws random numbers too
        let a = try train(path, config).input.unpadded()
        let b = try train(path, config).input.unpadded()
        #expect(a == b)
        config.seed = 43
        let c = try train(path, config).input.unpadded()
        #expect(a != c)
    }

    /// Stopping after epoch 1 and resuming from the checkpoint ends bit-identical to one run.
    @Test(arguments: [Word2VecConfig.Model.skipGram, .cbow])
    func resumeMatchesUninterruptedRun(model: Word2VecConfig.Model) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = clusterCorpus(in: dir, lines: 800)
        var config = smallConfig(model, epochs: 3)
        config.sample = 1e-2
        let (straight, resumed) = try straightAndResumed(path, config, in: dir)
        #expect(resumed.input.unpadded() == straight.input.unpadded())
        #expect(resumed.output.unpadded() == straight.output.unpadded())
        #expect(resumed.epochLosses == straight.epochLosses)
    }

    /// The learning rate falls linearly from alpha to the final rate (by default alpha x 0.5 /
    /// epochs, or --min-alpha) over all epochs, and the final rate survives a checkpoint.
    @Test func learningRateScheduleIsLinearToTheFinalRate() throws {
        let vocabulary = try Vocabulary(tokens: ["a", "b"], counts: [60, 40], tokenizer: TokenizerOptions())
        var config = smallConfig(.cbow, epochs: 2)
        var trainer = try Word2VecTrainer(vocabulary: vocabulary, config: config)
        let total = 2 * 100 + 1  // words of the run, +1 as in alpha(after:)
        #expect(trainer.alpha(after: 0) == 0.05)
        // 2 epochs: down to 0.05 x 0.25 = 0.0125, half way at 0.03125.
        #expect(abs(trainer.alpha(after: total / 2) - 0.03125) < 1e-3)
        #expect(abs(trainer.alpha(after: total) - 0.0125) < 1e-6)
        #expect(Word2VecConfig.defaultFinalAlphaFraction(epochs: 1) == 0.5)
        #expect(Word2VecConfig.defaultFinalAlphaFraction(epochs: 20) == 0.025)
        // The default final rate is written out, so a checkpoint keeps it; one written before the
        // final rate was recorded decayed to alpha x 1e-4 and resumes that way.
        #expect(try Word2VecConfig(settingsLine: config.settingsLine).finalAlpha == 0.0125)
        let legacy = config.settingsLine.replacingOccurrences(of: " min-alpha=0.0125", with: "")
        #expect(!legacy.contains("min-alpha"))
        #expect(abs(try Word2VecConfig(settingsLine: legacy).finalAlpha - 0.05 * 1e-4) < 1e-12)
        config.minAlpha = 0.01
        trainer = try Word2VecTrainer(vocabulary: vocabulary, config: config)
        #expect(abs(trainer.alpha(after: total / 2) - 0.03) < 1e-3)
        #expect(trainer.alpha(after: 10 * total) == 0.01)
        let restored = try Word2VecConfig(settingsLine: config.settingsLine)
        #expect(restored.finalAlpha == 0.01 && restored.startingAlpha == 0.05)
        // Subword models decay to nearly 0, as fastText's.
        var subword = smallConfig(.skipGram, epochs: 5)
        subword.minn = 3; subword.maxn = 5
        #expect(abs(subword.finalAlpha - 0.05 * 1e-4) < 1e-12)
        #expect(try Word2VecConfig(settingsLine: subword.settingsLine).finalAlpha == subword.finalAlpha)
        config.minAlpha = 0.1
        #expect(throws: LexisError.self) { try Word2VecTrainer(vocabulary: vocabulary, config: config) }
    }

    @Test func corruptCheckpointsAreClearErrors() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = clusterCorpus(in: dir, lines: 50)
        let trainer = try train(path, smallConfig(epochs: 1))
        let checkpoint = dir.appendingPathComponent("c.ckpt").path
        try trainer.saveCheckpoint(to: checkpoint)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        for (name, damaged) in [("truncated", bytes.prefix(bytes.count - 10)), ("foreign", Data("hello world".utf8)),
                                ("empty", Data())] {
            let damagedPath = try TestSupport.write(bytes: Array(damaged), to: name, in: dir)
            #expect(throws: LexisError.self, "\(name)") { try Word2VecTrainer.resume(from: damagedPath) }
        }
        // A checkpoint of version 1 (the layout before the shared framing) is refused by name.
        let v1 = Array("LEXISCKP".utf8) + [1, 0, 0, 0] + Array(bytes.dropFirst(12))
        let old = try TestSupport.write(bytes: v1, to: "v1.ckpt", in: dir)
        #expect { try Word2VecTrainer.resume(from: old) } throws: { "\($0)".contains("checkpoint version 1") }
    }

    @Test func emptyVocabularyIsAClearError() throws {
        let vocabulary = try Vocabulary(tokens: [], counts: [], tokenizer: TokenizerOptions())
        #expect(throws: LexisError.emptyVocabulary("Empty vocabulary. Try a smaller --min-count")) {
            try Word2VecTrainer(vocabulary: vocabulary, config: Word2VecConfig())
        }
    }

    /// What the trainer writes reads back as the same matrix (binary and .lexis exactly).
    @Test func outputRoundTrips() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainer = try train(clusterCorpus(in: dir, lines: 100), smallConfig(epochs: 1))
        let vectors = try trainer.wordVectors()
        let expected = trainer.input.unpadded()
        for name in ["v.bin", "v.lexis"] {
            let path = dir.appendingPathComponent(name).path
            try vectors.save(to: path)
            let loaded = try WordVectors.load(path: path)
            #expect(loaded.words == trainer.vocabulary.tokens)
            #expect(loaded.withUnsafeMatrix { Array($0) } == expected)
        }
    }
}

/// Epochs after the first replay the word ids kept in memory (`Word2VecConfig.wordIDMemory`):
/// the same vectors as reading the text every epoch, and when the ids do not fit, the text is read.
@Suite struct KeptWordIDTests {
    func run(_ path: String, _ config: Word2VecConfig, memory: Int) throws -> (Word2VecTrainer, Word2VecSummary) {
        var config = config
        config.wordIDMemory = memory
        let corpus = try Corpus(paths: [path])
        let (vocabulary, _) = try VocabularyBuilder(minCount: 1, threads: 1).build(corpus)
        let trainer = try Word2VecTrainer(vocabulary: vocabulary, config: config)
        let summary = try trainer.train(corpus: corpus)
        return (trainer, summary)
    }

    @Test(arguments: [Word2VecConfig.Model.skipGram, .cbow], [false, true])
    func replayGivesTheSameVectors(model: Word2VecConfig.Model, deterministic: Bool) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 24,000 words: the learning rate moves every 10,000 words read, so segment boundaries matter.
        let path = clusterCorpus(in: dir, lines: 3000)
        var config = smallConfig(model, epochs: 3, threads: deterministic ? 2 : 1)
        config.sample = 1e-2  // subsampling draws random numbers per word read
        config.deterministic = deterministic
        let (reading, readSummary) = try run(path, config, memory: 0)
        #expect(readSummary.wordIDBytes == 0)
        let (replaying, replaySummary) = try run(path, config, memory: 1 << 20)
        #expect(replaySummary.wordIDBytes == 4 * 24_000)
        #expect(replaying.input.unpadded() == reading.input.unpadded())
        #expect(replaying.output.unpadded() == reading.output.unpadded())
        #expect(replaying.epochLosses == reading.epochLosses)
        #expect(replaySummary.words == readSummary.words)
        // Too little memory: the ids are given up on and every epoch reads the text.
        let (tooSmall, smallSummary) = try run(path, config, memory: 4 * 1000)
        #expect(smallSummary.wordIDBytes == 0)
        #expect(tooSmall.input.unpadded() == reading.input.unpadded())
    }

    @Test func oneEpochKeepsNothing() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, summary) = try run(clusterCorpus(in: dir, lines: 200), smallConfig(.cbow, epochs: 1), memory: 1 << 20)
        #expect(summary.wordIDBytes == 0)
    }
}
