// Query words as users type them: vectors trained by Lexis record their tokenizer settings, so a
// query such as "King" can be normalized the way the training text was ("king").
import LexisText

extension WordVectors {
    /// The vocabulary word a query stands for: the word itself when present; otherwise, for
    /// vectors that record their tokenizer settings, the single token that tokenizer makes of it
    /// (case-folded, NFKC-normalized...) when that is present. Nil when neither is.
    public func vocabularyForm(of word: String) -> String? {
        if contains(word) { return word }
        guard let tokenizer, let tokens = try? Tokenizer(options: tokenizer.withoutPhrases).tokens(in: word),
              tokens.count == 1, contains(tokens[0]) else { return nil }
        return tokens[0]
    }
}
