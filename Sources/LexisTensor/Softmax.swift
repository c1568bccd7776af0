// Softmax and the fused log-softmax + cross-entropy over rows of a [N x V] matrix.
// Stable: the row maximum is subtracted before exp; log-sum-exp is accumulated in Double.
// Log-softmax and the softmax backward passes, which only the tests use, are in LexisTestSupport.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Softmax {
    /// y = softmax(x) row by row (y may alias x).
    public static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for r in 0..<rows {
            let xr = x + r * cols, yr = y + r * cols
            let m = VectorMath.max(xr, cols)
            let s = VectorMath.expShiftedSum(xr, yr, cols, shift: m)
            VectorMath.scale(yr, cols, by: Float(1 / s))
        }
    }
}

public enum CrossEntropy {
    /// Sum over rows of -log softmax(logits)[target]. With `gradientScale` set, the logits are
    /// REPLACED by d(loss * gradientScale)/d logits = (softmax - onehot) * gradientScale (the
    /// logits are scratch; a gradient buffer of its own would cost N x V floats more).
    public static func lossSum(logits: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                               targets: UnsafePointer<Int32>, gradientScale: Float?) -> Double {
        var total = 0.0
        for r in 0..<rows {
            let xr = logits + r * cols
            let target = Int(targets[r])
            let m = VectorMath.max(xr, cols)
            let targetLogit = xr[target]
            if let scale = gradientScale {
                let s = VectorMath.expShiftedSum(xr, xr, cols, shift: m)
                total += Double(m) + log(s) - Double(targetLogit)
                VectorMath.scale(xr, cols, by: Float(Double(scale) / s))
                xr[target] -= scale
            } else {
                // Loss only: the exponentials are summed, not stored.
                let s = VectorMath.sumExp(xr, cols, shift: m)
                total += Double(m) + log(s) - Double(targetLogit)
            }
        }
        return total
    }
}

public enum SigmoidCrossEntropy {
    /// Sum over rows and columns of the binary cross-entropy of sigmoid(logits) against `targets`
    /// (0 or 1 each, [rows x cols]): one-vs-all. With `gradientScale` set, the logits are REPLACED
    /// by d(loss * gradientScale)/d logits = (sigmoid - target) * gradientScale. Stable for any
    /// logit: max(x, 0) - x t + log(1 + exp(-|x|)).
    public static func lossSum(logits: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                               targets: UnsafePointer<Float>, gradientScale: Float?) -> Double {
        var total = 0.0
        for i in 0..<(rows * cols) {
            let x = Double(logits[i]), t = Double(targets[i])
            total += max(x, 0) - x * t + log1p(exp(-abs(x)))
            if let scale = gradientScale {
                let s = x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
                logits[i] = Float((s - t) * Double(scale))
            }
        }
        return total
    }

    /// y = sigmoid(x) element by element (y may alias x).
    public static func probabilities(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            let v = Double(x[i])
            y[i] = Float(v >= 0 ? 1 / (1 + exp(-v)) : exp(v) / (1 + exp(v)))
        }
    }
}
