// LexisTensor kernels that nothing in Lexis runs, kept for the tests: the exp, sigmoid and ReLU
// maps and the activations' backward passes (thin wrappers over CKernels, whose tables the tests
// check), log-softmax and the softmax backward passes, and the pure kernel-path choice.
import CKernels
import LexisTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension VectorMath {
    // MARK: - Maps (y may alias x)

    /// y[i] = e^x[i]. Inputs are clamped to [-87.3, 88.37] (exp underflows to ~1e-38, never inf).
    @inline(__always)
    public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        lexis_kernels.exp(x, y, n)
    }

    /// y[i] = 1 / (1 + e^-x[i]).
    @inline(__always)
    public static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        lexis_kernels.sigmoid(x, y, n)
    }

    /// y[i] = max(x[i], 0).
    @inline(__always)
    public static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        lexis_kernels.relu(x, y, n)
    }

    // MARK: - Backward, from the saved outputs y; dx += dy * f'(x)

    @inline(__always)
    public static func sigmoidBackward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                       dx: UnsafeMutablePointer<Float>, _ n: Int) {
        lexis_kernels.sigmoid_backward(y, dy, dx, n)
    }

    @inline(__always)
    public static func tanhBackward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                    dx: UnsafeMutablePointer<Float>, _ n: Int) {
        lexis_kernels.tanh_backward(y, dy, dx, n)
    }

    @inline(__always)
    public static func reluBackward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                    dx: UnsafeMutablePointer<Float>, _ n: Int) {
        lexis_kernels.relu_backward(y, dy, dx, n)
    }
}

extension Softmax {
    /// dx += y * (dy - sum(dy * y)), from the saved softmax output y.
    public static func backward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                                rows: Int, cols: Int) {
        for r in 0..<rows {
            let yr = y + r * cols, dyr = dy + r * cols, dxr = dx + r * cols
            var dot = 0.0
            for j in 0..<cols { dot += Double(dyr[j]) * Double(yr[j]) }
            let d = Float(dot)
            for j in 0..<cols { dxr[j] += yr[j] * (dyr[j] - d) }
        }
    }

    /// y = log softmax(x) row by row.
    public static func logForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for r in 0..<rows {
            let xr = x + r * cols, yr = y + r * cols
            let m = VectorMath.max(xr, cols)
            let s = VectorMath.expShiftedSum(xr, yr, cols, shift: m)
            let lse = Float(Double(m) + log(s))
            for j in 0..<cols { yr[j] = xr[j] - lse }
        }
    }

    /// dx += dy - softmax * sum(dy), from the saved log-softmax output y.
    public static func logBackward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                                   rows: Int, cols: Int) {
        for r in 0..<rows {
            let yr = y + r * cols, dyr = dy + r * cols, dxr = dx + r * cols
            var sum = 0.0
            for j in 0..<cols { sum += Double(dyr[j]) }
            let s = Float(sum)
            for j in 0..<cols { dxr[j] += dyr[j] - exp(yr[j]) * s }
        }
    }
}

extension KernelPath {
    /// The path for `features` when `LEXIS_KERNELS` is `request` (nil: unset).
    /// A request above what the CPU supports gets the best it supports; an unknown name gets `auto`.
    public static func choose(features: CPUFeatureSet, request: String?) -> (path: KernelPath, unknownRequest: Bool) {
        var unknown: Int32 = 0
        let level = lexis_kernels_choose(features.rawValue, request, &unknown)
        return (KernelPath(level), unknown != 0)
    }
}
