// Exact nearest-neighbour search over the unit-normalized rows: one BLAS matrix-vector product
// (many queries: one matrix-matrix product) for the cosines, then a partial sort.
import CBLAS
import LexisText

extension WordVectors {
    // MARK: - Similarity

    /// Cosine similarity, or nil when either word is unknown (a subword model knows every word
    /// with an n-gram; see ``lookup(_:)``).
    ///
    /// Computed from the raw rows; a zero vector has similarity 0 with everything.
    public func similarity(between first: String, and second: String) -> Float? {
        // From the raw rows: one pair should not pay for normalizing the whole matrix.
        guard let a = lookup(first), let b = lookup(second) else { return nil }
        return similarity(a, b)
    }

    /// Cosine distance (1 - cosine similarity), or nil when either word is unknown.
    public func distance(between first: String, and second: String) -> Float? {
        similarity(between: first, and: second).map { 1 - $0 }
    }

    /// The unit-length vector of a word.
    /// Nil when the word is unknown; a zero vector stays zero.
    public func normalizedVector(for word: String) -> [Float]? {
        lookup(word).map(unitVector)
    }

    // MARK: - Neighbours

    /// The words closest to `word` by cosine, the word itself left out; nil when it is unknown.
    /// `restrictTo` searches only the first N rows (the most frequent words in trained vectors).
    ///
    /// - Parameters:
    ///   - word: The query word (byte-for-byte match).
    ///   - maximumCount: The most results to return.
    ///   - restrictTo: Search only the first N rows; nil or less than 1 searches all.
    /// - Returns: At most `maximumCount` results, highest similarity first (ties: lower row first).
    public func neighbors(for word: String, maximumCount: Int = 10, restrictTo: Int? = nil) -> [Neighbor]? {
        guard let query = lookup(word) else { return nil }
        return neighbors(of: query, maximumCount: maximumCount, restrictTo: restrictTo)
    }

    /// The words closest to an arbitrary vector by cosine (the query need not be unit length).
    ///
    /// - Parameters:
    ///   - vector: The query, of ``dimension`` values.
    ///   - maximumCount: The most results to return.
    ///   - restrictTo: Search only the first N rows; nil or less than 1 searches all.
    ///   - excluding: Rows to leave out of the results.
    /// - Returns: At most `maximumCount` results, highest similarity first.
    /// - Precondition: `vector.count == dimension`.
    public func neighbors(for vector: [Float], maximumCount: Int = 10, restrictTo: Int? = nil,
                          excluding: Set<Int> = []) -> [Neighbor] {
        precondition(vector.count == dimension, "query has \(vector.count) values, vectors have \(dimension)")
        var query = vector
        normalize(&query)
        let rows = searchRows(restrictTo)
        let maximumCount = min(max(maximumCount, 0), rows)   // -k 10^12 must not allocate 10^12 slots
        #if !(os(macOS) && arch(x86_64))
        if rows >= Self.halfPrecisionMinimumRows && maximumCount > 0 {
            return query.withUnsafeBufferPointer {
                halfPrecisionSearch($0.baseAddress!, rows: rows, maximumCount: maximumCount, excluding: excluding)
            }
        }
        #endif
        var scores = [Float](repeating: 0, count: rows)
        query.withUnsafeBufferPointer { q in
            scores.withUnsafeMutableBufferPointer { s in
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(dimension), 1, normalized, Int32(dimension),
                            q.baseAddress, 1, 0, s.baseAddress, 1)
            }
        }
        return scores.withUnsafeBufferPointer { best(in: $0.baseAddress!, rows: rows, maximumCount: maximumCount, excluding: excluding) }
    }

    /// Many queries at once (one matrix-matrix product per block of queries). `queries` holds
    /// unit-length vectors, row-major `queryCount x dimension`; `excluding[q]` are rows left out for query q.
    /// The queries are not normalized here: scores of queries that are not unit length are scaled
    /// dot products, not cosines.
    ///
    /// - Returns: One result list per query, in query order.
    /// - Precondition: `queries.count` is a multiple of ``dimension``.
    public func neighbors(forMany queries: [Float], maximumCount: Int = 10, restrictTo: Int? = nil,
                          excluding: [Set<Int>]? = nil) -> [[Neighbor]] {
        precondition(queries.count % dimension == 0, "queries must hold whole vectors of dimension \(dimension)")
        let queryCount = queries.count / dimension
        let rows = searchRows(restrictTo)
        // Blocks of queries whose score matrix stays around 16 MB.
        let block = max(1, min(queryCount, (4 << 20) / max(rows, 1)))
        var scores = [Float](repeating: 0, count: block * rows)
        var results: [[Neighbor]] = []
        results.reserveCapacity(queryCount)
        queries.withUnsafeBufferPointer { q in
            scores.withUnsafeMutableBufferPointer { s in
                var start = 0
                while start < queryCount {
                    let m = min(block, queryCount - start)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(rows), Int32(dimension), 1,
                                q.baseAddress! + start * dimension, Int32(dimension), normalized, Int32(dimension),
                                0, s.baseAddress, Int32(rows))
                    for i in 0..<m {
                        results.append(best(in: s.baseAddress! + i * rows, rows: rows, maximumCount: maximumCount,
                                            excluding: excluding?[start + i] ?? []))
                    }
                    start += m
                }
            }
        }
        return results
    }

    /// The top `maximumCount` of `scores`, leaving out `excluding` (searched as top k + excluded,
    /// then filtered, as gensim does).
    func best(in scores: UnsafePointer<Float>, rows: Int, maximumCount: Int, excluding: Set<Int>) -> [Neighbor] {
        let maximumCount = min(maximumCount, rows)
        guard maximumCount > 0 else { return [] }
        var top = TopK(k: min(maximumCount + excluding.count, rows))
        top.scan(scores, count: rows)
        var result: [Neighbor] = []
        for (row, score) in zip(top.rows, top.scores) where !excluding.contains(row) {
            result.append(Neighbor(word: words[row], index: row, similarity: score))
            if result.count == maximumCount { break }
        }
        return result
    }

    func searchRows(_ restrictTo: Int?) -> Int {
        guard let restrictTo, restrictTo > 0 else { return count }
        return min(restrictTo, count)
    }

    // MARK: - Vector arithmetic

    /// The normalized mean of unit word vectors with weights (+1 added, -1 subtracted), as gensim's
    /// most_similar builds its query; nil when a word is unknown.
    ///
    /// - Returns: A unit-length vector (zero when the terms cancel out), ready for
    ///   ``neighbors(for:maximumCount:restrictTo:excluding:)``.
    public func combination(adding positive: [String], subtracting negative: [String]) -> [Float]? {
        let added = positive.compactMap(lookup), subtracted = negative.compactMap(lookup)
        guard added.count == positive.count, subtracted.count == negative.count else { return nil }
        return combination(adding: added, subtracting: subtracted)
    }

    // MARK: - Analogies

    /// "a is to b as c is to ?": the best answers, leaving out a, b and c; nil when one is unknown
    /// (a subword model builds vectors for words outside the vocabulary, see ``lookup(_:)``).
    ///
    /// ```swift
    /// vectors.analogy(a: "man", b: "king", c: "woman")?.first?.word  // "queen", with good vectors
    /// ```
    ///
    /// - Parameters:
    ///   - method: How the three words are combined; see ``AnalogyMethod``.
    ///   - maximumCount: The most answers to return.
    ///   - restrictTo: Search only the first N rows; nil or less than 1 searches all.
    /// - Returns: At most `maximumCount` answers, best first. Their ``Neighbor/similarity`` is a cosine
    ///   for ``AnalogyMethod/add`` and the 3CosMul score for ``AnalogyMethod/mul``.
    public func analogy(a: String, b: String, c: String, method: AnalogyMethod = .add, maximumCount: Int = 10,
                        restrictTo: Int? = nil) -> [Neighbor]? {
        guard let qa = lookup(a), let qb = lookup(b), let qc = lookup(c) else { return nil }
        return analogy(a: qa, b: qb, c: qc, method: method, maximumCount: maximumCount, restrictTo: restrictTo)
    }

    /// 3CosMul over unit vectors of a, b and c (gensim's most_similar_cosmul).
    func cosMul(unitA: [Float], unitB: [Float], unitC: [Float], maximumCount: Int, restrictTo: Int?,
                excluding excluded: Set<Int>) -> [Neighbor] {
        let rows = searchRows(restrictTo)
        let n = normalized
        let queries = unitA + unitB + unitC
        // Row r of `cosines` holds cos(x, a), cos(x, b), cos(x, c) for word x = r.
        var cosines = [Float](repeating: 0, count: rows * 3)
        queries.withUnsafeBufferPointer { q in
            cosines.withUnsafeMutableBufferPointer { s in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), 3, Int32(dimension), 1,
                            n, Int32(dimension), q.baseAddress, Int32(dimension), 0, s.baseAddress, 3)
            }
        }
        var scores = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            let ca = (1 + cosines[3 * r]) / 2, cb = (1 + cosines[3 * r + 1]) / 2, cc = (1 + cosines[3 * r + 2]) / 2
            scores[r] = cb * cc / (ca + 0.000001)
        }
        return scores.withUnsafeBufferPointer { best(in: $0.baseAddress!, rows: rows, maximumCount: maximumCount, excluding: excluded) }
    }

    /// 3CosAdd for many questions at once, given as rows (a, b, c): for each, the best answers
    /// leaving out a, b and c.
    ///
    /// The cosine with b - a + c is (x.b - x.a + x.c) / |b - a + c| for unit rows, so the scores of
    /// every question are sums of the score vectors of the few distinct words the questions use:
    /// one matrix product for those (questions-words.txt uses ~900 words for ~12,000 questions,
    /// 13x fewer multiply-adds), then three vector adds per question. When those score vectors
    /// would take more than 256 MB, each question gets its own query vector instead.
    ///
    /// - Parameters:
    ///   - questions: Row indices of the words a, b and c of each question.
    ///   - maximumCount: The most answers per question.
    ///   - restrictTo: Search only the first N rows; nil or less than 1 searches all.
    /// - Returns: One answer list per question, in question order.
    /// - Precondition: Every row is in `0..<count`.
    public func analogies(_ questions: [(a: Int, b: Int, c: Int)], maximumCount: Int = 10,
                          restrictTo: Int? = nil) -> [[Neighbor]] {
        analogies(questions, maximumCount: maximumCount, restrictTo: restrictTo, scoreCellLimit: 64 << 20)
    }

    /// `scoreCellLimit`: the most floats of per-word score vectors to hold (tests lower it).
    func analogies(_ questions: [(a: Int, b: Int, c: Int)], maximumCount: Int, restrictTo: Int?,
                   scoreCellLimit: Int) -> [[Neighbor]] {
        let rows = searchRows(restrictTo)
        let d = dimension
        let n = normalized
        var column: [Int: Int] = [:]
        var distinct: [Int] = []
        for q in questions {
            for row in [q.a, q.b, q.c] where column[row] == nil {
                precondition(row >= 0 && row < count, "row \(row) out of range")
                column[row] = distinct.count
                distinct.append(row)
            }
        }
        guard !questions.isEmpty else { return [] }
        let (cells, overflow) = distinct.count.multipliedReportingOverflow(by: rows)
        guard !overflow, cells <= scoreCellLimit else {
            var queries = [Float](repeating: 0, count: questions.count * d)
            for (i, q) in questions.enumerated() {
                for j in 0..<d { queries[i * d + j] = n[q.b * d + j] + n[q.c * d + j] - n[q.a * d + j] }
                let norm = queries.withUnsafeBufferPointer { l2Norm($0.baseAddress! + i * d, d) }
                if norm > 0 { for j in 0..<d { queries[i * d + j] /= norm } }
            }
            return neighbors(forMany: queries, maximumCount: maximumCount, restrictTo: rows,
                             excluding: questions.map { [$0.a, $0.b, $0.c] })
        }
        // scores[w * rows + r] = cos(row r, distinct word w)
        var words = [Float](repeating: 0, count: distinct.count * d)
        for (w, row) in distinct.enumerated() {
            for j in 0..<d { words[w * d + j] = n[row * d + j] }
        }
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(cells, 1))
        defer { scores.deallocate() }
        words.withUnsafeBufferPointer { w in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(distinct.count), Int32(rows), Int32(d), 1,
                        w.baseAddress, Int32(d), n, Int32(d), 0, scores, Int32(rows))
        }
        var combined = [Float](repeating: 0, count: rows)
        return questions.map { q in
            let (sa, sb, sc) = (scores + column[q.a]! * rows, scores + column[q.b]! * rows, scores + column[q.c]! * rows)
            // |b - a + c| from the unit vectors, so the reported similarities are cosines.
            let (a, b, c) = (n + q.a * d, n + q.b * d, n + q.c * d)
            let squared = dot(a, a, d) + dot(b, b, d) + dot(c, c, d) + 2 * (dot(b, c, d) - dot(a, b, d) - dot(a, c, d))
            let scale: Float = squared > 0 ? 1 / squared.squareRoot() : 0
            return combined.withUnsafeMutableBufferPointer { out in
                for r in 0..<rows { out[r] = (sb[r] - sa[r] + sc[r]) * scale }
                return best(in: out.baseAddress!, rows: rows, maximumCount: maximumCount, excluding: [q.a, q.b, q.c])
            }
        }
    }

    /// The word least like the others: farthest from the normalized mean of their unit vectors
    /// (gensim's doesnt_match). Nil when a word is unknown or fewer than two are given.
    public func doesntMatch(_ words: [String]) -> String? {
        let queries = words.compactMap(lookup)
        guard queries.count == words.count, let odd = doesntMatch(queries) else { return nil }
        return words[odd]
    }
}
