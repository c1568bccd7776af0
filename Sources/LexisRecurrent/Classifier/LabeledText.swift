// Reading labeled text with the one corpus reader: streamed, tokens hashed straight from the UTF-8
// bytes into the data's own word table (a String per word type, not per token), invalid UTF-8
// repaired and counted. Two line formats, told apart by the file's first non-blank line:
// `label<TAB>text`, and fastText's `__label__a __label__b text` (one or more labels, anywhere in
// the line, as fastText accepts them). A line with no label (no tab, no `__label__`) or an empty
// label is an error naming the line; a text with no tokens (a label alone, too) is skipped and
// reported, since a blank review carries nothing to learn from.
import LexisText
import LexisVectors

/// One labeled example: its labels (one, or several in fastText's multi-label lines) and the
/// tokens of its text, as ids into the data's word table.
public struct LabeledExample: Sendable, Equatable {
    /// The labels in line order, without repeats; at least one.
    public var labels: [String]
    /// The text's tokens as indices into ``LabeledText/words``.
    public var tokenIDs: [Int32]
    /// 1-based line in the source file.
    public var line: Int
    /// The first label (the only one of a single-label example).
    public var label: String { labels[0] }
    /// Creates an example with one label.
    public init(label: String, tokenIDs: [Int32], line: Int) { self.init(labels: [label], tokenIDs: tokenIDs, line: line) }
    /// Creates an example with several labels.
    ///
    /// - Precondition: `labels` is not empty.
    public init(labels: [String], tokenIDs: [Int32], line: Int) {
        precondition(!labels.isEmpty)
        self.labels = labels; self.tokenIDs = tokenIDs; self.line = line
    }
}

/// How the lines of a labeled file give their labels.
public enum LabeledTextFormat: String, Sendable, CaseIterable {
    /// `label<TAB>text`: one label, before the first tab.
    case tabSeparated = "tsv"
    /// fastText's `__label__x text`: every white-space separated word starting with `__label__`
    /// is a label (one or more per line, anywhere in the line); the rest is the text.
    case fastText = "fasttext"

    /// The prefix that marks a fastText label.
    public static let fastTextPrefix: [UInt8] = Array("__label__".utf8)

    /// The format of a file whose first non-blank line is `line`: fastText when its first word
    /// starts with `__label__`, else tab-separated.
    public static func detect(firstLine line: UnsafeBufferPointer<UInt8>) -> LabeledTextFormat {
        guard let start = line.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return .tabSeparated }
        let rest = line[start...]
        return rest.starts(with: fastTextPrefix) ? .fastText : .tabSeparated
    }
}

/// Examples read from a labeled file, one per line: `label<TAB>text`, or fastText's
/// `__label__x text` (several labels per line allowed), told apart by the first non-blank line.
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
    /// The line format found in the file.
    public var format: LabeledTextFormat = .tabSeparated
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
    public var labels: [String] { Array(Set(examples.flatMap(\.labels))).sorted() }

    /// Whether some example has more than one label.
    public var isMultiLabel: Bool { examples.contains { $0.labels.count > 1 } }

    /// Reads and tokenizes `path` (`-` for standard input), streaming it. The line format is
    /// detected from the first non-blank line (``LabeledTextFormat/detect(firstLine:)``). A text
    /// longer than `maximumTokens` keeps its first `maximumTokens` tokens and is listed in
    /// ``truncatedLines``.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, `LexisError/invalidArgument(_:)` when the
    ///   tokenizer cannot be made, or `LexisError/malformed(path:line:problem:fix:)` for a line
    ///   with no label (no tab; in a fastText file, no `__label__` word) or an empty label.
    public static func read(path: String, tokenizer options: TokenizerOptions,
                            maximumTokens: Int = defaultMaximumTokens) throws(LexisError) -> LabeledText {
        let tokenizer = try Tokenizer(options: options)
        let reader = try CorpusReader(corpus: try Corpus(paths: [path]))
        let table = ByteStringTable(minimumCapacity: 1 << 14)
        var data = LabeledText(path: path, examples: [], emptyLines: [], words: [], wordCounts: [],
                               tokenizer: options, invalidBytes: 0)
        var format: LabeledTextFormat? = nil
        func bad(_ line: Int, _ problem: String) -> LexisError {
            .malformed(path: path, line: line, problem: problem,
                       fix: format == .fastText
                           ? "Write one example per line as __label__x [__label__y ...] text (this file's first line is in fastText's format)"
                           : "Write one example per line as label<TAB>text, or __label__x text as fastText does")
        }
        // A line can come in several segments (lines longer than the reader's buffer, cut at
        // white space): a tab-separated label is looked for until a segment holds something other
        // than blanks; fastText labels are gathered from every segment of the line.
        var labels: [String] = []
        var started = false
        var ids: [Int32] = []
        var truncated = false
        var scratch: [UInt8] = []
        while let segment = try reader.next() {
            var text = segment.bytes[...]
            if format == nil {
                if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                format = LabeledTextFormat.detect(firstLine: segment.bytes)
                data.format = format!
            }
            if format == .fastText {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: text)
                if let problem = takeFastTextLabels(&scratch, into: &labels) { throw bad(segment.line, problem) }
                started = true
                scratch.withUnsafeBufferPointer { tokenize($0) }
            } else {
                if !started {
                    // Blank lines separate nothing.
                    if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    guard let tab = text.firstIndex(of: 0x09) else {
                        throw bad(segment.line, text.starts(with: LabeledTextFormat.fastTextPrefix)
                                  ? "a fastText label in a tab-separated file (the first line has label<TAB>text)"
                                  : "no tab between label and text")
                    }
                    let name = String(decoding: UnsafeBufferPointer(rebasing: text[..<tab]), as: UTF8.self).trimmingASCIISpace()
                    guard !name.isEmpty else { throw bad(segment.line, "empty label") }
                    labels = [name]
                    started = true
                    text = text[(tab + 1)...]
                }
                tokenize(UnsafeBufferPointer(rebasing: text))
            }
            guard segment.endsLine else { continue }
            defer {
                started = false; labels.removeAll(); truncated = false
                ids.removeAll(keepingCapacity: true)
            }
            // fastText: a blank line carries nothing; a line of words without a label is an error.
            if format == .fastText && labels.isEmpty {
                if ids.isEmpty && segment.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                throw bad(segment.line, "no label (no word starting with __label__)")
            }
            if truncated { data.truncatedLines.append(segment.line) }
            if ids.isEmpty {
                data.emptyLines.append(segment.line)
            } else {
                data.examples.append(LabeledExample(labels: labels, tokenIDs: ids, line: segment.line))
            }
        }
        data.invalidBytes = reader.invalidBytes
        return data

        func tokenize(_ text: UnsafeBufferPointer<UInt8>) {
            tokenizer.forEachToken(in: text) { token, _ in
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
        }
    }

    /// Moves every `__label__x` word of `bytes` into `labels` (in order, repeats dropped) and
    /// blanks it out, leaving the text. Returns what is wrong (a `__label__` with no name), or nil.
    static func takeFastTextLabels(_ bytes: inout [UInt8], into labels: inout [String]) -> String? {
        let prefix = LabeledTextFormat.fastTextPrefix
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C || b == 0x0D }
        var i = 0
        while i < bytes.count {
            if isSpace(bytes[i]) { i += 1; continue }
            var end = i
            while end < bytes.count && !isSpace(bytes[end]) { end += 1 }
            if end - i >= prefix.count && bytes[i..<(i + prefix.count)].elementsEqual(prefix) {
                guard end - i > prefix.count else { return "empty label (__label__ with no name after it)" }
                let name = String(decoding: bytes[(i + prefix.count)..<end], as: UTF8.self)
                if !labels.contains(name) { labels.append(name) }
                for k in i..<end { bytes[k] = 0x20 }
            }
            i = end
        }
        return nil
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
