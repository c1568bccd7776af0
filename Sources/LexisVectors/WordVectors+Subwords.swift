// Queries that work for any word of a subword model: a word of the vocabulary answers with its
// row, any other word with the vector its character n-grams give (SubwordModel). The string-based
// queries of WordVectors+Search.swift go through `lookup`, so they answer unknown words too when
// the vectors have n-grams; these vector-based forms are what the CLI uses to say which is which.
import LexisText

/// A word's vector as a query: its row in the vocabulary, or one built from its character n-grams.
public struct WordVector: Sendable {
    /// The word as it was looked up.
    public let word: String
    /// The row of the word in the vectors; nil when the vector was built from subwords.
    public let row: Int?
    /// The raw (not normalized) vector.
    public let values: [Float]
    /// Whether the word is outside the vocabulary and its vector comes from its n-grams.
    public var isFromSubwords: Bool { row == nil }
}

extension WordVectors {
    /// Whether these vectors can build a vector for any word (a subword model).
    public var hasSubwords: Bool { subwords != nil }

    /// The word's row (byte-for-byte match), or, for a subword model, the vector its n-grams give;
    /// nil when neither exists.
    public func lookup(_ word: String) -> WordVector? {
        if let row = index(of: word) { return WordVector(word: word, row: row, values: vector(at: row)) }
        guard let values = subwords?.vector(forUnknown: word) else { return nil }
        return WordVector(word: word, row: nil, values: values)
    }

    /// A word as a user typed it: its ``vocabularyForm(of:)`` when it has one; else, for a subword
    /// model, the vector of the token the recorded tokenizer makes of it (case-folded...), or of
    /// the word as typed. Nil when the word is unknown and there are no n-grams.
    public func queryVector(for word: String) -> WordVector? {
        if let form = vocabularyForm(of: word) { return lookup(form) }
        guard hasSubwords else { return nil }
        if let tokenizer, let tokens = try? Tokenizer(options: tokenizer).tokens(in: word), tokens.count == 1,
           let built = lookup(tokens[0]) {
            return built
        }
        return lookup(word)
    }

    /// The unit-length vector of a query (its normalized row, or its subword vector normalized).
    func unitVector(_ query: WordVector) -> [Float] {
        if let row = query.row { return Array(UnsafeBufferPointer(start: normalized + row * dimension, count: dimension)) }
        var values = query.values
        normalize(&values)
        return values
    }

    /// Cosine similarity of two queries; a zero vector has similarity 0 with everything.
    public func similarity(_ first: WordVector, _ second: WordVector) -> Float {
        first.values.withUnsafeBufferPointer { a in
            second.values.withUnsafeBufferPointer { b in
                let norms = l2Norm(a.baseAddress!, dimension) * l2Norm(b.baseAddress!, dimension)
                return norms > 0 ? dot(a.baseAddress!, b.baseAddress!, dimension) / norms : 0
            }
        }
    }

    /// The words closest to a query by cosine, the query's own row left out.
    public func neighbors(of query: WordVector, maximumCount: Int = 10, restrictTo: Int? = nil) -> [Neighbor] {
        neighbors(for: unitVector(query), maximumCount: maximumCount, restrictTo: restrictTo,
                  excluding: query.row.map { [$0] } ?? [])
    }

    /// The normalized sum of unit query vectors, added and subtracted (gensim's most_similar query).
    public func combination(adding positive: [WordVector], subtracting negative: [WordVector]) -> [Float] {
        var sum = [Float](repeating: 0, count: dimension)
        for (queries, sign) in [(positive, Float(1)), (negative, Float(-1))] {
            for query in queries {
                let unit = unitVector(query)
                for j in 0..<dimension { sum[j] += sign * unit[j] }
            }
        }
        normalize(&sum)
        return sum
    }

    /// "a is to b as c is to ?" for queries, leaving out the rows of a, b and c.
    public func analogy(a: WordVector, b: WordVector, c: WordVector, method: AnalogyMethod = .add, maximumCount: Int = 10,
                        restrictTo: Int? = nil) -> [Neighbor] {
        let excluded = Set([a.row, b.row, c.row].compactMap { $0 })
        switch method {
        case .add:
            return neighbors(for: combination(adding: [b, c], subtracting: [a]), maximumCount: maximumCount,
                             restrictTo: restrictTo, excluding: excluded)
        case .mul:
            return cosMul(unitA: unitVector(a), unitB: unitVector(b), unitC: unitVector(c), maximumCount: maximumCount,
                          restrictTo: restrictTo, excluding: excluded)
        }
    }

    /// The position in `queries` of the one least like the others (gensim's doesnt_match); nil for
    /// fewer than two.
    public func doesntMatch(_ queries: [WordVector]) -> Int? {
        guard queries.count >= 2 else { return nil }
        let mean = combination(adding: queries, subtracting: [])
        var worst: (position: Int, score: Float)? = nil
        for (position, query) in queries.enumerated() {
            let unit = unitVector(query)
            let score = mean.withUnsafeBufferPointer { m in unit.withUnsafeBufferPointer { dot(m.baseAddress!, $0.baseAddress!, dimension) } }
            if worst == nil || score < worst!.score { worst = (position, score) }
        }
        return worst?.position
    }
}

extension WordVectors {
    /// A vector for a piece of text, as fastText's print-sentence-vectors makes one for
    /// unsupervised models: the mean of the unit vectors of its words (words without a vector, or
    /// with a zero one, left out); zero when no word has one. Words are the recorded tokenizer's
    /// tokens when the vectors record one, else the whitespace-separated pieces (as fastText).
    ///
    /// - Returns: ``dimension`` values, and how many words contributed.
    public func sentenceVector(for text: String) -> (values: [Float], words: Int) {
        let pieces: [String]
        if let tokenizer, let tokens = try? Tokenizer(options: tokenizer).tokens(in: text) {
            pieces = tokens
        } else {
            pieces = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).map(String.init)
        }
        var sum = [Float](repeating: 0, count: dimension)
        var used = 0
        for piece in pieces {
            guard let query = queryVector(for: piece) else { continue }
            let norm = query.values.withUnsafeBufferPointer { l2Norm($0.baseAddress!, dimension) }
            guard norm > 0 else { continue }
            for j in 0..<dimension { sum[j] += query.values[j] * (1 / norm) }
            used += 1
        }
        if used > 0 { for j in 0..<dimension { sum[j] *= Float(1.0 / Double(used)) } }
        return (sum, used)
    }
}

extension WordVectors {
    /// The vectors of a subword model: each word's row is its own input row and its n-grams' rows
    /// averaged, as fastText's get_word_vector gives it; `subwords` answers every other word.
    ///
    /// - Parameters:
    ///   - words: Distinct, non-empty words, one per word row of `subwords` (same order).
    ///   - subwords: The input matrix and hashing.
    ///   - counts: Corpus counts, one per word, if known.
    ///   - tokenizer: The tokenizer settings the vectors were trained with, if known.
    /// - Throws: `LexisError/invalidArgument(_:)` when `words` does not match the word rows, or a
    ///   word is empty or duplicated; `LexisError/emptyVocabulary(_:)` when `words` is empty.
    public convenience init(words: [String], subwords: SubwordModel, counts: [Int64]? = nil,
                            tokenizer: TokenizerOptions? = nil) throws(LexisError) {
        guard words.count == subwords.wordCount else {
            throw .invalidArgument("\(words.count) words for a subword model of \(subwords.wordCount) word rows")
        }
        try self.init(words: words, dimension: subwords.dimension, storage: subwords.wordVectors(words: words),
                      counts: counts, tokenizer: tokenizer, subwords: subwords)
    }
}
