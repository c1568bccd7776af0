// Reading `label<TAB>text` files: one example per line, tokenized with the project tokenizer.
// A line without a tab or with an empty label is an error naming the line; a text with no tokens
// is skipped and reported, since a blank review carries nothing to learn from.
import LexisText

/// One labeled example: a label and the tokens of its text.
public struct LabeledExample: Sendable, Equatable {
    /// The label, trimmed of spaces and tabs.
    public var label: String
    /// The text's tokens.
    public var tokens: [String]
    /// 1-based line in the source file.
    public var line: Int
    /// Creates an example.
    public init(label: String, tokens: [String], line: Int) { self.label = label; self.tokens = tokens; self.line = line }
}

/// Examples read from a `label<TAB>text` file, one per line.
///
/// Blank lines are skipped; a line whose text has no tokens is skipped and listed in
/// ``emptyLines``. Invalid UTF-8 is replaced by U+FFFD.
///
/// ```swift
/// let options = TokenizerOptions()
/// let train = try LabeledText.read(path: "train.tsv", tokenizer: options)
/// let vocabulary = try SentenceClassifier.buildVocabulary(train)
/// let classifier = try SentenceClassifier(
///     config: ClassifierConfig(vocabularySize: vocabulary.count, classes: train.labels.count),
///     vocabulary: vocabulary, labels: train.labels, tokenizer: options)
/// classifier.initialize(seed: 1)
/// let examples = try classifier.encode(train, path: "train.tsv")
/// let trainer = ClassifierTrainer(model: classifier, options: ClassifierTrainingOptions(),
///                                 train: examples, dev: [])
/// trainer.run()
/// try classifier.save(to: "classifier.lexis")
/// ```
public struct LabeledText: Sendable {
    /// The examples, in file order.
    public var examples: [LabeledExample]
    /// Lines whose text had no tokens (skipped).
    public var emptyLines: [Int]

    /// Reads and tokenizes `path`.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, `LexisError/invalidArgument(_:)` when the
    ///   tokenizer cannot be made, or `LexisError/malformed(path:line:problem:fix:)` for a line
    ///   with no tab or an empty label.
    public static func read(path: String, tokenizer options: TokenizerOptions) throws(LexisError) -> LabeledText {
        let bytes = try FileIO.readAll(path)
        return try parse(bytes, path: path, tokenizer: options)
    }

    /// Parses and tokenizes the contents of a `label<TAB>text` file; `path` is used in errors only.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when the tokenizer cannot be made, or
    ///   `LexisError/malformed(path:line:problem:fix:)` for a line with no tab or an empty label.
    public static func parse(_ bytes: [UInt8], path: String, tokenizer options: TokenizerOptions) throws(LexisError) -> LabeledText {
        let tokenizer = try Tokenizer(options: options)
        var result = LabeledText(examples: [], emptyLines: [])
        var start = 0, lineNumber = 0
        let n = bytes.count
        while start < n {
            var end = start
            while end < n && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var line = bytes[start..<end]
            start = end + 1
            if line.last == 0x0D { line = line.dropLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }   // blank lines separate nothing
            guard let tab = line.firstIndex(of: 0x09) else {
                throw .malformed(path: path, line: lineNumber, problem: "no tab between label and text",
                                 fix: "Write one example per line as label<TAB>text")
            }
            let label = String(decoding: line[line.startIndex..<tab], as: UTF8.self)
                .trimmingASCIIWhitespace()
            guard !label.isEmpty else {
                throw .malformed(path: path, line: lineNumber, problem: "empty label",
                                 fix: "Write one example per line as label<TAB>text")
            }
            // String(decoding:) repairs invalid UTF-8 before the tokenizer sees it.
            let text = String(decoding: line[(tab + 1)...], as: UTF8.self)
            let tokens = tokenizer.tokens(in: text)
            if tokens.isEmpty {
                result.emptyLines.append(lineNumber)
            } else {
                result.examples.append(LabeledExample(label: label, tokens: tokens, line: lineNumber))
            }
        }
        return result
    }

    /// The distinct labels, sorted, so the same data gives the same class ids.
    public var labels: [String] { Array(Set(examples.map(\.label))).sorted() }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
