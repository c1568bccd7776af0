// Training with subwords (fastText's model): the skip-gram step follows the gradient, every kernel
// table agrees, the per-word row lists are fastText's n-grams, a small model learns unseen
// inflections, and a checkpoint resumes to the same result.
import Foundation
import Testing
import CKernels
import LexisTensor
import LexisText
import LexisVectors
import LexisVocab
@testable import LexisWord2Vec
import LexisTestSupport

/// The subword skip-gram loss in Double: h = mean of `rows`; sum over the `positives` first targets
/// of -log sigma(h . out), plus `positives` x sum over the others of -log sigma(-h . out).
func exactSubwordLoss(rows: [Int32], targets: [Int32], positives: Int, input: EmbeddingMatrix, output: EmbeddingMatrix) -> Double {
    let d = input.dimension
    func logSigmoid(_ x: Double) -> Double { -log1p(exp(-x)) }
    var h = [Double](repeating: 0, count: d)
    for r in rows { for i in 0..<d { h[i] += Double(input.row(Int(r))[i]) / Double(rows.count) } }
    var loss = 0.0
    for (k, t) in targets.enumerated() {
        var f = 0.0
        for i in 0..<d { f += h[i] * Double(output.row(Int(t))[i]) }
        loss -= k < positives ? logSigmoid(f) : Double(positives) * logSigmoid(-f)
    }
    return loss
}

/// Sentences about one stem each: its inflected forms among words only that stem's sentences use,
/// so a stem's forms share contexts as well as n-grams; `held` never appears.
let inflectionCompanions = ["horse": ["saddle", "hay", "gallop"], "cattle": ["milk", "herd", "barn"], "donkey": ["cart", "bray", "load"],
                            "monkey": ["banana", "tree", "swing"], "hammer": ["nail", "strike", "anvil"], "chisel": ["stone", "carve", "mallet"],
                            "ladder": ["climb", "rung", "roof"], "bucket": ["water", "well", "pour"]]

func inflectionCorpus(in dir: URL, held: Set<String>, lines: Int = 3000) -> String {
    let stems = inflectionCompanions
    let names = stems.keys.sorted()
    let endings = ["", "s", "ish", "like"]
    var rng = RandomGenerator(seed: 9)
    var text = ""
    for _ in 0..<lines {
        let stem = names[rng.next(below: names.count)]
        let companions = stems[stem]!
        var words: [String] = []
        while words.count < 8 {
            let word = rng.next(below: 2) == 0 ? stem + endings[rng.next(below: endings.count)]
                : companions[rng.next(below: companions.count)]
            if !held.contains(word) { words.append(word) }
        }
        text += words.joined(separator: " ") + "\n"
    }
    return TestSupport.writeOrFail(text, to: "inflections.txt", in: dir)
}

func subwordConfig(_ model: Word2VecConfig.Model, epochs: Int = 5, threads: Int = 1) -> Word2VecConfig {
    var config = smallConfig(model, epochs: epochs, threads: threads)
    config.minn = 3
    config.maxn = 5
    config.buckets = 5_000
    return config
}

@Suite struct SubwordTrainingTests {
    /// The update divided by -alpha is the gradient of the loss (each row gets the gradient of the
    /// mean, N times the row's own, as fastText does), against finite differences in Double.
    @Test func subwordSkipGramFollowsTheGradient() {
        let dimension = 20
        let rows: [Int32] = [1, 6, 7, 6]      // the center's row, n-gram rows, one repeated
        let targets: [Int32] = [2, 3, 0, 4]   // two context words, then two shared negatives
        let positives = 2
        let (input, output) = randomMatrices(rows: 8, dimension: dimension, seed: 5)
        let alpha: Float = 1e-3
        func gradient(of matrix: EmbeddingMatrix) -> [Double] {
            GradientCheck.numerical({ exactSubwordLoss(rows: rows, targets: targets, positives: positives, input: input, output: output) },
                                    x: matrix.base, indices: Array(0..<(matrix.rows * matrix.stride)), step: 1e-2)
        }
        let gradIn = gradient(of: input), gradOut = gradient(of: output)
        let inBefore = snapshot(input), outBefore = snapshot(output)
        let scratch = Word2VecScratch(stride: input.stride, maxContexts: 8, maxTargets: 8)
        let loss = rows.withUnsafeBufferPointer { r in
            targets.withUnsafeBufferPointer { t in
                Word2VecKernels.subwordSkipGram(rows: r.baseAddress!, rowCount: r.count, targets: t.baseAddress!, targetCount: t.count,
                                                positives: positives, negativeWeight: Float(positives), input: input, output: output, alpha: alpha,
                                                scratch: scratch, table: .shared)
            }
        }
        let (refIn, refOut) = randomMatrices(rows: 8, dimension: dimension, seed: 5)
        let exact = exactSubwordLoss(rows: rows, targets: targets, positives: positives, input: refIn, output: refOut)
        #expect(abs(loss - exact) < 1e-4 * max(1, exact), "loss \(loss) vs \(exact)")
        let inAfter = snapshot(input), outAfter = snapshot(output)
        var checked = 0
        for (before, after, numeric, isInput) in [(inBefore, inAfter, gradIn, true), (outBefore, outAfter, gradOut, false)] {
            for r in 0..<8 {
                // A repeated row gets the gradient once per occurrence, as its share of h counts twice.
                for c in 0..<dimension {
                    var analytic = -Double(after[r * dimension + c] - before[r * dimension + c]) / Double(alpha)
                    if isInput { analytic /= Double(rows.count) }
                    let expected = numeric[r * input.stride + c]
                    #expect(abs(analytic - expected) <= 2e-3 * max(abs(expected), 0.05),
                            "\(isInput ? "input" : "output") row \(r) col \(c): update \(analytic) vs finite difference \(expected)")
                    checked += 1
                }
            }
        }
        #expect(checked == 2 * 8 * dimension)
    }

    @Test func everyTableAgreesWithTheBaseline() {
        let levels = supportedKernelLevels()
        let rows: [Int32] = [3, 7, 1, 9, 2, 7]
        let targets: [Int32] = [5, 0, 8, 4, 6, 11]
        var results: [(String, Double, [Float])] = []
        for level in levels {
            guard let table = lexis_kernel_table_for(level)?.pointee else { continue }
            let (input, output) = randomMatrices(rows: 12, dimension: 37, seed: 11)
            let scratch = Word2VecScratch(stride: input.stride, maxContexts: 10, maxTargets: 6)
            let loss = rows.withUnsafeBufferPointer { r in
                targets.withUnsafeBufferPointer { t in
                    table.w2v_subword_skipgram(r.baseAddress, r.count, t.baseAddress, t.count, 3, 3, input.base, output.base,
                                               input.stride, 0.05, scratch.hidden, scratch.inputGradients, SigmoidTable.shared.kernelTable)
                }
            }
            results.append((String(cString: table.name), loss, snapshot(input) + snapshot(output)))
        }
        let (_, baseLoss, baseValues) = results[0]
        for (name, loss, values) in results.dropFirst() {
            #expect(abs(loss - baseLoss) < 1e-4 * max(1, abs(baseLoss)), "\(name) loss")
            #expect(zip(values, baseValues).allSatisfy { abs($0 - $1) < 1e-5 }, "\(name) rows")
        }
    }

    @Test func rowListsAreTheWordThenItsNgrams() throws {
        let corpus = try Corpus(paths: [inflectionCorpus(in: try TestSupport.temporaryDirectory(), held: [], lines: 50)])
        let (vocabulary, _) = try VocabularyBuilder(minCount: 1, threads: 1).build(corpus)
        let hashing = try SubwordHashing(minn: 3, maxn: 5, buckets: 5_000)
        let table = SubwordTable(vocabulary: vocabulary, hashing: hashing)
        for (id, token) in vocabulary.tokens.enumerated() {
            let rows = (table.start(Int32(id))..<table.end(Int32(id))).map { table.rows[$0] }
            #expect(rows == [Int32(id)] + hashing.bucketIDs(of: token).map { Int32(vocabulary.count) + $0 })
        }
    }

    /// An inflection never seen in training gets a vector from its n-grams whose nearest words
    /// include its stem, ahead of every word of the other stems' sentences.
    @Test(arguments: [Word2VecConfig.Model.skipGram, .cbow])
    func unseenInflectionsFindTheirStem(model: Word2VecConfig.Model) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let held: Set = ["horsely", "ladderish", "monkeys", "bucketlike", "chiselled"]
        let trainer = try train(inflectionCorpus(in: dir, held: held), subwordConfig(model, threads: 2))
        let vectors = try trainer.wordVectors()
        #expect(vectors.hasSubwords)
        for (unseen, stem) in [("horsely", "horse"), ("ladderish", "ladder"), ("monkeys", "monkey"), ("bucketlike", "bucket"),
                               ("chiselled", "chisel")] {
            #expect(!vectors.contains(unseen))
            let query = try #require(vectors.lookup(unseen))
            #expect(query.isFromSubwords)
            let nearest = vectors.neighbors(of: query, maximumCount: vectors.count).map(\.word)
            let rank = try #require(nearest.firstIndex(of: stem))
            let family = Set(["", "s", "ish", "like"].map { stem + $0 } + inflectionCompanions[stem]!)
            let firstForeign = try #require(nearest.firstIndex { !family.contains($0) })
            #expect(rank < firstForeign && rank < 7, "\(model): '\(unseen)' -> \(nearest.prefix(8))")
        }
    }

    @Test(arguments: [Word2VecConfig.Model.skipGram, .cbow])
    func resumeMatchesUninterruptedRun(model: Word2VecConfig.Model) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = inflectionCorpus(in: dir, held: [], lines: 400)
        let config = subwordConfig(model, epochs: 2)
        let (straight, resumed) = try straightAndResumed(path, config, in: dir)
        #expect(resumed.config.subwordHashing == config.subwordHashing)
        #expect(resumed.input.rows == straight.vocabulary.count + 5_000)
        #expect(resumed.input.unpadded() == straight.input.unpadded())
        #expect(resumed.output.unpadded() == straight.output.unpadded())
    }

    /// The saved vectors are fastText's composition of the trained rows, in .lexis and fastText .bin.
    @Test func savedVectorsAreTheMeanOfTheRows() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainer = try train(inflectionCorpus(in: dir, held: [], lines: 200), subwordConfig(.skipGram, epochs: 1))
        let vectors = try trainer.wordVectors()
        let d = trainer.config.dimension
        let table = try #require(trainer.subwords)
        for id in [0, 3, vectors.count - 1] {
            var mean = [Double](repeating: 0, count: d)
            let rows = table.start(Int32(id))..<table.end(Int32(id))
            for k in rows { for j in 0..<d { mean[j] += Double(trainer.input.row(Int(table.rows[k]))[j]) } }
            let got = vectors.vector(at: id)
            for j in 0..<d { #expect(abs(Double(got[j]) - mean[j] / Double(rows.count)) < 1e-6) }
        }
        for format in [VectorFormat.lexis, .fastText] {
            let path = dir.appendingPathComponent("v.\(format.rawValue)").path
            try vectors.save(to: path, format: format)
            let loaded = try WordVectors.load(path: path)
            #expect(loaded.withUnsafeMatrix { Array($0) } == vectors.withUnsafeMatrix { Array($0) })
            #expect(loaded.vector(for: "horsely") == vectors.vector(for: "horsely"))
            #expect(loaded.vector(for: "horsely") != nil)
        }
    }

    /// Releasing the input matrix while copying gives the same vectors and n-gram rows as the
    /// plain copy, frees the pages it has copied, and leaves a trainer that refuses to go on.
    @Test func releasingTheMatrixGivesTheSameVectors() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = inflectionCorpus(in: dir, held: [], lines: 200)
        let trainer = try train(corpus, subwordConfig(.cbow, epochs: 1))
        let copied = try trainer.wordVectors()
        let rowCount = trainer.input.rows, stride = trainer.input.stride
        let released = try trainer.releasingWordVectors()
        #expect(trainer.inputReleased)
        #expect(released.withUnsafeMatrix { Array($0) } == copied.withUnsafeMatrix { Array($0) })
        #expect(released.vector(for: "horsely") == copied.vector(for: "horsely") && copied.vector(for: "horsely") != nil)
        // Whole pages were given back: the second page's floats read as zero now (5,000 buckets
        // span many pages).
        let pageFloats = Int(sysconf(Int32(_SC_PAGESIZE))) / 4
        #expect(rowCount * stride > 3 * pageFloats)
        #expect((pageFloats..<(2 * pageFloats)).allSatisfy { trainer.input.base[$0] == 0 })
        #expect(throws: LexisError.self) { _ = try trainer.train(corpus: Corpus(paths: [corpus])) }
        #expect(throws: LexisError.self) { try trainer.saveCheckpoint(to: dir.appendingPathComponent("c").path) }
    }

    /// Summing each sentence position's rows once (subword CBOW's default) is the window-by-window
    /// step when no two positions of a window share a row: after an epoch the same matrices, up to
    /// rounding. Sentences are permutations of 8 words whose n-grams are all distinct.
    @Test func positionSumsMatchTheWindowStep() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let words = ["abc", "def", "ghi", "jkl", "mno", "pqr", "stu", "vwx"]
        var rng = RandomGenerator(seed: 5)
        var lines: [String] = []
        for _ in 0..<80 {
            var w = words
            for i in stride(from: w.count - 1, to: 0, by: -1) { w.swapAt(i, rng.next(below: i + 1)) }
            lines.append(w.joined(separator: " "))
        }
        let path = dir.appendingPathComponent("perm.txt").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        var config = subwordConfig(.cbow, epochs: 1)
        config.buckets = 200_000
        let summed = try train(path, config)
        config.positionSums = false
        let windowed = try train(path, config)
        let table = try #require(summed.subwords)
        var seen = Set<Int32>()
        for word in words {
            let id = Int32(try #require(summed.vocabulary.id(of: word)))
            for k in table.start(id)..<table.end(id) { #expect(seen.insert(table.rows[k]).inserted, "rows shared: pick other words") }
        }
        for (a, b) in [(summed.input, windowed.input), (summed.output, windowed.output)] {
            let x = a.unpadded(), y = b.unpadded()
            let scale = y.map(abs).max()!, worst = zip(x, y).map { abs($0 - $1) }.max()!
            #expect(scale > 0 && worst <= 1e-4 * scale, "worst \(worst) of \(scale)")
        }
    }
}
