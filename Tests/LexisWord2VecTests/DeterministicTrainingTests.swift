import Foundation
import Testing
import LexisText
import LexisVocab
@testable import LexisWord2Vec
import LexisTestSupport

/// `config.deterministic`: the same vectors for a seed whatever the thread count.
@Suite struct DeterministicTrainingTests {
    func deterministicConfig(_ model: Word2VecConfig.Model, threads: Int, epochs: Int = 2) -> Word2VecConfig {
        var config = smallConfig(model, epochs: epochs, threads: threads)
        config.deterministic = true
        config.sample = 1e-2  // subsampling draws random numbers too
        return config
    }

    @Test(arguments: [Word2VecConfig.Model.skipGram, .cbow])
    func threadCountDoesNotChangeTheVectors(model: Word2VecConfig.Model) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = clusterCorpus(in: dir, lines: 1500)
        let one = try train(path, deterministicConfig(model, threads: 1))
        for threads in [2, 3, 4] {
            let other = try train(path, deterministicConfig(model, threads: threads))
            #expect(other.input.unpadded() == one.input.unpadded(), "\(threads) threads")
            #expect(other.output.unpadded() == one.output.unpadded(), "\(threads) threads")
            #expect(other.epochLosses == one.epochLosses)
        }
        var reseeded = deterministicConfig(model, threads: 2)
        reseeded.seed += 1
        #expect(try train(path, reseeded).input.unpadded() != one.input.unpadded())
    }

    @Test func subwordModelsToo() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = clusterCorpus(in: dir, lines: 600)
        for model in [Word2VecConfig.Model.skipGram, .cbow] {
            var config = deterministicConfig(model, threads: 1)
            config.minn = 2
            config.maxn = 4
            config.buckets = 500
            let one = try train(path, config)
            config.threads = 4
            #expect(try train(path, config).input.unpadded() == one.input.unpadded(), "\(model)")
        }
    }

    @Test(arguments: [Word2VecConfig.Model.skipGram, .cbow])
    func learnsTheClusters(model: Word2VecConfig.Model) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        expectClustersSeparate(try train(clusterCorpus(in: dir), deterministicConfig(model, threads: 2, epochs: 5)).wordVectors())
    }

    /// A vocabulary of thousands of words, drawn by a Zipf-like law: most noise words a part
    /// draws in a round are new to it, so CBOW logs their changes instead of copying the rows.
    func manyWordsCorpus(in dir: URL) -> String {
        var rng = RandomGenerator(seed: 9)
        var text = ""
        for _ in 0..<2000 {
            let words = (0..<10).map { _ in "w\(Int(pow(4000.0, Double(rng.nextFloat()))) - 1)" }
            text += words.joined(separator: " ") + "\n"
        }
        return TestSupport.writeOrFail(text, to: "many-words.txt", in: dir)
    }

    /// The logged changes reach the merge the same way at every thread count, and all of them
    /// count: the loss ends where one Hogwild thread's does.
    @Test func cbowLogsChangesAtAnyThreadCount() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = manyWordsCorpus(in: dir)
        var config = deterministicConfig(.cbow, threads: 1, epochs: 3)
        let one = try train(path, config)
        for threads in [2, 3] {
            config.threads = threads
            let other = try train(path, config)
            #expect(other.input.unpadded() == one.input.unpadded(), "\(threads) threads")
            #expect(other.output.unpadded() == one.output.unpadded(), "\(threads) threads")
        }
        config.threads = 1
        config.deterministic = false
        let reference = try train(path, config).epochLosses.last!
        // Measured: 2.856 deterministic (with copies instead of the log too), 2.766 Hogwild; 3.266
        // when the merge dropped the logged changes.
        #expect(one.epochLosses.last! < 1.05 * reference, "\(one.epochLosses) against \(reference)")
    }

    /// The merge threads' shares of a part's rows: every included row in exactly the share of
    /// its part, in the part's order, at any number of merge threads.
    @Test(arguments: [1, 2, 3, 16])
    func mergeSharesPartitionTheRows(parts: Int) {
        var random = RandomGenerator(seed: UInt64(parts))
        let ids = (0..<3000).map { _ in Int32(random.next(below: 70_000)) }
        var shares = MergeShares()
        defer { shares.deallocate() }
        for round in 0..<2 {  // the second sort reuses the buffers
            let included = { (k: Int) in round == 0 || k % 3 != 0 }
            ids.withUnsafeBufferPointer { shares.sort($0.baseAddress!, $0.count, shares: parts, included) }
            for p in 0..<parts {
                let expected = ids.indices.filter { included($0) && MergeShares.share(of: ids[$0], shares: parts) == p }
                #expect(shares.indices(of: p).map { Int($0) } == expected)
            }
        }
    }

    /// A corpus with no line breaks comes as a few long segments; rounds still cut it into short
    /// pieces, the same at every thread count.
    @Test func oneLongLine() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = try String(contentsOfFile: clusterCorpus(in: dir, lines: 1200), encoding: .utf8)
        let path = TestSupport.writeOrFail(lines.replacingOccurrences(of: "\n", with: " "), to: "one-line.txt", in: dir)
        let one = try train(path, deterministicConfig(.skipGram, threads: 1))
        let three = try train(path, deterministicConfig(.skipGram, threads: 3))
        #expect(three.input.unpadded() == one.input.unpadded())
        // Windows now span the old line ends (mixing the clusters), so compare with one Hogwild
        // thread on the same text: cutting the line into rounds costs little.
        var hogwild = deterministicConfig(.skipGram, threads: 1)
        hogwild.deterministic = false
        let reference = try train(path, hogwild).epochLosses.last!
        #expect(one.epochLosses.last! < 1.05 * reference, "\(one.epochLosses) against \(reference), rounds \(one.roundTokens ?? 0)")
    }

    /// Rounds far too long diverge: the epoch is trained again with shorter rounds, the summary
    /// says how often, and the result is still the same at any thread count.
    @Test func aDivergingEpochIsTrainedAgainAndReported() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // 16 words, every row hot: many rounds per part, each far too long.
        var state: UInt64 = 7
        var text = ""
        for _ in 0..<12_000 {
            for _ in 0..<8 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += "w\(state >> 60) "
            }
            text += "\n"
        }
        let path = TestSupport.writeOrFail(text, to: "sixteen.txt", in: dir)
        let corpus = try Corpus(paths: [path])
        let (vocabulary, _) = try VocabularyBuilder(minCount: 1, threads: 1).build(corpus)
        var results: [(summary: Word2VecSummary, trainer: Word2VecTrainer)] = []
        for threads in [1, 2] {
            let trainer = try Word2VecTrainer(vocabulary: vocabulary, config: deterministicConfig(.skipGram, threads: threads))
            // Rounds 64x the safe length: the hot rows take hundreds of stale updates per round.
            trainer.roundTokens = 64 * trainer.deterministicRoundTokens
            results.append((try trainer.train(corpus: corpus), trainer))
        }
        let (one, two) = (results[0], results[1])
        #expect(one.summary.epochsTrainedAgain > 0, "rounds 64x the safe length should diverge")
        #expect(one.trainer.roundTokens! < 64 * one.trainer.deterministicRoundTokens)
        #expect(two.summary.epochsTrainedAgain == one.summary.epochsTrainedAgain)
        #expect(two.trainer.input.unpadded() == one.trainer.input.unpadded())
        #expect(one.summary.epochLosses.allSatisfy { $0.isFinite })
    }

    /// A checkpoint keeps every virtual worker's generator: resuming ends as the straight run.
    @Test func resumeMatchesTheUninterruptedRun() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = clusterCorpus(in: dir, lines: 800)
        let config = deterministicConfig(.cbow, threads: 2, epochs: 3)
        let (straight, resumed) = try straightAndResumed(path, config, in: dir)
        #expect(resumed.config.deterministic && resumed.roundTokens == straight.roundTokens)
        #expect(resumed.input.unpadded() == straight.input.unpadded())
        #expect(resumed.output.unpadded() == straight.output.unpadded())
    }

    /// A round is as long as keeps the hottest input row within 10 updates per worker and the
    /// average row within 4, fewer when the learning rate is raised.
    @Test func roundLengthFollowsTheHottestRow() throws {
        let tail = (0..<500).map { "w\($0)" }
        let vocabulary = try Vocabulary(tokens: ["the"] + tail, counts: [1000] + tail.map { _ in 100 },
                                        tokenizer: TokenizerOptions())
        var config = smallConfig(.skipGram)  // window 3, no subsampling
        config.deterministic = true
        // "the" is 1,000 of 51,000 kept tokens and each token updates window + 1 = 4 input rows:
        // 10 / (4 x 1000 / 51000) = 127.5 tokens.
        #expect(try Word2VecTrainer(vocabulary: vocabulary, config: config).deterministicRoundTokens == 127)
        config.alpha = 0.1  // 4 x the default 0.025
        #expect(try Word2VecTrainer(vocabulary: vocabulary, config: config).deterministicRoundTokens == 31)
        config.alpha = nil
        config.sample = 1e-3  // "the" kept less often: longer rounds
        #expect(try Word2VecTrainer(vocabulary: vocabulary, config: config).deterministicRoundTokens > 127)
        // When every row is hot the average row binds: 16 words of equal counts take 4 / (4 / 16)
        // = 16 tokens (the hottest alone would allow 40).
        let even = (0..<16).map { "e\($0)" }
        let flat = try Vocabulary(tokens: even, counts: even.map { _ in 50 }, tokenizer: TokenizerOptions())
        config.sample = 0
        #expect(try Word2VecTrainer(vocabulary: flat, config: config).deterministicRoundTokens == 16)
    }

    @Test func stdinIsRefused() throws {
        let vocabulary = try Vocabulary(tokens: ["a", "b"], counts: [6, 4], tokenizer: TokenizerOptions())
        let trainer = try Word2VecTrainer(vocabulary: vocabulary, config: deterministicConfig(.skipGram, threads: 2, epochs: 1))
        #expect(throws: LexisError.self) { try trainer.train(corpus: try Corpus(paths: ["-"])) }
    }
}
