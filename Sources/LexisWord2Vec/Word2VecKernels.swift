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
import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Sigmoid

/// sigma(x) and log sigma(x) from tables over [-8, 8] with linear interpolation (absolute error
/// below 1e-6, checked against the exact functions in the tests); saturated outside. The C
/// kernels do the lookups; the tests' Swift lookups are in LexisTestSupport.
public struct SigmoidTable: @unchecked Sendable {  // read-only after init
    public static let range: Float = 8
    static let size = 4096
    package let sigmoidValues: UnsafeMutablePointer<Float>
    package let logSigmoidValues: UnsafeMutablePointer<Float>
    package let scale: Float

    public static let shared = SigmoidTable()

    /// The same tables as the C kernels take them, made once (the kernels run once per window).
    let kernelTable: UnsafeMutablePointer<lexis_sigmoid_table>

    init() {
        sigmoidValues = .allocate(capacity: Self.size + 2)
        logSigmoidValues = .allocate(capacity: Self.size + 2)
        scale = Float(Self.size) / (2 * Self.range)
        for i in 0...(Self.size + 1) {
            let x = -Double(Self.range) + 2 * Double(Self.range) * Double(i) / Double(Self.size)
            sigmoidValues[i] = Float(1 / (1 + exp(-x)))
            logSigmoidValues[i] = Float(-log1p(exp(-x)))
        }
        kernelTable = .allocate(capacity: 1)
        kernelTable.initialize(to: lexis_sigmoid_table(sigmoid: sigmoidValues, log_sigmoid: logSigmoidValues,
                                                       scale: scale, range: Self.range))
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

/// The update steps; their bodies are in CKernels (KernelBodies.h), compiled per instruction set.
public enum Word2VecKernels {
    /// One skip-gram step: every context word (input rows) against the same targets (output
    /// rows; targets[0] is the center word, label 1; the rest are negatives, label 0).
    /// Returns the summed loss -log sigma(pos) - sum log sigma(-neg) over the B pairs.
    @inline(__always)
    public static func skipGram(contexts: UnsafePointer<Int32>, contextCount: Int,
                                targets: UnsafePointer<Int32>, targetCount: Int,
                                input: EmbeddingMatrix, output: EmbeddingMatrix, alpha: Float,
                                scratch: Word2VecScratch, table: SigmoidTable) -> Double {
        skipGram(contexts: contexts, contextCount: contextCount, targets: targets, targetCount: targetCount,
                 rows: KernelRows(input, output), alpha: alpha, scratch: scratch, table: table)
    }

    @inline(__always)
    static func skipGram(contexts: UnsafePointer<Int32>, contextCount: Int, targets: UnsafePointer<Int32>, targetCount: Int,
                         rows: KernelRows, alpha: Float, scratch: Word2VecScratch, table: SigmoidTable) -> Double {
        lexis_kernels.w2v_skipgram(contexts, contextCount, targets, targetCount, rows.input, rows.output,
                                   rows.stride, alpha, scratch.g, scratch.inputGradients, table.kernelTable)
    }

    /// word2vec.c's skip-gram step for one (context, center) pair: targets[0] is the center,
    /// the rest are this pair's own negatives; output rows are updated as they go.
    @inline(__always)
    public static func skipGramPair(context: Int32, targets: UnsafePointer<Int32>, targetCount: Int,
                                    input: EmbeddingMatrix, output: EmbeddingMatrix, alpha: Float,
                                    scratch: Word2VecScratch, table: SigmoidTable) -> Double {
        skipGramPair(context: context, targets: targets, targetCount: targetCount, rows: KernelRows(input, output),
                     alpha: alpha, scratch: scratch, table: table)
    }

    @inline(__always)
    static func skipGramPair(context: Int32, targets: UnsafePointer<Int32>, targetCount: Int, rows: KernelRows,
                             alpha: Float, scratch: Word2VecScratch, table: SigmoidTable) -> Double {
        lexis_kernels.w2v_skipgram_pair(context, targets, targetCount, rows.input, rows.output,
                                        rows.stride, alpha, scratch.inputGradients, table.kernelTable)
    }

    /// One CBOW step: the mean of the context rows predicts the targets (targets[0] is the center).
    /// Each context row gets the full hidden-layer gradient, as in word2vec.c and gensim (cbow_mean=1).
    /// Returns -log sigma(pos) - sum log sigma(-neg).
    @inline(__always)
    public static func cbow(contexts: UnsafePointer<Int32>, contextCount: Int,
                            targets: UnsafePointer<Int32>, targetCount: Int,
                            input: EmbeddingMatrix, output: EmbeddingMatrix, alpha: Float,
                            scratch: Word2VecScratch, table: SigmoidTable) -> Double {
        cbow(contexts: contexts, contextCount: contextCount, targets: targets, targetCount: targetCount,
             rows: KernelRows(input, output), alpha: alpha, scratch: scratch, table: table)
    }

    @inline(__always)
    static func cbow(contexts: UnsafePointer<Int32>, contextCount: Int, targets: UnsafePointer<Int32>, targetCount: Int,
                     rows: KernelRows, alpha: Float, scratch: Word2VecScratch, table: SigmoidTable) -> Double {
        lexis_kernels.w2v_cbow(contexts, contextCount, targets, targetCount, rows.input, rows.output,
                               rows.stride, alpha, scratch.hidden, scratch.inputGradients, table.kernelTable)
    }

    /// One skip-gram step of a subword model (fastText's direction): the mean of the center's rows
    /// (`rows`: its own and its n-grams') predicts the window's context words (`targets[0..<positives]`)
    /// against the negatives after them, each negative's gradient (and loss) scaled by
    /// `negativeWeight`. Every row gets the full hidden-layer gradient, as in fastText. Returns the
    /// summed loss.
    @inline(__always)
    public static func subwordSkipGram(rows: UnsafePointer<Int32>, rowCount: Int,
                                       targets: UnsafePointer<Int32>, targetCount: Int, positives: Int,
                                       negativeWeight: Float = 1,
                                       input: EmbeddingMatrix, output: EmbeddingMatrix, alpha: Float,
                                       scratch: Word2VecScratch, table: SigmoidTable) -> Double {
        subwordSkipGram(rows: rows, rowCount: rowCount, targets: targets, targetCount: targetCount, positives: positives,
                        negativeWeight: negativeWeight, matrices: KernelRows(input, output), alpha: alpha,
                        scratch: scratch, table: table)
    }

    @inline(__always)
    static func subwordSkipGram(rows: UnsafePointer<Int32>, rowCount: Int, targets: UnsafePointer<Int32>, targetCount: Int,
                                positives: Int, negativeWeight: Float = 1, matrices: KernelRows, alpha: Float,
                                scratch: Word2VecScratch, table: SigmoidTable) -> Double {
        lexis_kernels.w2v_subword_skipgram(rows, rowCount, targets, targetCount, positives, negativeWeight,
                                           matrices.input, matrices.output, matrices.stride, alpha, scratch.hidden,
                                           scratch.inputGradients, table.kernelTable)
    }
}

/// The two matrices a kernel call reads and writes, as base pointers (the shared matrices, or a
/// deterministic worker's private copies) and their common row stride.
struct KernelRows {
    let input: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let stride: Int

    @inline(__always)
    init(_ input: EmbeddingMatrix, _ output: EmbeddingMatrix) {
        self.input = input.base
        self.output = output.base
        stride = input.stride
    }

    @inline(__always)
    init(input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, stride: Int) {
        self.input = input
        self.output = output
        self.stride = stride
    }
}
