import Foundation
import Testing
import LexisText
import LexisVocab
import LexisTestSupport

/// A corpus with a known Zipf-like distribution, written to a temporary folder.
func makeCorpus(in dir: URL, files: Int = 3, lines: Int = 300) -> (paths: [String], counts: [String: Int64]) {
    var counts: [String: Int64] = [:]
    var paths: [String] = []
    var rng = RandomGenerator(seed: 7)
    for f in 0..<files {
        var text = ""
        for _ in 0..<lines {
            let n = rng.next(below: 20)
            var words: [String] = []
            for _ in 0..<n {
                let rank = Int(pow(Double(rng.next(below: 1000) + 1), 1.6)) % 500
                words.append("w\(rank)")
            }
            for w in words { counts[w, default: 0] += 1 }
            text += words.joined(separator: " ") + "\n"
        }
        paths.append(TestSupport.writeOrFail(text, to: "c\(f).txt", in: dir))
    }
    return (paths, counts)
}

@Suite struct VocabularyTests {
    @Test(arguments: [1, 2, 5])
    func countsMatchAnIndependentCount(threads: Int) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (paths, expected) = makeCorpus(in: dir)
        let builder = VocabularyBuilder(tokenizer: TokenizerOptions(), minCount: 1, threads: threads)
        let (vocabulary, report) = try builder.build(try Corpus(paths: paths))
        #expect(vocabulary.count == expected.count)
        for (token, count) in expected {
            let id = try #require(vocabulary.id(of: token))
            #expect(vocabulary.counts[id] == count)
            #expect(vocabulary.tokens[id] == token)
        }
        #expect(vocabulary.totalCount == expected.values.reduce(0, +))
        #expect(report.corpusTokens == vocabulary.totalCount)
        // Ordered by count descending, ties by token.
        for i in 1..<vocabulary.count {
            let (a, b) = (vocabulary.counts[i - 1], vocabulary.counts[i])
            #expect(a > b || (a == b && vocabulary.tokens[i - 1] < vocabulary.tokens[i]))
        }
    }

    @Test func minCountAndMaxSize() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (paths, expected) = makeCorpus(in: dir)
        let corpus = try Corpus(paths: paths)
        let (v, _) = try VocabularyBuilder(minCount: 10).build(corpus)
        #expect(v.count == expected.values.filter { $0 >= 10 }.count)
        #expect(v.counts.allSatisfy { $0 >= 10 })
        let (top, _) = try VocabularyBuilder(minCount: 1, maxSize: 7).build(corpus)
        #expect(top.count == 7)
        #expect(top.counts[0] == expected.values.max())
    }

    @Test func pruningKeepsFrequentTypesAndSaysSo() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = ""
        for i in 0..<5000 { text += "common rare\(i) common\n" }
        let path = TestSupport.writeOrFail(text, to: "p.txt", in: dir)
        let pruned = Counter()
        let builder = VocabularyBuilder(minCount: 1, threads: 1, pruneLimit: 1000)
        let (v, report) = try builder.build(try Corpus(paths: [path])) { event in
            if case .pruned = event { pruned.increment() }
        }
        #expect(pruned.value > 0)
        #expect(report.prunedBelow >= 2)
        #expect(v.id(of: "common") == 0)
        #expect(v.counts[0] == 10000)
    }

    @Test func aMemoryLimitBoundsTheTablesAndTheCountsOfFrequentTypesStayExact() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = ""
        for i in 0..<100_000 { text += "common rare\(i) word\(i % 10)\n" }
        let path = TestSupport.writeOrFail(text, to: "m.txt", in: dir)
        let exact = try VocabularyBuilder(minCount: 1, threads: 2).count(try Corpus(paths: [path]))
        #expect(exact.1.prunedBelow == 0 && exact.1.approximationNote == nil)
        #expect(exact.0.count == 100_011)
        var builder = VocabularyBuilder(minCount: 1, threads: 2)
        builder.memoryLimit = 3 << 20  // the 100k types take about 4.5 MB
        let (table, report) = try builder.count(try Corpus(paths: [path]))
        #expect(report.prunedBelow >= 2)
        #expect(report.approximationNote?.contains("approximate") == true)
        #expect(exact.0.memoryBytes > 3 << 20)
        #expect(table.count < 100_000)
        #expect(table.memoryBytes < 3 << 20)
        // Types frequent from the start are never pruned: their counts stay exact.
        #expect(table.value(for: "common") == 100_000)
        #expect(table.value(for: "word3") == 10_000)
    }

    @Test func idsFromBytesMatchIdsFromStrings() throws {
        let v = try Vocabulary(tokens: ["the", "straße", "北京", "😀"], counts: [10, 5, 3, 1], tokenizer: TokenizerOptions())
        for (i, token) in v.tokens.enumerated() {
            var t = token
            let id = t.withUTF8 { v.id(bytes: $0) }
            #expect(id == Int32(i))
        }
        var missing = "nope"
        #expect(missing.withUTF8 { v.id(bytes: $0) } == -1)
        #expect(throws: LexisError.self) { try Vocabulary(tokens: ["a", "a"], counts: [1, 1], tokenizer: TokenizerOptions()) }
    }

    /// Found by fuzzing (Tests/Fixtures/fuzz): counts from a file whose total overflows Int64 trapped.
    @Test func negativeOrOverflowingCountsAreRefused() throws {
        let big = Int64.max - 1
        #expect(throws: LexisError.self) { try Vocabulary(tokens: ["a", "b"], counts: [big, 2], tokenizer: TokenizerOptions()) }
        #expect(throws: LexisError.self) { try Vocabulary(tokens: ["a"], counts: [-1], tokenizer: TokenizerOptions()) }
        #expect(try Vocabulary(tokens: ["a", "b"], counts: [big, 1], tokenizer: TokenizerOptions()).totalCount == Int64.max)
    }

    @Test func saveLoadRoundTrip() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let options = TokenizerOptions(mode: .icu, caseFold: false, nfkc: true, keepPunctuation: true, locale: "ja")
        let v = try Vocabulary(tokens: ["the", "straße", "北京", "😀", "#"], counts: [10, 5, 3, 1, 1], tokenizer: options)
        let path = dir.appendingPathComponent("v.tsv").path
        try v.save(to: path)
        let loaded = try Vocabulary.load(path: path)
        #expect(loaded.tokens == v.tokens)
        #expect(loaded.counts == v.counts)
        #expect(loaded.tokenizer == options)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"))
    }

    @Test func readsWord2VecSaveVocab() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = TestSupport.writeOrFail("</s> 0\nthe 100\nof 50\n", to: "w2v.vocab", in: dir)
        let v = try Vocabulary.load(path: path)
        #expect(v.tokens == ["the", "of"])
        #expect(v.counts == [100, 50])
    }

    @Test(arguments: [
        ("", "the file is empty"),
        ("# lexis vocabulary 1\nthe\t10\nof\n", "v.tsv:3: expected token<TAB>count"),
        ("# lexis vocabulary 1\nthe\tmany\n", "v.tsv:2: the count 'many' is not a whole number"),
        ("# lexis vocabulary 1\n# tokens: 3\nthe\t10\n", "the header says 3 tokens but the file has 1"),
        ("# lexis vocabulary 9\nthe\t10\n", "version 9 is newer"),
        ("# some other file\n", "not a Lexis vocabulary"),
        ("the 10\nthe 5\n", "token 'the' appears twice"),
        ("the 9223372036854775807\nof 1\n", "add up to at most"),
        ("# lexis vocabulary 1\n# tokenizer: mode=quantum\n", "unknown tokenizer mode"),
    ])
    func corruptFilesGiveClearErrors(content: String, message: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = TestSupport.writeOrFail(content, to: "v.tsv", in: dir)
        do {
            _ = try Vocabulary.load(path: path)
            Issue.record("expected an error for \(content.debugDescription)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
            #expect("\(error)".contains("v.tsv"))
        }
    }

    @Test func binaryFileIsRejected() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.write(bytes: [0x4C, 0x45, 0x00, 0x01, 0xFF], to: "v.bin", in: dir)
        #expect(throws: LexisError.self) { try Vocabulary.load(path: path) }
    }

    @Test func keepProbabilityFollowsWord2Vec() throws {
        let v = try Vocabulary(tokens: ["a", "b", "c"], counts: [1_000_000, 1000, 1], tokenizer: TokenizerOptions())
        let keep = v.keepProbabilities(sample: 1e-4)
        let total = Double(v.totalCount)
        for (i, c) in v.counts.enumerated() {
            let f = Double(c) / (1e-4 * total)
            let expected = min(1, (f.squareRoot() + 1) / f)
            #expect(abs(Double(keep[i]) - expected) < 1e-6)
        }
        #expect(keep[2] == 1)
        #expect(v.keepProbabilities(sample: 0) == [1, 1, 1])
    }
}

@Suite struct AliasSamplerTests {
    @Test func exactProbabilitiesMatchWeights() {
        let weights = [5.0, 1, 0, 3, 0.5, 10, 2]
        let sampler = AliasSampler(weights: weights)
        let total = weights.reduce(0, +)
        for (p, w) in zip(sampler.probabilities(), weights) {
            #expect(abs(p - w / total) < 1e-6)
        }
    }

    @Test func samplesFollowTheDistribution() throws {
        let v = try Vocabulary(tokens: ["a", "b", "c", "d"], counts: [1000, 100, 10, 1], tokenizer: TokenizerOptions())
        let sampler = v.noiseDistribution()
        var rng = RandomGenerator(seed: 1)
        var hits = [Int](repeating: 0, count: 4)
        let n = 400_000
        for _ in 0..<n { hits[Int(sampler.sample(rng.next()))] += 1 }
        let weights = v.counts.map { pow(Double($0), 0.75) }
        let total = weights.reduce(0, +)
        for i in 0..<4 {
            let expected = weights[i] / total
            #expect(abs(Double(hits[i]) / Double(n) - expected) < 0.005)
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

