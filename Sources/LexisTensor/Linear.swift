// Fully connected layer y = x W^T + b with W [out x in] (PyTorch's layout, so a tied output layer
// can use an embedding table [V x E] directly).
//
// Shapes: x [N x in], y [N x out].

/// A fully connected layer `y = x Wᵀ + b`, with `W` `[out x in]` (PyTorch's layout, so a tied output
/// layer can use an embedding table directly).
public struct Linear: Sendable {
    /// `W`, `[out x in]`.
    public let weight: ParameterView
    /// `b`, `[1 x out]`, or nil for no bias.
    public let bias: ParameterView?

    /// A layer over existing views (for example, a tied embedding table as `weight`).
    ///
    /// - Precondition: `bias` has one value per row of `weight`.
    public init(weight: ParameterView, bias: ParameterView?) {
        precondition(bias == nil || bias!.count == weight.rows)
        self.weight = weight
        self.bias = bias
    }

    /// Adds `<name>.weight` (and `<name>.bias`) to `layout`.
    public init(_ name: String, input: Int, output: Int, bias: Bool = true, layout: inout ParameterLayout) {
        weight = layout.add("\(name).weight", rows: output, cols: input)
        self.bias = bias ? layout.add("\(name).bias", rows: 1, cols: output) : nil
    }

    /// Input features (columns of `W`).
    public var inputSize: Int { weight.cols }
    /// Output features (rows of `W`).
    public var outputSize: Int { weight.rows }

    /// y = x W^T + b (overwrites y).
    ///
    /// - Parameters:
    ///   - x: `[rows x inputSize]`.
    ///   - rows: The batch size N.
    ///   - y: `[rows x outputSize]`.
    public func forward(_ store: ParameterStore, x: UnsafePointer<Float>, rows: Int, y: UnsafeMutablePointer<Float>) {
        if let bias {
            Matmul.broadcastRows(store.value(bias), rows: rows, cols: outputSize, into: y)
        }
        Matmul.gemm(transB: true, m: rows, n: outputSize, k: inputSize, a: x, lda: inputSize,
                    b: store.value(weight), ldb: inputSize, beta: bias == nil ? 0 : 1, c: y, ldc: outputSize)
    }

    /// dW += dy^T x; db += column sums of dy; dx += dy W (dx optional).
    ///
    /// Frozen views get no gradient.
    public func backward(_ store: ParameterStore, x: UnsafePointer<Float>, dy: UnsafePointer<Float>, rows: Int,
                         dx: UnsafeMutablePointer<Float>?) {
        if weight.trainable {
            Matmul.gemm(transA: true, m: outputSize, n: inputSize, k: rows, a: dy, lda: outputSize,
                        b: x, ldb: inputSize, beta: 1, c: store.gradient(weight), ldc: inputSize)
        }
        if let bias, bias.trainable {
            Matmul.addColumnSums(dy, rows: rows, cols: outputSize, into: store.gradient(bias))
        }
        if let dx {
            Matmul.gemm(m: rows, n: inputSize, k: outputSize, a: dy, lda: outputSize,
                        b: store.value(weight), ldb: inputSize, beta: 1, c: dx, ldc: inputSize)
        }
    }
}
