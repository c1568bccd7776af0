// One search result.

/// A search result: a word, its row and its score.
public struct Neighbor: Sendable, Hashable, CustomStringConvertible {
    /// The word found.
    public let word: String
    /// The word's row in the vectors.
    public let index: Int
    /// Cosine similarity for neighbours and 3CosAdd; the 3CosMul score for `analogy(method: .mul)`.
    public let similarity: Float

    /// Creates a result.
    public init(word: String, index: Int, similarity: Float) {
        self.word = word
        self.index = index
        self.similarity = similarity
    }

    /// `word similarity`, as the `lexis` command prints it.
    public var description: String { "\(word) \(similarity)" }
}

/// How `analogy` combines the three query words (Levy and Goldberg 2014).
public enum AnalogyMethod: String, Sendable, CaseIterable {
    /// 3CosAdd: cos(x, b - a + c) with unit vectors (word2vec's word-analogy, gensim's most_similar).
    case add
    /// 3CosMul: cos'(x,b) cos'(x,c) / (cos'(x,a) + 1e-6) with cos' = (1 + cos) / 2 (gensim's most_similar_cosmul).
    case mul
}
