// A vocabulary: tokens with counts, ordered by count (descending, ties by token bytes), so ids are
// deterministic. It also records the tokenizer settings that produced it, and gives training what
// it needs: id lookup from UTF-8 bytes, subsampling keep-probabilities and the noise distribution.
import LexisText

/// Tokens with their corpus counts, and the tokenizer settings that produced them. A token's id is
/// its index in ``tokens``.
///
/// ``VocabularyBuilder`` orders tokens by count (descending, ties by token bytes), so ids are
/// deterministic. Immutable, and safe to share between threads.
///
/// ```swift
/// let corpus = try Corpus(paths: ["corpus.txt"])
/// let (vocabulary, _) = try VocabularyBuilder(minCount: 5).build(corpus)
/// try vocabulary.save(to: "vocab.txt")
/// let id = vocabulary.id(of: "king")  // nil when the token is not in the vocabulary
/// ```
public final class Vocabulary: @unchecked Sendable {  // immutable after init; lookups are read-only
    /// Tokens in id order.
    public let tokens: [String]
    /// Corpus count of each token, in id order.
    public let counts: [Int64]
    /// The tokenizer settings the counts were made with; text must be tokenized the same way to
    /// look tokens up.
    public let tokenizer: TokenizerOptions
    /// Sum of `counts`: the number of corpus tokens that are in the vocabulary.
    public let totalCount: Int64
    private let lookup: ByteStringTable

    /// The number of tokens.
    public var count: Int { tokens.count }
    /// Whether the vocabulary has no tokens.
    public var isEmpty: Bool { tokens.isEmpty }

    /// Tokens must be distinct; ids are their positions.
    ///
    /// - Parameters:
    ///   - tokens: Distinct tokens in id order.
    ///   - counts: One count per token.
    ///   - tokenizer: The settings the tokens were made with.
    /// - Throws: `LexisError/invalidArgument(_:)` when the counts do not match the tokens or a
    ///   token appears twice.
    public init(tokens: [String], counts: [Int64], tokenizer: TokenizerOptions) throws(LexisError) {
        guard tokens.count == counts.count else {
            throw .invalidArgument("vocabulary has \(tokens.count) tokens but \(counts.count) counts")
        }
        let table = ByteStringTable(minimumCapacity: tokens.count)
        for (id, token) in tokens.enumerated() where !table.insert(token, value: Int64(id)) {
            throw .invalidArgument("token '\(token)' appears twice in the vocabulary")
        }
        self.tokens = tokens
        self.counts = counts
        self.tokenizer = tokenizer
        lookup = table
        totalCount = counts.reduce(0, +)
    }

    /// The id of a token, or nil.
    public func id(of token: String) -> Int? {
        lookup.value(for: token).map { Int($0) }
    }

    /// The id of a token given as UTF-8 bytes, or -1: the training hot path.
    @inline(__always)
    public func id(bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard let p = bytes.baseAddress else { return -1 }
        return lookup.value(p, bytes.count).map { Int32(truncatingIfNeeded: $0) } ?? -1
    }

    /// Whether `token` is in the vocabulary.
    public func contains(_ token: String) -> Bool { id(of: token) != nil }

    // MARK: - What training needs

    /// word2vec's subsampling: a token with frequency f = count/total is kept with probability
    /// (sqrt(f/s) + 1) * s/f, capped at 1, where s is `sample`. `sample` <= 0 keeps everything.
    ///
    /// - Returns: One keep-probability per id.
    public func keepProbabilities(sample: Double) -> [Float] {
        guard sample > 0, totalCount > 0 else { return [Float](repeating: 1, count: count) }
        let threshold = sample * Double(totalCount)
        return counts.map { c in
            let cn = Double(max(c, 1))
            return Float(min(1, ((cn / threshold).squareRoot() + 1) * threshold / cn))
        }
    }

    /// The negative-sampling noise distribution: P(w) proportional to count^power (0.75 in word2vec).
    ///
    /// - Returns: A sampler whose outcomes are token ids.
    public func noiseDistribution(power: Double = 0.75) -> AliasSampler {
        AliasSampler(weights: counts.map { Double($0) > 0 ? pow(Double($0), power) : 0 })
    }

    /// The vocabulary cut to the first `size` tokens (the most frequent).
    /// Ids are unchanged; the vocabulary itself is returned when it has at most `size` tokens.
    public func truncated(to size: Int) -> Vocabulary {
        if size >= count { return self }
        // Cannot fail: a prefix of distinct tokens is distinct.
        return try! Vocabulary(tokens: Array(tokens[..<size]), counts: Array(counts[..<size]), tokenizer: tokenizer)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
