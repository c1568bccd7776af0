// Partial sort: the k highest scores of a long array in one pass. A row enters only when it
// beats the current k-th best, so the scan is one well-predicted comparison per row.

struct TopK {
    private(set) var scores: [Float] = []
    private(set) var rows: [Int] = []
    let k: Int

    init(k: Int) {
        self.k = k
        scores.reserveCapacity(k + 1)
        rows.reserveCapacity(k + 1)
    }

    /// Scans `count` scores; `firstRow` is the row number of `scores[0]`.
    mutating func scan(_ values: UnsafePointer<Float>, count: Int, firstRow: Int = 0) {
        guard k > 0 else { return }
        var threshold = scores.count == k ? scores[k - 1] : -Float.infinity
        for i in 0..<count {
            let s = values[i]
            if s > threshold || (scores.count < k && !s.isNaN) {
                insert(s, row: firstRow + i)
                if scores.count == k { threshold = scores[k - 1] }
            }
        }
    }

    /// Considers one score; rows offered in increasing order keep the earlier row first on ties.
    mutating func offer(_ score: Float, row: Int) {
        guard k > 0, !score.isNaN else { return }
        if scores.count < k || score > scores[k - 1] { insert(score, row: row) }
    }

    /// Insertion into the sorted (descending) list; ties keep the earlier row first.
    private mutating func insert(_ score: Float, row: Int) {
        var at = scores.count
        while at > 0 && scores[at - 1] < score { at -= 1 }
        scores.insert(score, at: at)
        rows.insert(row, at: at)
        if scores.count > k {
            scores.removeLast()
            rows.removeLast()
        }
    }
}
