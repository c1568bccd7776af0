// The one vocabulary of Lexis: tokens with counts, the tokenizer settings that produced them and
// optional special tokens (`<unk>`, `<eos>`, `<pad>`). word2vec, the language models and the
// classifiers all use it; ids come straight from UTF-8 bytes through a ByteStringTable.
import LexisText

/// Tokens with their corpus counts, the tokenizer settings that produced them and optional
/// special tokens. A token's id is its index in ``tokens``.
///
/// ``VocabularyBuilder`` orders tokens by count (descending, ties by token bytes), so ids are
/// deterministic. word2vec uses a vocabulary without special tokens; language models add
/// `<eos>` (line ends) and `<unk>` (unknown words), classifiers `<unk>` and `<eos>`.
/// Immutable, and safe to share between threads.
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
    /// The special tokens the vocabulary holds.
    public let specialTokens: SpecialTokens
    /// The id of ``SpecialTokens/unknownToken`` (what unknown tokens map to), if present.
    public let unknownID: Int32?
    /// The id of ``SpecialTokens/endOfSentenceToken`` (line ends), if present.
    public let endOfSentenceID: Int32?
    /// The id of ``SpecialTokens/paddingToken``, if present.
    public let paddingID: Int32?
    private let lookup: ByteStringTable

    /// The number of tokens, special ones included.
    public var count: Int { tokens.count }
    /// Whether the vocabulary has no tokens.
    public var isEmpty: Bool { tokens.isEmpty }

    /// Tokens must be distinct; ids are their positions. Each special token asked for that
    /// `tokens` does not hold is appended with count 0, in the order `<eos>`, `<unk>`, `<pad>`.
    ///
    /// - Parameters:
    ///   - tokens: Distinct tokens in id order.
    ///   - counts: One count per token.
    ///   - tokenizer: The settings the tokens were made with.
    ///   - specialTokens: The special tokens the vocabulary must hold.
    /// - Throws: `LexisError/invalidArgument(_:)` when the counts do not match the tokens, a count
    ///   is negative, the counts add up past `Int64.max` or a token appears twice.
    public init(tokens: [String], counts: [Int64], tokenizer: TokenizerOptions,
                specialTokens: SpecialTokens = []) throws(LexisError) {
        guard tokens.count == counts.count else {
            throw .invalidArgument("vocabulary has \(tokens.count) tokens but \(counts.count) counts")
        }
        // Counts come from files: a negative count or a total past Int64.max would trap below.
        var total: Int64 = 0
        for c in counts {
            let (sum, overflow) = total.addingReportingOverflow(c)
            guard c >= 0, !overflow else {
                throw .invalidArgument("token counts must be non-negative and add up to at most \(Int64.max)")
            }
            total = sum
        }
        var tokens = tokens, counts = counts
        let table = ByteStringTable(minimumCapacity: tokens.count + 3)
        for (id, token) in tokens.enumerated() where table.insertUnlessPresent(token, value: Int64(id)) != nil {
            throw .invalidArgument("token '\(token)' appears twice in the vocabulary")
        }
        func special(_ member: SpecialTokens, _ token: String) -> Int32? {
            guard specialTokens.contains(member) else { return nil }
            if let id = table.value(for: token) { return Int32(id) }
            table.insert(token, value: Int64(tokens.count))
            tokens.append(token)
            counts.append(0)
            return Int32(tokens.count - 1)
        }
        endOfSentenceID = special(.endOfSentence, SpecialTokens.endOfSentenceToken)
        unknownID = special(.unknown, SpecialTokens.unknownToken)
        paddingID = special(.padding, SpecialTokens.paddingToken)
        self.tokens = tokens
        self.counts = counts
        self.tokenizer = tokenizer
        self.specialTokens = specialTokens
        lookup = table
        totalCount = total
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

    /// The id of a token, or the `<unk>` id (-1 for a vocabulary without `<unk>`).
    public func idOrUnknown(_ token: String) -> Int32 {
        id(of: token).map { Int32($0) } ?? unknownID ?? -1
    }

    /// The id of a token given as UTF-8 bytes, or the `<unk>` id (-1 without `<unk>`).
    @inline(__always)
    public func idOrUnknown(bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let id = id(bytes: bytes)
        return id >= 0 ? id : unknownID ?? -1
    }

    /// Whether `token` is in the vocabulary.
    public func contains(_ token: String) -> Bool { id(of: token) != nil }

    /// Vocabularies are equal when they list the same tokens, counts and special tokens in the same
    /// order, made with the same tokenizer settings.
    public func sameContents(as other: Vocabulary) -> Bool {
        tokens == other.tokens && counts == other.counts && specialTokens == other.specialTokens
            && tokenizer == other.tokenizer
    }

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

    /// The same tokens with other tokenizer settings: in practice the recorded settings with the
    /// phrase table they name attached (``TokenizerOptions/attaching(phrases:)``).
    public func replacingTokenizer(_ options: TokenizerOptions) -> Vocabulary {
        if options == tokenizer && (options.phrases?.table != nil) == (tokenizer.phrases?.table != nil) { return self }
        // Cannot fail: the tokens and counts are this vocabulary's.
        return try! Vocabulary(tokens: tokens, counts: counts, tokenizer: options, specialTokens: specialTokens)
    }

    /// The vocabulary cut to the first `size` tokens (the most frequent).
    /// Ids are unchanged; the vocabulary itself is returned when it has at most `size` tokens.
    public func truncated(to size: Int) -> Vocabulary {
        if size >= count { return self }
        // Cannot fail: a prefix of distinct tokens is distinct.
        return try! Vocabulary(tokens: Array(tokens[..<size]), counts: Array(counts[..<size]), tokenizer: tokenizer)
    }
}

/// Tokens with a fixed meaning that a vocabulary may hold besides the corpus's own.
public struct SpecialTokens: OptionSet, Sendable, Hashable {
    /// The option set's bits.
    public let rawValue: UInt32
    /// Creates a set from its bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `<unk>`: what a token outside the vocabulary maps to.
    public static let unknown = SpecialTokens(rawValue: 1)
    /// `<eos>`: the end of a line (a sentence), as language models predict it.
    public static let endOfSentence = SpecialTokens(rawValue: 2)
    /// `<pad>`: filler for batches of unequal lengths.
    public static let padding = SpecialTokens(rawValue: 4)

    /// The spelling of ``unknown``.
    public static let unknownToken = "<unk>"
    /// The spelling of ``endOfSentence``.
    public static let endOfSentenceToken = "<eos>"
    /// The spelling of ``padding``.
    public static let paddingToken = "<pad>"

    /// The names used in vocabulary files, in a fixed order.
    var names: [String] {
        [(SpecialTokens.unknown, "unk"), (.endOfSentence, "eos"), (.padding, "pad")]
            .filter { contains($0.0) }.map(\.1)
    }

    /// The set named by ``names``; nil for an unknown name.
    init?(names: [Substring]) {
        self = []
        for name in names {
            switch name {
            case "unk": insert(.unknown)
            case "eos": insert(.endOfSentence)
            case "pad": insert(.padding)
            default: return nil
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
