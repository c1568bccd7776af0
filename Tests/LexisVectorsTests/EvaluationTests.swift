// Analogy and word-pair evaluation against numbers gensim computed on the same fixture files
// (make_fixtures.py): case-insensitivity, first-variant-wins, OOV and malformed lines included.
import Foundation
import LexisTestSupport
import LexisText
import LexisVectors
import Testing

@Suite struct EvaluationTests {
    let expected: [String: Any] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: fixtures + "/eval-expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    @Test(arguments: [60, 30])
    func analogiesMatchGensim(restrict: Int) throws {
        let v = try WordVectors.load(path: fixtures + "/eval-vectors.txt")
        let result = try v.evaluateAnalogies(path: fixtures + "/eval-questions.txt", restrictTo: restrict)
        let want = expected["analogy-\(restrict)"] as! [String: Any]
        let sections = want["sections"] as! [[Any]]
        #expect(result.sections.map(\.name) == sections.map { $0[0] as! String })
        #expect(result.sections.map(\.correct) == sections.map { $0[1] as! Int })
        #expect(result.sections.map(\.incorrect) == sections.map { $0[2] as! Int })
        #expect(abs(result.accuracy - (want["accuracy"] as! Double)) < 1e-12)
        // 81 well-formed questions; two-word and three-word lines are not questions.
        #expect(result.questions == 83)
        #expect(result.skipped == result.questions - result.answered)
    }

    @Test func wordPairsMatchGensim() throws {
        let v = try WordVectors.load(path: fixtures + "/eval-vectors.txt")
        let result = try v.evaluateSimilarity(path: fixtures + "/eval-pairs.tsv")
        let want = expected["pairs"] as! [String: Double]
        #expect(abs(result.spearman - want["spearman"]!) < 1e-6)
        #expect(abs(result.pearson - want["pearson"]!) < 1e-6)
        #expect(abs(result.oovRatio - want["oov_ratio"]!) < 1e-9)
        #expect(result.oov == 1)
        #expect(result.pairs == 30)
    }

    @Test func spearmanUsesAverageRanksForTies() throws {
        // Hand check: gold 1,2,2,3 (ranks 1, 2.5, 2.5, 4) against a model in the same order.
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let vectors = try WordVectors(words: ["a", "b", "c", "d", "e"], dimension: 2,
                                      vectors: [1, 0, 1, 0.1, 1, 0.5, 1, 1, 0, 1])
        // cos(a,b) > cos(a,c) > cos(a,d) > cos(a,e): pairs listed with gold scores increasing as cos falls.
        let pairs = try TestSupport.write("a\tb\t1\na\tc\t2\na\td\t2\na\te\t3\n", to: "p.tsv", in: dir)
        let result = try vectors.evaluateSimilarity(path: pairs)
        // Ranks: gold (1, 2.5, 2.5, 4), model descending so (4, 3, 2, 1): r = -0.9486833
        #expect(abs(result.spearman - (-0.9486832980505138)) < 1e-12)
    }

    @Test func clearErrorsForUnusableFiles() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let v = try toyVectors()
        let empty = try TestSupport.write("", to: "q.txt", in: dir)
        #expect(throws: LexisError.self) { try v.evaluateAnalogies(path: empty) }
        let noSection = try TestSupport.write("man king woman queen\n", to: "q2.txt", in: dir)
        #expect(throws: LexisError.self) { try v.evaluateAnalogies(path: noSection) }
        let unknown = try TestSupport.write("x\ty\t1\n", to: "p.tsv", in: dir)
        #expect(throws: LexisError.self) { try v.evaluateSimilarity(path: unknown) }
        #expect(throws: LexisError.self) { try v.evaluateAnalogies(path: dir.path + "/missing.txt") }
        // All questions out of vocabulary: zero accuracy and zero coverage, not a failure.
        let oov = try TestSupport.write(": s\nfoo bar baz qux\n", to: "q3.txt", in: dir)
        let result = try v.evaluateAnalogies(path: oov)
        #expect(result.accuracy == 0 && result.coverage == 0 && result.skipped == 1)
    }
}
