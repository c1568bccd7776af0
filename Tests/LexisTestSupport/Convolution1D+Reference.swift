// The naive 1-D convolution, for tests: straight from the definition, no im2col, in Double.
import LexisTensor

extension Convolution1D {
    /// Output of every window of every sequence, [b][p + w - 1][f] for p in -(w-1) ..< length:
    /// b_f + sum over j and e of W[f, j*E + e] * x[p + j][e], steps outside the sequence zero.
    /// `x` is time-major [T*B x E] with B = `lengths.count`.
    public func referenceOutputs(_ store: ParameterStore, x: UnsafePointer<Float>, lengths: [Int]) -> [[[Double]]] {
        let (B, E, w) = (lengths.count, inputSize, width)
        let W = store.value(weight), bias = store.value(self.bias)
        return (0..<B).map { b in
            let n = lengths[b]
            guard n > 0 else { return [] }
            return (-(w - 1)..<n).map { p in
                (0..<filters).map { f in
                    var s = Double(bias[f])
                    for j in 0..<w where p + j >= 0 && p + j < n {
                        for e in 0..<E { s += Double(W[f * w * E + j * E + e]) * Double(x[((p + j) * B + b) * E + e]) }
                    }
                    return s
                }
            }
        }
    }
}
