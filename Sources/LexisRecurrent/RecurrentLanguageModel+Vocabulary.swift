// A language model's vocabulary: every token type of the training text seen `minCount` times,
// most frequent first, plus `<eos>` (line ends, counted once per line with a token) and `<unk>`
// (everything else). It is the one `Vocabulary` type, built by the one `VocabularyBuilder`.
import LexisText
import LexisVocab

extension RecurrentLanguageModel {
    /// The special tokens a language model's vocabulary holds.
    public static let specialTokens: SpecialTokens = [.endOfSentence, .unknown]

    /// Counts the tokens of a training file (each line with a token ends with `<eos>`); tokens
    /// seen fewer than `minCount` times become `<unk>`. Ordered by count, then by token bytes, so
    /// ids are reproducible. Invalid UTF-8 is replaced by U+FFFD before tokenizing.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, `LexisError/invalidArgument(_:)` when the
    ///   tokenizer cannot be made, or `LexisError/emptyVocabulary(_:)` when the file has no tokens.
    public static func buildVocabulary(path: String, tokenizer: TokenizerOptions, minCount: Int = 1,
                                       threads: Int = defaultThreadCount) throws(LexisError) -> Vocabulary {
        var builder = VocabularyBuilder(tokenizer: tokenizer, minCount: Int64(max(1, minCount)), threads: threads)
        builder.specialTokens = specialTokens
        let (vocabulary, report) = try builder.build(try Corpus(paths: [path]))
        guard report.corpusTokens > 0 else {
            throw .emptyVocabulary("'\(path)' has no tokens: a language model needs a non-empty training file")
        }
        return vocabulary
    }
}
