import LexisTensor
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
