// Naive reference kernels: plain loops accumulating in Double. Slow on purpose; the tests check
// every optimized kernel of LexisTensor (and the recurrent cells) against its counterpart here.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Naive reference kernels: plain loops that accumulate in Double. Slow on purpose; tests check the
/// optimized kernels against them.
public enum Reference {
    /// Same contract as `Matmul.gemm`.
    public static func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let av = transA ? a[p * lda + i] : a[i * lda + p]
                    let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += Double(av) * Double(bv)
                }
                let old = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
                c[i * ldc + j] = Float(Double(alpha) * sum + old)
            }
        }
    }

    /// 1 / (1 + e^-x).
    public static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    /// The hyperbolic tangent.
    public static func tanh(_ x: Double) -> Double { libmTanh(x) }
    /// max(0, x).
    public static func relu(_ x: Double) -> Double { max(0, x) }

    /// Softmax of `x`, computed stably (max subtracted).
    public static func softmax(_ x: [Double]) -> [Double] {
        let m = x.max() ?? 0
        let e = x.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// Log-softmax of `x`, computed stably.
    public static func logSoftmax(_ x: [Double]) -> [Double] {
        let m = x.max() ?? 0
        let lse = m + log(x.reduce(0) { $0 + exp($1 - m) })
        return x.map { $0 - lse }
    }

    /// -log softmax(x)[target].
    public static func crossEntropy(_ x: [Double], target: Int) -> Double {
        -logSoftmax(x)[target]
    }
}

@inline(__always) private func libmTanh(_ x: Double) -> Double { tanh(x) }
