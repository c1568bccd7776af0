// Matrix products, row-major. The optimized path is OpenBLAS `cblas_sgemm`; the tests check it
// against `Reference.gemm` (naive, Double accumulation) in LexisTestSupport.
//
// gemm: C[M x N] = alpha * op(A)[M x K] * op(B)[K x N] + beta * C
import CBLAS
import CKernels
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

public enum Matmul {
    /// Sets the number of OpenBLAS threads (recurrent models use BLAS threads; 2 by default).
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
        fewRowsThreads = max(1, count)
    }

    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// Products with at most this many rows go to `gemmFewRows` in the recurrent layers.
    public static let fewRowsLimit = 32

    /// Threads for `gemmFewRows` (set with `setThreads`).
    nonisolated(unsafe) private(set) static var fewRowsThreads = 2

    /// C[m x n] = A[m x k] * B[k x n] + beta * C, row-major, no transposes, for small m (the
    /// per-time-step products of recurrent layers, m = batch): Lexis's own kernel (CKernels),
    /// columns split over the threads. OpenBLAS packs B on every call, which costs more than the
    /// product at m = 20 (bench/sgemm.sh: 60-70 GFLOP/s there against 250 on the large products).
    public static func gemmFewRows(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                   b: UnsafePointer<Float>, ldb: Int,
                                   beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        let threads = fewRowsThreads
        // A thread round trip costs 5-10 us: only products of 2 MFLOP or more are split.
        guard threads > 1, 2 * m * n * k >= 2_000_000, n >= 64 * threads else {
            lexis_kernels.gemm_small_m(m, n, k, a, lda, b, ldb, beta, c, ldc)
            return
        }
        let share = (n / threads + 15) / 16 * 16
        let shared = SharedGemm(a: a, b: b, c: c)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let start = t * share
            let count = min(share, n - start)
            if count > 0 {
                lexis_kernels.gemm_small_m(m, count, k, shared.a, lda, shared.b + start, ldb, beta, shared.c + start, ldc)
            }
        }
    }

    /// y[cols x rows] = x[rows x cols] transposed.
    public static func transpose(_ x: UnsafePointer<Float>, rows: Int, cols: Int, into y: UnsafeMutablePointer<Float>) {
        // Blocks of 32 x 32 keep both sides in cache.
        let block = 32
        var i0 = 0
        while i0 < rows {
            let i1 = min(i0 + block, rows)
            var j0 = 0
            while j0 < cols {
                let j1 = min(j0 + block, cols)
                for i in i0..<i1 { for j in j0..<j1 { y[j * rows + i] = x[i * cols + j] } }
                j0 = j1
            }
            i0 = i1
        }
    }

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

/// The operands of one split product, for the worker threads (each writes its own columns).
private struct SharedGemm: @unchecked Sendable {
    let a: UnsafePointer<Float>
    let b: UnsafePointer<Float>
    let c: UnsafeMutablePointer<Float>
}
