// Reading `label<TAB>text` files with the one corpus reader: streamed, tokens hashed straight from
// the UTF-8 bytes into the data's own word table (a String per word type, not per token),
// invalid UTF-8 repaired and counted. A line without a tab or with an empty label is an error
// naming the line; a text with no tokens is skipped and reported, since a blank review carries
// nothing to learn from.
import LexisText
import LexisVectors

/// One labeled example: a label and the tokens of its text, as ids into the data's word table.
public struct LabeledExample: Sendable, Equatable {
    /// The label, trimmed of spaces and tabs.
    public var label: String
    /// The text's tokens as indices into ``LabeledText/words``.
    public var tokenIDs: [Int32]
    /// 1-based line in the source file.
    public var line: Int
    /// Creates an example.
    public init(label: String, tokenIDs: [Int32], line: Int) { self.label = label; self.tokenIDs = tokenIDs; self.line = line }
}

/// Examples read from a `label<TAB>text` file, one per line.
///
/// Blank lines are skipped; a line whose text has no tokens is skipped and listed in
/// ``emptyLines``. Invalid UTF-8 is replaced by U+FFFD and counted in ``invalidBytes``.
///
/// ```swift
/// let train = try LabeledText.read(path: "train.tsv", tokenizer: TokenizerOptions())
/// let vocabulary = try SentenceClassifier.buildVocabulary(train)
/// let classifier = try SentenceClassifier(
///     config: ClassifierConfig(vocabularySize: vocabulary.count, classes: train.labels.count),
///     vocabulary: vocabulary, labels: train.labels)
/// classifier.initialize(seed: 1)
/// let examples = try classifier.encode(train)
/// let trainer = ClassifierTrainer(model: classifier, options: ClassifierTrainingOptions(),
///                                 train: examples, dev: [])
/// try trainer.run()
/// try classifier.save(to: "classifier.lexis")
/// ```
public struct LabeledText: Sendable {
    /// The file read, for messages.
    public var path: String
    /// The examples, in file order.
    public var examples: [LabeledExample]
    /// Lines whose text had no tokens (skipped).
    public var emptyLines: [Int]
    /// The distinct tokens of the examples, in the order first seen.
    public var words: [String]
    /// How often each of ``words`` occurs.
    public var wordCounts: [Int64]
    /// The tokenizer settings the texts were tokenized with.
    public var tokenizer: TokenizerOptions
    /// Invalid UTF-8 bytes replaced by U+FFFD.
    public var invalidBytes: Int
    /// Lines whose text had more than the reader's `maximumTokens` (the rest was dropped).
    public var truncatedLines: [Int] = []

    /// Texts are cut after this many tokens by default: far above any sentence or review, and
    /// what keeps a recurrent encoder's workspace (tokens x hidden floats) in memory.
    public static let defaultMaximumTokens = 10_000

    /// The tokens of one example, as strings.
    public func tokens(of example: LabeledExample) -> [String] { example.tokenIDs.map { words[Int($0)] } }

    /// The distinct labels, sorted, so the same data gives the same class ids.
    public var labels: [String] { Array(Set(examples.map(\.label))).sorted() }

    /// Reads and tokenizes `path` (`-` for standard input), streaming it. A text longer than
    /// `maximumTokens` keeps its first `maximumTokens` tokens and is listed in ``truncatedLines``.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, `LexisError/invalidArgument(_:)` when the
    ///   tokenizer cannot be made, or `LexisError/malformed(path:line:problem:fix:)` for a line
    ///   with no tab or an empty label.
    public static func read(path: String, tokenizer options: TokenizerOptions,
                            maximumTokens: Int = defaultMaximumTokens) throws(LexisError) -> LabeledText {
        let tokenizer = try Tokenizer(options: options)
        let reader = try CorpusReader(corpus: try Corpus(paths: [path]))
        let table = ByteStringTable(minimumCapacity: 1 << 14)
        var data = LabeledText(path: path, examples: [], emptyLines: [], words: [], wordCounts: [],
                               tokenizer: options, invalidBytes: 0)
        func bad(_ line: Int, _ problem: String) -> LexisError {
            .malformed(path: path, line: line, problem: problem, fix: "Write one example per line as label<TAB>text")
        }
        // A line can come in several segments (lines longer than the reader's buffer): the label
        // is looked for until a segment holds something other than blanks.
        var label: String? = nil
        var ids: [Int32] = []
        var truncated = false
        while let segment = try reader.next() {
            var text = segment.bytes[...]
            if label == nil {
                // Blank lines separate nothing.
                if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                guard let tab = text.firstIndex(of: 0x09) else { throw bad(segment.line, "no tab between label and text") }
                let name = String(decoding: UnsafeBufferPointer(rebasing: text[..<tab]), as: UTF8.self).trimmingASCIIWhitespace()
                guard !name.isEmpty else { throw bad(segment.line, "empty label") }
                label = name
                text = text[(tab + 1)...]
            }
            tokenizer.forEachToken(in: UnsafeBufferPointer(rebasing: text)) { token, _ in
                if ids.count >= maximumTokens { truncated = true; return }
                let next = Int64(data.words.count)
                if let id = table.insertUnlessPresent(token.baseAddress!, token.count, value: next) {
                    ids.append(Int32(id))
                    data.wordCounts[Int(id)] += 1
                } else {
                    data.words.append(String(decoding: token, as: UTF8.self))
                    data.wordCounts.append(1)
                    ids.append(Int32(next))
                }
            }
            guard segment.endsLine, let name = label else { continue }
            if truncated { data.truncatedLines.append(segment.line) }
            truncated = false
            if ids.isEmpty {
                data.emptyLines.append(segment.line)
            } else {
                data.examples.append(LabeledExample(label: name, tokenIDs: ids, line: segment.line))
            }
            label = nil
            ids.removeAll(keepingCapacity: true)
        }
        data.invalidBytes = reader.invalidBytes
        return data
    }

    /// Tokens and types of the data, and how many of each a set of word vectors covers.
    public func coverage(by vectors: WordVectors) -> (types: Int, coveredTypes: Int, tokens: Int64, coveredTokens: Int64) {
        var covered = 0, tokens: Int64 = 0, coveredTokens: Int64 = 0
        for (word, count) in zip(words, wordCounts) {
            tokens += count
            if vectors.contains(word) { covered += 1; coveredTokens += count }
        }
        return (words.count, covered, tokens, coveredTokens)
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
