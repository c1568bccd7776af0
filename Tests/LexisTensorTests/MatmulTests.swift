import LexisTensor
import LexisTestSupport
import Testing

@Suite struct MatmulTests {
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func blasMatchesNaiveReference(transA: Bool, transB: Bool) {
        let (m, n, k) = (7, 13, 9)
        let a = randomArray(m * k, seed: 1), b = randomArray(k * n, seed: 2)
        let c0 = randomArray(m * n, seed: 3)
        var fast = c0, slow = c0
        let lda = transA ? m : k, ldb = transB ? k : n
        Matmul.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb,
                    beta: 1, c: &fast, ldc: n)
        Reference.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb,
                       beta: 1, c: &slow, ldc: n)
        for i in 0..<(m * n) { #expect(abs(fast[i] - slow[i]) < 1e-5, "index \(i)") }
        // The product really changed C (beta 1 accumulates).
        #expect(fast != c0)
    }

    @Test func naiveGemmKnownValues() {
        // [1 2; 3 4] x [5 6; 7 8] = [19 22; 43 50]
        var c: [Float] = [0, 0, 0, 0]
        Reference.gemm(m: 2, n: 2, k: 2, a: [1, 2, 3, 4], lda: 2, b: [5, 6, 7, 8], ldb: 2, beta: 0, c: &c, ldc: 2)
        #expect(c == [19, 22, 43, 50])
    }

    @Test func columnSumsAndBroadcast() {
        var sums: [Float] = [1, 1, 1]
        Matmul.addColumnSums([1, 2, 3, 4, 5, 6], rows: 2, cols: 3, into: &sums)
        #expect(sums == [6, 8, 10])
        var y = [Float](repeating: 0, count: 6)
        Matmul.broadcastRows([1, 2, 3], rows: 2, cols: 3, into: &y)
        #expect(y == [1, 2, 3, 1, 2, 3])
    }
}

/// Lexis's few-row product (recurrent steps) against the naive reference, on every kernel path
/// this run uses: row counts that hit each row block, column tails, beta 0 and 1, the threaded
/// split (2 * m * n * k >= 2M) and the single-thread path.
@Suite struct FewRowsGemmTests {
    @Test(arguments: [(1, 13, 9), (3, 16, 5), (10, 40, 17), (20, 650, 37), (20, 2600, 200), (24, 33, 8), (31, 200, 120)])
    func matchesTheReference(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = randomArray(m * k, seed: 11), b = randomArray(k * n, seed: 12)
        for beta: Float in [0, 1] {
            let c0 = randomArray(m * n, seed: 13)
            var fast = c0, slow = c0
            Matmul.gemmFewRows(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, beta: beta, c: &fast, ldc: n)
            Reference.gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, beta: beta, c: &slow, ldc: n)
            var worst: Float = 0
            for i in 0..<(m * n) { worst = max(worst, abs(fast[i] - slow[i])) }
            #expect(worst < 1e-4, "m \(m) n \(n) k \(k) beta \(beta): off by \(worst)")
        }
    }

    @Test func transposeRoundTrips() {
        let (rows, cols) = (45, 70)   // not multiples of the 32 x 32 blocks
        let x = randomArray(rows * cols, seed: 3)
        var t = [Float](repeating: 0, count: rows * cols), back = t
        Matmul.transpose(x, rows: rows, cols: cols, into: &t)
        #expect(t[5 * rows + 2] == x[2 * cols + 5])
        Matmul.transpose(t, rows: cols, cols: rows, into: &back)
        #expect(back == x)
    }
}
