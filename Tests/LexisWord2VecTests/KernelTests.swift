import Foundation
import Testing
@testable import LexisWord2Vec
import LexisTestSupport
import LexisTensor
import CKernels

/// Matrices with small random values (both sides random, so every gradient is non-trivial).
func randomMatrices(rows: Int, dimension: Int, seed: UInt64) -> (EmbeddingMatrix, EmbeddingMatrix) {
    var state = seed
    func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2000) / 2000 - 0.5
    }
    let input = EmbeddingMatrix(rows: rows, dimension: dimension)
    let output = EmbeddingMatrix(rows: rows, dimension: dimension)
    for r in 0..<rows {
        for c in 0..<dimension {
            input.row(r)[c] = next()
            output.row(r)[c] = next()
        }
    }
    return (input, output)
}

/// The negative-sampling loss in Double with the exact sigmoid: sum over contexts j of
/// -log sigma(in_j . out_t0) - sum_k>0 log sigma(-in_j . out_tk). For CBOW the input is the mean.
func exactLoss(contexts: [Int32], targets: [Int32], input: EmbeddingMatrix, output: EmbeddingMatrix, cbow: Bool) -> Double {
    let d = input.dimension
    func logSigmoid(_ x: Double) -> Double { -log1p(exp(-x)) }
    let inputs: [[Double]]
    if cbow {
        var mean = [Double](repeating: 0, count: d)
        for c in contexts { for i in 0..<d { mean[i] += Double(input.row(Int(c))[i]) / Double(contexts.count) } }
        inputs = [mean]
    } else {
        inputs = contexts.map { c in (0..<d).map { Double(input.row(Int(c))[$0]) } }
    }
    var loss = 0.0
    for x in inputs {
        for (k, t) in targets.enumerated() {
            var f = 0.0
            for i in 0..<d { f += x[i] * Double(output.row(Int(t))[i]) }
            loss -= k == 0 ? logSigmoid(f) : logSigmoid(-f)
        }
    }
    return loss
}

func snapshot(_ m: EmbeddingMatrix) -> [Float] { m.unpadded() }

@Suite struct KernelTests {
    @Test func sigmoidTableMatchesExact() {
        let table = SigmoidTable.shared
        var worst = 0.0, worstLog = 0.0
        var x = -10.0
        while x <= 10 {
            worst = max(worst, abs(Double(table.sigmoid(Float(x))) - 1 / (1 + exp(-x))))
            if abs(x) < 8 { worstLog = max(worstLog, abs(Double(table.logSigmoid(Float(x))) + log1p(exp(-x)))) }
            x += 0.0137
        }
        #expect(worst < 4e-4)  // saturation at |x| = 8 costs sigma(-8) = 3.4e-4
        #expect(worstLog < 1e-5)
        var inside = 0.0
        x = -7.9
        while x <= 7.9 {
            inside = max(inside, abs(Double(table.sigmoid(Float(x))) - 1 / (1 + exp(-x))))
            x += 0.0071
        }
        #expect(inside < 2e-6)
    }

    /// The update a step applies, divided by -alpha, is the gradient of the loss: checked against
    /// central finite differences of the exact loss in Double, for every input and output value.
    @Test(arguments: [false, true])
    func stepFollowsTheGradient(cbow: Bool) {
        let dimension = 20
        let contexts: [Int32] = [1, 2, 3, 2]  // a repeated context word
        let targets: [Int32] = [0, 4, 5, 4]  // a repeated negative
        let (input, output) = randomMatrices(rows: 6, dimension: dimension, seed: 3)
        let alpha: Float = 1e-3
        // Numerical gradients first (the step changes the matrices).
        func gradient(of matrix: EmbeddingMatrix) -> [Double] {
            GradientCheck.numerical({ exactLoss(contexts: contexts, targets: targets, input: input, output: output, cbow: cbow) },
                                    x: matrix.base, indices: Array(0..<(matrix.rows * matrix.stride)), step: 1e-2)
        }
        let gradIn = gradient(of: input), gradOut = gradient(of: output)
        let inBefore = snapshot(input), outBefore = snapshot(output)
        let scratch = Word2VecScratch(stride: input.stride, maxContexts: 8, maxTargets: 8)
        contexts.withUnsafeBufferPointer { c in
            targets.withUnsafeBufferPointer { t in
                if cbow {
                    _ = Word2VecKernels.cbow(contexts: c.baseAddress!, contextCount: c.count, targets: t.baseAddress!,
                                             targetCount: t.count, input: input, output: output, alpha: alpha,
                                             scratch: scratch, table: .shared)
                } else {
                    _ = Word2VecKernels.skipGram(contexts: c.baseAddress!, contextCount: c.count, targets: t.baseAddress!,
                                                 targetCount: t.count, input: input, output: output, alpha: alpha,
                                                 scratch: scratch, table: .shared)
                }
            }
        }
        let inAfter = snapshot(input), outAfter = snapshot(output)
        var checked = 0
        for (before, after, numeric, stride) in [(inBefore, inAfter, gradIn, input.stride), (outBefore, outAfter, gradOut, output.stride)] {
            for r in 0..<6 {
                for c in 0..<dimension {
                    var analytic = -Double(after[r * dimension + c] - before[r * dimension + c]) / Double(alpha)
                    let expected = numeric[r * stride + c]
                    // CBOW (word2vec.c, gensim cbow_mean=1) gives every context row the gradient of
                    // the mean itself, i.e. B times the true gradient of the row.
                    if cbow && before == inBefore { analytic /= Double(contexts.count) }
                    // The update is computed in Float: compare with an absolute floor for tiny gradients.
                    #expect(abs(analytic - expected) <= 2e-3 * max(abs(expected), 0.05),
                            "row \(r) col \(c): update \(analytic) vs finite difference \(expected)")
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
        // Padding stays zero.
        for r in 0..<6 { for c in dimension..<input.stride { #expect(input.row(r)[c] == 0 && output.row(r)[c] == 0) } }
    }

    /// The SIMD kernels against a plain scalar reference of the same batched update.
    @Test(arguments: [false, true])
    func fastKernelMatchesNaiveReference(cbow: Bool) {
        let dimension = 37  // not a multiple of 16: exercises padding
        let contexts: [Int32] = [3, 7, 1, 9, 2, 7]
        let targets: [Int32] = [5, 0, 8, 4, 6, 11]
        let (input, output) = randomMatrices(rows: 12, dimension: dimension, seed: 11)
        let (refIn, refOut) = randomMatrices(rows: 12, dimension: dimension, seed: 11)
        let alpha: Float = 0.05
        let scratch = Word2VecScratch(stride: input.stride, maxContexts: 10, maxTargets: 6)
        let loss = contexts.withUnsafeBufferPointer { c in
            targets.withUnsafeBufferPointer { t in
                cbow ? Word2VecKernels.cbow(contexts: c.baseAddress!, contextCount: c.count, targets: t.baseAddress!,
                                            targetCount: t.count, input: input, output: output, alpha: alpha,
                                            scratch: scratch, table: .shared)
                    : Word2VecKernels.skipGram(contexts: c.baseAddress!, contextCount: c.count, targets: t.baseAddress!,
                                               targetCount: t.count, input: input, output: output, alpha: alpha,
                                               scratch: scratch, table: .shared)
            }
        }
        let refLoss = naiveStep(contexts: contexts, targets: targets, input: refIn, output: refOut, alpha: Double(alpha), cbow: cbow)
        #expect(abs(loss - refLoss) < 1e-3 * max(1, abs(refLoss)))
        for (a, b) in zip(snapshot(input) + snapshot(output), snapshot(refIn) + snapshot(refOut)) {
            #expect(abs(a - b) < 1e-5, "\(a) vs \(b)")
        }
    }

    /// Deterministic CBOW's step: target rows by address, left unchanged, their scales returned;
    /// adding scale x hidden to each afterwards gives the scalar reference's update.
    @Test func deferredCBOWMatchesNaiveReference() {
        let dimension = 37
        let contexts: [Int32] = [3, 7, 1, 9, 2, 7]
        let targets: [Int32] = [5, 0, 8, 4, 6, 11]
        let (input, output) = randomMatrices(rows: 12, dimension: dimension, seed: 13)
        let (refIn, refOut) = randomMatrices(rows: 12, dimension: dimension, seed: 13)
        let before = snapshot(output)
        let alpha: Float = 0.05
        let scratch = Word2VecScratch(stride: input.stride, maxContexts: 10, maxTargets: 6)
        let rows: [UnsafeMutablePointer<Float>?] = targets.map { output.row(Int($0)) }
        let loss = contexts.withUnsafeBufferPointer { c in
            rows.withUnsafeBufferPointer { t in
                lexis_kernels.w2v_cbow_deferred(c.baseAddress!, c.count, t.baseAddress!, t.count, input.base, input.stride,
                                                alpha, scratch.hidden, scratch.inputGradients, scratch.g,
                                                SigmoidTable.shared.kernelTable)
            }
        }
        #expect(snapshot(output) == before)
        for (k, t) in targets.enumerated() { lexis_kernels.axpy(scratch.g[k], scratch.hidden, output.row(Int(t)), output.stride) }
        let refLoss = naiveStep(contexts: contexts, targets: targets, input: refIn, output: refOut, alpha: Double(alpha), cbow: true)
        #expect(abs(loss - refLoss) < 1e-3 * max(1, abs(refLoss)))
        for (a, b) in zip(snapshot(input) + snapshot(output), snapshot(refIn) + snapshot(refOut)) {
            #expect(abs(a - b) < 1e-5, "\(a) vs \(b)")
        }
    }
}

/// Scalar reference: all gradients from the values before the step, then applied.
func naiveStep(contexts: [Int32], targets: [Int32], input: EmbeddingMatrix, output: EmbeddingMatrix,
               alpha: Double, cbow: Bool) -> Double {
    let d = input.dimension
    func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    let rowsIn: [[Double]] = cbow
        ? [(0..<d).map { i in contexts.reduce(0.0) { $0 + Double(input.row(Int($1))[i]) } / Double(contexts.count) }]
        : contexts.map { c in (0..<d).map { Double(input.row(Int(c))[$0]) } }
    let rowsOut: [[Double]] = targets.map { t in (0..<d).map { Double(output.row(Int(t))[$0]) } }
    var deltaIn = [[Double]](repeating: [Double](repeating: 0, count: d), count: rowsIn.count)
    var deltaOut = [[Double]](repeating: [Double](repeating: 0, count: d), count: targets.count)
    var loss = 0.0
    for (j, x) in rowsIn.enumerated() {
        for (k, y) in rowsOut.enumerated() {
            let f = zip(x, y).reduce(0.0) { $0 + $1.0 * $1.1 }
            let label = k == 0 ? 1.0 : 0.0
            loss -= k == 0 ? log(sigmoid(f)) : log(sigmoid(-f))
            let g = (label - sigmoid(f)) * alpha
            for i in 0..<d {
                deltaIn[j][i] += g * y[i]
                deltaOut[k][i] += g * x[i]
            }
        }
    }
    for (k, t) in targets.enumerated() { for i in 0..<d { output.row(Int(t))[i] += Float(deltaOut[k][i]) } }
    if cbow {
        for c in contexts { for i in 0..<d { input.row(Int(c))[i] += Float(deltaIn[0][i]) } }
    } else {
        for (j, c) in contexts.enumerated() { for i in 0..<d { input.row(Int(c))[i] += Float(deltaIn[j][i]) } }
    }
    return loss
}

/// The kernel levels this CPU runs, baseline first.
func supportedKernelLevels() -> [lexis_kernel_level] {
    let best = KernelPath.choose(features: .current, request: nil).path
    var levels = [LEXIS_KERNELS_BASELINE]
    if best != .baseline { levels.append(LEXIS_KERNELS_AVX2) }
    if best == .avx512 { levels.append(LEXIS_KERNELS_AVX512) }
    return levels
}

/// The word2vec steps of every kernel table this CPU supports give the baseline table's update
/// (to rounding: FMA and lane counts differ).
@Suite struct Word2VecKernelTableTests {
    @Test(arguments: ["skipgram", "pair", "cbow"])
    func everyTableAgreesWithTheBaseline(_ step: String) {
        let levels = supportedKernelLevels()
        let contexts: [Int32] = [3, 7, 1, 9, 2, 7]
        let targets: [Int32] = [5, 0, 8, 4, 6, 11]
        var results: [(String, Double, [Float])] = []
        for level in levels {
            guard let table = lexis_kernel_table_for(level)?.pointee else { continue }
            let (input, output) = randomMatrices(rows: 12, dimension: 37, seed: 11)
            let scratch = Word2VecScratch(stride: input.stride, maxContexts: 10, maxTargets: 6)
            let sigmoid = SigmoidTable.shared.kernelTable
            let loss: Double = contexts.withUnsafeBufferPointer { c in
                targets.withUnsafeBufferPointer { t in
                    switch step {
                    case "skipgram":
                        return table.w2v_skipgram(c.baseAddress, c.count, t.baseAddress, t.count, input.base, output.base,
                                                  input.stride, 0.05, scratch.g, scratch.inputGradients, sigmoid)
                    case "pair":
                        return table.w2v_skipgram_pair(c[0], t.baseAddress, t.count, input.base, output.base, input.stride,
                                                       0.05, scratch.inputGradients, sigmoid)
                    default:
                        return table.w2v_cbow(c.baseAddress, c.count, t.baseAddress, t.count, input.base, output.base,
                                              input.stride, 0.05, scratch.hidden, scratch.inputGradients, sigmoid)
                    }
                }
            }
            results.append((String(cString: table.name), loss, snapshot(input) + snapshot(output)))
        }
        #expect(!results.isEmpty)
        let (_, baseLoss, baseValues) = results[0]
        let (before, beforeOut) = randomMatrices(rows: 12, dimension: 37, seed: 11)
        #expect(baseValues != snapshot(before) + snapshot(beforeOut), "the step changed no row")
        for (name, loss, values) in results.dropFirst() {
            #expect(abs(loss - baseLoss) < 1e-4 * max(1, abs(baseLoss)), "\(name) loss")
            #expect(zip(values, baseValues).allSatisfy { abs($0 - $1) < 1e-5 }, "\(name) rows")
        }
    }
}
