// The word2vec update kernels.
//
// Shapes: D = dimension, S = padded row stride (multiple of 16), B = context words around a
// center, T = targets (the center word first, then the negatives).
//
// Skip-gram shares one draw of negatives across all B context words of a center (Ji et al. 2016,
// "Parallelizing Word2Vec in Shared and Distributed Memory"): the B x T logits form one small
// matrix product, each output row is fetched once per window instead of once per pair, and the
// updates are two more small products. word2vec.c draws fresh negatives per pair; the gradients
// per pair are the same, only which noise words are drawn differs.
//
// Update order (word2vec.c, fastText): input-side gradients are taken from the output rows
// BEFORE those rows are updated, and applied to the input rows after all targets.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Sigmoid

/// sigma(x) and log sigma(x) from tables over [-8, 8] with linear interpolation (absolute error
/// below 1e-6, checked against the exact functions in the tests); saturated outside.
public struct SigmoidTable: @unchecked Sendable {  // read-only after init
    public static let range: Float = 8
    static let size = 4096
    let sigmoidValues: UnsafeMutablePointer<Float>
    let logSigmoidValues: UnsafeMutablePointer<Float>
    let scale: Float

    public static let shared = SigmoidTable()

    init() {
        sigmoidValues = .allocate(capacity: Self.size + 2)
        logSigmoidValues = .allocate(capacity: Self.size + 2)
        scale = Float(Self.size) / (2 * Self.range)
        for i in 0...(Self.size + 1) {
            let x = -Double(Self.range) + 2 * Double(Self.range) * Double(i) / Double(Self.size)
            sigmoidValues[i] = Float(1 / (1 + exp(-x)))
            logSigmoidValues[i] = Float(-log1p(exp(-x)))
        }
    }

    @inline(__always)
    public func sigmoid(_ x: Float) -> Float {
        if x >= Self.range { return 1 }
        if x <= -Self.range { return 0 }
        let t = (x + Self.range) * scale
        let i = Int(t)
        let f = t - Float(i)
        return sigmoidValues[i] + f * (sigmoidValues[i + 1] - sigmoidValues[i])
    }

    @inline(__always)
    public func logSigmoid(_ x: Float) -> Float {
        if x >= Self.range { return 0 }
        if x <= -Self.range { return x }
        let t = (x + Self.range) * scale
        let i = Int(t)
        let f = t - Float(i)
        return logSigmoidValues[i] + f * (logSigmoidValues[i + 1] - logSigmoidValues[i])
    }
}

// MARK: - Vector primitives over padded rows (n is a multiple of 16)

@inline(__always) func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).load(as: SIMD16<Float>.self)
}

@inline(__always) func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

@inline(__always) func dot16(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
    var a = SIMD16<Float>(), b = SIMD16<Float>()
    var i = 0
    while i + 32 <= n {
        a = a.addingProduct(load16(x + i), load16(y + i))
        b = b.addingProduct(load16(x + i + 16), load16(y + i + 16))
        i += 32
    }
    if i < n { a = a.addingProduct(load16(x + i), load16(y + i)) }
    return (a + b).sum()
}

/// y += a * x
@inline(__always) func axpy16(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    let va = SIMD16<Float>(repeating: a)
    var i = 0
    while i < n {
        store16(load16(y + i).addingProduct(va, load16(x + i)), y + i)
        i += 16
    }
}

// MARK: - Kernels

/// Per-thread scratch, allocated once (the training loop allocates nothing).
public final class Word2VecScratch {
    let stride: Int
    let maxContexts: Int
    let maxTargets: Int
    /// B x T gradients scale factors.
    let g: UnsafeMutablePointer<Float>
    /// B x S input-side gradients (skip-gram); row 0 is the CBOW hidden-layer gradient.
    let inputGradients: UnsafeMutablePointer<Float>
    /// S: the CBOW hidden vector (mean of the context rows).
    let hidden: UnsafeMutablePointer<Float>

    public init(stride: Int, maxContexts: Int, maxTargets: Int) {
        self.stride = stride
        self.maxContexts = max(1, maxContexts)
        self.maxTargets = max(1, maxTargets)
        g = .allocate(capacity: self.maxContexts * self.maxTargets)
        inputGradients = UnsafeMutableRawPointer.allocate(byteCount: self.maxContexts * stride * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: self.maxContexts * stride)
        hidden = UnsafeMutableRawPointer.allocate(byteCount: stride * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: stride)
    }

    deinit {
        g.deallocate()
        inputGradients.deallocate()
        hidden.deallocate()
    }
}

public enum Word2VecKernels {
    /// (label - sigma(f)) * alpha for one target given its logit f, adding its loss
    /// (-log sigma(f) for the positive, -log sigma(-f) for a negative).
    @inline(__always)
    static func gradientScale(_ f: Float, positive: Bool, alpha: Float, table: SigmoidTable,
                              loss: inout Float) -> Float {
        if positive {
            loss -= table.logSigmoid(f)
            return (1 - table.sigmoid(f)) * alpha
        }
        loss -= table.logSigmoid(-f)
        return -table.sigmoid(f) * alpha
    }

    /// One skip-gram step: every context word (input rows) against the same targets (output
    /// rows; targets[0] is the center word, label 1; the rest are negatives, label 0).
    /// Returns the summed loss -log sigma(pos) - sum log sigma(-neg) over the B pairs.
    @inline(__always)
    public static func skipGram(contexts: UnsafePointer<Int32>, contextCount: Int,
                                targets: UnsafePointer<Int32>, targetCount: Int,
                                input: EmbeddingMatrix, output: EmbeddingMatrix, alpha: Float,
                                scratch: Word2VecScratch, table: SigmoidTable) -> Double {
        let n = input.stride
        let inBase = input.base, outBase = output.base
        let g = scratch.g, grads = scratch.inputGradients
        let B = contextCount, T = targetCount
        var loss: Float = 0
        // Logits and gradient scales: g[j][k] = (label - sigma(in_j . out_k)) * alpha.
        for j in 0..<B {
            let x = inBase + Int(contexts[j]) * n
            for k in 0..<T {
                let f = dot16(x, outBase + Int(targets[k]) * n, n)
                g[j * T + k] = gradientScale(f, positive: k == 0, alpha: alpha, table: table, loss: &loss)
            }
        }
        // Input-side gradients from the output rows as they were.
        for j in 0..<B {
            let e = grads + j * n
            let gj = g + j * T
            var i = 0
            while i < n {
                var acc = SIMD16<Float>()
                for k in 0..<T {
                    acc = acc.addingProduct(SIMD16(repeating: gj[k]), load16(outBase + Int(targets[k]) * n + i))
                }
                store16(acc, e + i)
                i += 16
            }
        }
        // Output rows: out_k += sum_j g[j][k] in_j.
        for k in 0..<T {
            let y = outBase + Int(targets[k]) * n
            var i = 0
            while i < n {
                var acc = load16(y + i)
                for j in 0..<B {
                    acc = acc.addingProduct(SIMD16(repeating: g[j * T + k]), load16(inBase + Int(contexts[j]) * n + i))
                }
                store16(acc, y + i)
                i += 16
            }
        }
        // Input rows.
        for j in 0..<B {
            axpy16(1, grads + j * n, inBase + Int(contexts[j]) * n, n)
        }
        return Double(loss)
    }

    /// word2vec.c's skip-gram step for one (context, center) pair: targets[0] is the center,
    /// the rest are this pair's own negatives; output rows are updated as they go.
    @inline(__always)
    public static func skipGramPair(context: Int32, targets: UnsafePointer<Int32>, targetCount: Int,
                                    input: EmbeddingMatrix, output: EmbeddingMatrix, alpha: Float,
                                    scratch: Word2VecScratch, table: SigmoidTable) -> Double {
        let n = input.stride
        let x = input.base + Int(context) * n
        let e = scratch.inputGradients
        var i = 0
        while i < n { store16(SIMD16<Float>(), e + i); i += 16 }
        var loss: Float = 0
        for k in 0..<targetCount {
            let y = output.base + Int(targets[k]) * n
            let gk = gradientScale(dot16(x, y, n), positive: k == 0, alpha: alpha, table: table, loss: &loss)
            axpy16(gk, y, e, n)
            axpy16(gk, x, y, n)
        }
        axpy16(1, e, x, n)
        return Double(loss)
    }

    /// One CBOW step: the mean of the context rows predicts the targets (targets[0] is the center).
    /// Each context row gets the full hidden-layer gradient, as in word2vec.c and gensim (cbow_mean=1).
    /// Returns -log sigma(pos) - sum log sigma(-neg).
    @inline(__always)
    public static func cbow(contexts: UnsafePointer<Int32>, contextCount: Int,
                            targets: UnsafePointer<Int32>, targetCount: Int,
                            input: EmbeddingMatrix, output: EmbeddingMatrix, alpha: Float,
                            scratch: Word2VecScratch, table: SigmoidTable) -> Double {
        let n = input.stride
        let inBase = input.base, outBase = output.base
        let h = scratch.hidden, e = scratch.inputGradients
        let inverse = 1 / Float(contextCount)
        var i = 0
        while i < n {
            var acc = SIMD16<Float>()
            for j in 0..<contextCount { acc += load16(inBase + Int(contexts[j]) * n + i) }
            store16(acc * inverse, h + i)
            store16(SIMD16<Float>(), e + i)
            i += 16
        }
        var loss: Float = 0
        for k in 0..<targetCount {
            let y = outBase + Int(targets[k]) * n
            let gk = gradientScale(dot16(h, y, n), positive: k == 0, alpha: alpha, table: table, loss: &loss)
            axpy16(gk, y, e, n)  // before y changes
            axpy16(gk, h, y, n)
        }
        for j in 0..<contextCount {
            axpy16(1, e, inBase + Int(contexts[j]) * n, n)
        }
        return Double(loss)
    }
}
