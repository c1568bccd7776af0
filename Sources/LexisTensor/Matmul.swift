// Matrix products, row-major. The optimized path is OpenBLAS `cblas_sgemm`; `Reference.gemm`
// (naive, Double accumulation) is kept beside it for tests.
//
// gemm: C[M x N] = alpha * op(A)[M x K] * op(B)[K x N] + beta * C
import CBLAS
#if canImport(Glibc)
import Glibc
#endif

public enum Matmul {
    /// Sets the number of OpenBLAS threads (recurrent models use BLAS threads; 2 by default).
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    public static var threads: Int { Int(openblas_get_num_threads()) }

    @inline(__always)
    public static func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// columnSums[j] += sum_i x[i, j] for a rows x cols matrix (bias gradients).
    public static func addColumnSums(_ x: UnsafePointer<Float>, rows: Int, cols: Int,
                                     into sums: UnsafeMutablePointer<Float>) {
        for i in 0..<rows {
            let row = x + i * cols
            for j in 0..<cols { sums[j] += row[j] }
        }
    }

    /// Copies `bias` into every row of y (then a gemm with beta 1 adds the product).
    public static func broadcastRows(_ bias: UnsafePointer<Float>, rows: Int, cols: Int,
                                     into y: UnsafeMutablePointer<Float>) {
        for i in 0..<rows { (y + i * cols).update(from: bias, count: cols) }
    }
}
