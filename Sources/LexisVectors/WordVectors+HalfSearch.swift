// Single-query search with a half-precision first pass. One query over a large matrix is bound by
// memory bandwidth (100k x 100 Float32 = 40 MB per query); a Float16 copy of the normalized rows
// halves the bytes read (and 100k x 100 then fits in L3). The result stays exact: each Float16
// cosine is within `e` of the Float32 one, so every true top-k row scores at least (k-th best
// approximate score - 2e); those candidates are rescored in Float32.
//   e <= 2^-11 (Float16 rounding, |row| = |query| = 1, Cauchy-Schwarz)
//      + d * 2^-22 (subnormal halves and Float32 accumulation in both passes, generously)
#if !(os(macOS) && arch(x86_64))   // Float16 is unavailable on Intel Macs
import CKernels

extension WordVectors {
    /// Below this many rows the plain BLAS product is fast enough and needs no extra copy.
    static let halfPrecisionMinimumRows = 20_000

    /// Exact top `maximumCount` for a unit-length `query` over the first `rows` rows.
    func halfPrecisionSearch(_ query: UnsafePointer<Float>, rows: Int, maximumCount: Int, excluding: Set<Int>) -> [Neighbor] {
        let d = dimension
        let half = halfNormalized
        var approximate = [Float](repeating: 0, count: rows)
        approximate.withUnsafeMutableBufferPointer { out in
            UnsafeRawPointer(half).withMemoryRebound(to: UInt16.self, capacity: rows * d) { bits in
                lexis_kernels.half_dot_rows(bits, rows, d, query, out.baseAddress!)
            }
        }
        // The k-th best approximate score among rows that may be returned.
        var top = TopK(k: min(maximumCount + excluding.count, rows))
        approximate.withUnsafeBufferPointer { top.scan($0.baseAddress!, count: rows) }
        let kept = zip(top.rows, top.scores).filter { !excluding.contains($0.0) }
        let margin = 2 * (Float(1) / 2048 + Float(d) / Float(1 << 22))
        let threshold = kept.count >= maximumCount ? kept[maximumCount - 1].1 - margin : -Float.infinity

        var exact = TopK(k: maximumCount)
        let n = normalized
        var score: Float = 0
        for r in 0..<rows where approximate[r] >= threshold && !excluding.contains(r) {
            score = dot(n + r * d, query, d)
            exact.offer(score, row: r)
        }
        return zip(exact.rows, exact.scores).map { Neighbor(word: words[$0.0], index: $0.0, similarity: $0.1) }
    }
}
#endif
