// Element-wise kernels over Float arrays. The work is done by CKernels, compiled for the baseline,
// AVX2 and AVX-512 and chosen at start-up (see CPUDispatch.swift). `exp` is a Cephes-style
// polynomial after range reduction (about 2 ulp); sigmoid and tanh are built on it. Naive
// counterparts live in `Reference` (LexisTestSupport) and the tests compare the two.
// Only the kernels the library runs are wrapped here; the tests' wrappers of the others (exp,
// sigmoid, ReLU and the activations' backward passes) are in LexisTestSupport.
import CKernels

public enum VectorMath {
    // MARK: - Maps (y may alias x)

    /// y[i] = tanh(x[i]) (absolute error ~1e-7).
    @inline(__always)
    public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        lexis_kernels.tanh(x, y, n)
    }

    // MARK: - Reductions and BLAS-1 style helpers

    /// The largest of n floats (-infinity for n = 0).
    @inline(__always)
    public static func max(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        lexis_kernels.max(x, n)
    }

    /// y[i] = exp(x[i] - shift); returns the sum (accumulated in Double across float lanes).
    @inline(__always)
    public static func expShiftedSum(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                                     shift: Float) -> Double {
        lexis_kernels.exp_shifted_sum(x, y, n, shift)
    }

    /// sum of exp(x[i] - shift), without storing the exponentials.
    @inline(__always)
    public static func sumExp(_ x: UnsafePointer<Float>, _ n: Int, shift: Float) -> Double {
        lexis_kernels.sum_exp(x, n, shift)
    }

    /// x[i] *= a
    @inline(__always)
    public static func scale(_ x: UnsafeMutablePointer<Float>, _ n: Int, by a: Float) {
        lexis_kernels.scale(x, n, a)
    }

    /// y[i] = x[i] * m[i]
    @inline(__always)
    public static func multiply(_ x: UnsafePointer<Float>, _ m: UnsafePointer<Float>,
                                _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        lexis_kernels.multiply(x, m, y, n)
    }

    /// y[i] += x[i] * m[i]
    @inline(__always)
    public static func multiplyAdd(_ x: UnsafePointer<Float>, _ m: UnsafePointer<Float>,
                                   _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        lexis_kernels.multiply_add(x, m, y, n)
    }

    /// y[i] += a * x[i]
    @inline(__always)
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        lexis_kernels.axpy(a, x, y, n)
    }

    /// sum of x[i] * y[i] (summed in any order).
    @inline(__always)
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        lexis_kernels.dot(x, y, n)
    }
}
