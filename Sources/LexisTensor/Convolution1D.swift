// 1-D convolution over a padded batch of sequences, as im2col + one GEMM (BLAS), forward and
// backward. "Wide" convolution: a sequence of length n gives n + w - 1 windows, the window at
// position p covering steps p ..< p + w with p from -(w - 1); steps outside 0 ..< n read as zero,
// so every window holds at least one real step and nothing of another sequence or of the padding
// ever enters a window (a padded batch gives each sequence what it gives alone).
//
// Shapes: input time-major [T*B x E] (step t of sequence b at row t*B + b, as the classifier's
// batches), windows [R x w*E] with R = sum_b (n_b + w - 1), sequence b's windows in a block of
// rows starting at `windowStart(b)`; weight [filters x w*E] (row f = filter f, step-major), bias [1 x filters].

/// A 1-D convolution (one width, many filters) over a time-major padded batch of sequences, as
/// im2col plus one matrix product.
public struct Convolution1D: Sendable {
    /// `[filters x width*inputSize]`: filter f's weights for window step j and feature e at `j*inputSize + e`.
    public let weight: ParameterView
    /// `[1 x filters]`.
    public let bias: ParameterView
    /// Steps per window (w).
    public let width: Int
    /// Features per step (E).
    public let inputSize: Int

    /// Adds `<name>.weight` and `<name>.bias` to `layout`.
    public init(_ name: String, width: Int, inputSize: Int, filters: Int, layout: inout ParameterLayout) {
        precondition(width >= 1 && inputSize >= 1 && filters >= 1)
        weight = layout.add("\(name).weight", rows: filters, cols: width * inputSize)
        bias = layout.add("\(name).bias", rows: 1, cols: filters)
        self.width = width
        self.inputSize = inputSize
    }

    /// Filters (output features per window).
    public var filters: Int { weight.rows }

    /// Windows of a sequence of `length` steps (0 for an empty one).
    public func windowCount(length: Int) -> Int { length > 0 ? length + width - 1 : 0 }

    /// Windows of the whole batch.
    public func windowCount(lengths: [Int]) -> Int { lengths.reduce(0) { $0 + windowCount(length: $1) } }

    /// Calls `body(r, j, t, b)` for every window row r, step j of the window, and the step t of
    /// sequence b it covers, when that step is inside the sequence (`nil` t when it is not).
    @inline(__always)
    func forEachWindowStep(lengths: [Int], _ body: (Int, Int, Int?, Int) -> Void) {
        var r = 0
        for (b, n) in lengths.enumerated() where n > 0 {
            for p in -(width - 1)..<n {
                for j in 0..<width {
                    let t = p + j
                    body(r, j, t >= 0 && t < n ? t : nil, b)
                }
                r += 1
            }
        }
    }

    /// Copies the windows of every sequence into `windows` ([R x w*E]): zeros where a window
    /// reaches before the first or past the last step.
    ///
    /// - Parameters:
    ///   - x: `[T*B x E]`, time-major; only steps `t < lengths[b]` are read.
    ///   - lengths: The B sequence lengths.
    public func im2col(_ x: UnsafePointer<Float>, lengths: [Int], into windows: UnsafeMutablePointer<Float>) {
        let (B, E, w) = (lengths.count, inputSize, width)
        forEachWindowStep(lengths: lengths) { r, j, t, b in
            let slot = windows + (r * w + j) * E
            if let t { slot.update(from: x + (t * B + b) * E, count: E) } else { slot.update(repeating: 0, count: E) }
        }
    }

    /// dx[step] += the window gradients that read it (the padding's share is dropped).
    public func col2im(_ dWindows: UnsafePointer<Float>, lengths: [Int], into dx: UnsafeMutablePointer<Float>) {
        let (B, E, w) = (lengths.count, inputSize, width)
        forEachWindowStep(lengths: lengths) { r, j, t, b in
            if let t { VectorMath.axpy(1, dWindows + (r * w + j) * E, dx + (t * B + b) * E, E) }
        }
    }

    /// y[R x filters] = windows W^T + b (overwrites y).
    public func forward(_ store: ParameterStore, windows: UnsafePointer<Float>, rows: Int, y: UnsafeMutablePointer<Float>) {
        Matmul.broadcastRows(store.value(bias), rows: rows, cols: filters, into: y)
        Matmul.gemm(transB: true, m: rows, n: filters, k: width * inputSize, a: windows, lda: width * inputSize,
                    b: store.value(weight), ldb: width * inputSize, beta: 1, c: y, ldc: filters)
    }

    /// dW += dy^T windows, db += column sums of dy; then `windows` is OVERWRITTEN by their
    /// gradient dy W (pass it to ``col2im(_:lengths:into:)``), unless `inputGradient` is false.
    public func backward(_ store: ParameterStore, windows: UnsafeMutablePointer<Float>, dy: UnsafePointer<Float>, rows: Int,
                         inputGradient: Bool = true) {
        let k = width * inputSize
        if weight.trainable {
            Matmul.gemm(transA: true, m: filters, n: k, k: rows, a: dy, lda: filters, b: windows, ldb: k,
                        beta: 1, c: store.gradient(weight), ldc: k)
        }
        if bias.trainable { Matmul.addColumnSums(dy, rows: rows, cols: filters, into: store.gradient(bias)) }
        if inputGradient {
            Matmul.gemm(m: rows, n: k, k: filters, a: dy, lda: filters, b: store.value(weight), ldb: k,
                        beta: 0, c: windows, ldc: k)
        }
    }
}
