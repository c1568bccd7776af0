// The language model's own word <-> id table (the model file carries it). Built from the training
// text: every token type, most frequent first, plus `<eos>` (line ends) and `<unk>` (unknown words).
import LexisText

/// A language model's word-to-id table, carried in the model file: every word, plus
/// ``endOfSentence`` (line ends) and ``unknown`` (words not in the table).
public struct LMVocabulary: Sendable, Equatable {
    /// The token that ends every line.
    public static let endOfSentence = "<eos>"
    /// The token that stands for every word not in the vocabulary.
    public static let unknown = "<unk>"

    /// Words in id order.
    public let words: [String]
    private let index: [String: Int32]
    /// The id of ``unknown``.
    public let unknownID: Int32
    /// The id of ``endOfSentence``.
    public let endOfSentenceID: Int32

    /// `words` must be unique; `<eos>` and `<unk>` are appended when missing.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when a word appears twice.
    public init(words: [String]) throws(LexisError) {
        var words = words
        if !words.contains(Self.endOfSentence) { words.append(Self.endOfSentence) }
        if !words.contains(Self.unknown) { words.append(Self.unknown) }
        var index: [String: Int32] = [:]
        index.reserveCapacity(words.count)
        for (i, w) in words.enumerated() {
            guard index.updateValue(Int32(i), forKey: w) == nil else {
                throw .invalidArgument("the vocabulary lists '\(w)' twice")
            }
        }
        self.words = words
        self.index = index
        unknownID = index[Self.unknown]!
        endOfSentenceID = index[Self.endOfSentence]!
    }

    /// The number of words, `<eos>` and `<unk>` included.
    public var count: Int { words.count }

    /// The id of `word`, or ``unknownID``.
    public func id(_ word: String) -> Int32 { index[word] ?? unknownID }
    /// Whether `word` has its own id.
    public func contains(_ word: String) -> Bool { index[word] != nil }

    /// Vocabularies are equal when they list the same words in the same order.
    public static func == (a: LMVocabulary, b: LMVocabulary) -> Bool { a.words == b.words }

    /// Counts the tokens of a file (each line ends with `<eos>`); words with fewer than `minCount`
    /// occurrences become `<unk>`. Ordered by count, then alphabetically, so ids are reproducible.
    ///
    /// Blank lines are skipped. Invalid UTF-8 is replaced by U+FFFD before tokenizing.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, `LexisError/invalidArgument(_:)` when the
    ///   tokenizer cannot be made, or `LexisError/emptyVocabulary(_:)` when the file has no tokens.
    public static func build(path: String, tokenizer options: TokenizerOptions, minCount: Int = 1) throws(LexisError) -> LMVocabulary {
        var counts: [String: Int] = [:]
        try LMText.forEachLine(path: path, options: options) { tokens in
            for t in tokens { counts[t, default: 0] += 1 }
            counts[endOfSentence, default: 0] += 1
        }
        let total = counts.values.reduce(0, +) - (counts[endOfSentence] ?? 0)
        guard total > 0 else {
            throw .emptyVocabulary("'\(path)' has no tokens: a language model needs a non-empty training file")
        }
        let kept = counts.filter { $0.value >= minCount || $0.key == endOfSentence }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map(\.key)
        return try LMVocabulary(words: kept)
    }

    /// The ids of a file's tokens, `<eos>` after every line, `<unk>` for words not in the vocabulary.
    ///
    /// Blank lines add nothing, not even `<eos>`. Use the tokenizer settings the vocabulary was built with.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/invalidArgument(_:)` when
    ///   the tokenizer cannot be made.
    public func encode(path: String, tokenizer options: TokenizerOptions) throws(LexisError) -> [Int32] {
        var ids: [Int32] = []
        if let size = FileIO.size(of: path) { ids.reserveCapacity(size / 5) }
        try LMText.forEachLine(path: path, options: options) { tokens in
            for t in tokens { ids.append(id(t)) }
            ids.append(endOfSentenceID)
        }
        return ids
    }

    /// The ids of a string's tokens (no `<eos>` added).
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when the tokenizer cannot be made.
    public func encode(text: String, tokenizer options: TokenizerOptions) throws(LexisError) -> [Int32] {
        let tokenizer = try Tokenizer(options: options)
        return tokenizer.tokens(in: text).map { id($0) }
    }
}

/// Reads text files line by line through the project tokenizer.
enum LMText {
    /// Calls `body` with the tokens of every non-empty line (blank lines carry no sentence).
    static func forEachLine(path: String, options: TokenizerOptions,
                            _ body: ([String]) -> Void) throws(LexisError) {
        let bytes = try FileIO.readAll(path)
        let tokenizer = try Tokenizer(options: options)
        var tokens: [String] = []
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            let n = all.count
            while start < n {
                var end = start
                while end < n && all[end] != 0x0A { end += 1 }
                tokens.removeAll(keepingCapacity: true)
                let line = UnsafeBufferPointer(rebasing: all[start..<end])
                // Invalid UTF-8 is repaired by String's decoding before tokenizing.
                if line.contains(where: { $0 >= 0x80 }) {
                    var text = String(decoding: line, as: UTF8.self)
                    text.withUTF8 { utf8 in
                        tokenizer.forEachToken(in: utf8) { token, _ in tokens.append(String(decoding: token, as: UTF8.self)) }
                    }
                } else {
                    tokenizer.forEachToken(in: line) { token, _ in tokens.append(String(decoding: token, as: UTF8.self)) }
                }
                if !tokens.isEmpty { body(tokens) }
                start = end + 1
            }
        }
    }
}
