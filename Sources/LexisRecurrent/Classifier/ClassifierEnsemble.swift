// An ensemble of sentence classifiers of one architecture, vocabulary, label set and tokenizer,
// trained from different seeds; its class probabilities are the members' averaged. Saved in one
// model file (the members' parameters back to back). An ensemble of one is the single model.
import LexisTensor
import LexisText
import LexisVocab

/// Sentence classifiers of one architecture, vocabulary, label set and tokenizer (trained from
/// different seeds) whose class probabilities are averaged. Saved in one file; an ensemble of
/// one is the single model.
public final class ClassifierEnsemble {
    /// The classifiers, at least one.
    public let members: [SentenceClassifier]
    /// What training recorded (saved with the model).
    public var trainingSummary: [String: String] = [:]

    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when `members` is empty or the members differ in
    ///   architecture, vocabulary, labels or tokenizer.
    public init(members: [SentenceClassifier]) throws(LexisError) {
        guard let first = members.first else { throw .invalidArgument("an ensemble needs at least one classifier") }
        for m in members.dropFirst() {
            guard m.config == first.config, m.vocabulary.sameContents(as: first.vocabulary), m.labels == first.labels,
                  m.tokenizer == first.tokenizer else {
                throw .invalidArgument("the classifiers of an ensemble must share architecture, vocabulary, labels and tokenizer")
            }
        }
        self.members = members
    }

    /// The members' architecture.
    public var config: ClassifierConfig { members[0].config }
    /// The members' vocabulary.
    public var vocabulary: Vocabulary { members[0].vocabulary }
    /// The members' class names; class id = index.
    public var labels: [String] { members[0].labels }
    /// The members' tokenizer settings.
    public var tokenizer: TokenizerOptions { members[0].tokenizer }
    /// Parameters of all members together.
    public var parameterCount: Int { members.reduce(0) { $0 + $1.parameterCount } }

    /// The ids of `tokens`; see ``SentenceClassifier/encode(tokens:)``.
    public func encode(tokens: [String]) -> [Int32] { members[0].encode(tokens: tokens) }

    /// Encodes labeled examples; see ``SentenceClassifier/encode(_:)``.
    public func encode(_ data: LabeledText) throws(LexisError) -> [EncodedExample] {
        try members[0].encode(data)
    }

    /// Encodes every line of a text; see ``SentenceClassifier/encodeLines(of:)``.
    public func encodeLines(of corpus: Corpus,
                            maximumTokens: Int = LabeledText.defaultMaximumTokens) throws(LexisError) -> [EncodedExample] {
        try members[0].encodeLines(of: corpus, maximumTokens: maximumTokens)
    }

    /// The members' class probabilities averaged, [examples.count][classes] in the order of `examples`.
    public func probabilities(_ examples: [EncodedExample], batchSize: Int = 64) -> [[Float]] {
        guard !examples.isEmpty else { return [] }
        let workspace = members[0].makeWorkspace(for: examples, batchSize: batchSize)
        var sum = members[0].probabilities(examples, batchSize: batchSize, workspace: workspace)
        guard members.count > 1 else { return sum }
        for m in members.dropFirst() {
            for (i, p) in m.probabilities(examples, batchSize: batchSize, workspace: workspace).enumerated() {
                for k in p.indices { sum[i][k] += p[k] }
            }
        }
        let scale = 1 / Float(members.count)
        return sum.map { $0.map { $0 * scale } }
    }

    /// The most likely class of each example under the averaged probabilities.
    public func predict(_ examples: [EncodedExample], batchSize: Int = 64) -> [Int] {
        probabilities(examples, batchSize: batchSize).map { p in p.indices.max { p[$0] < p[$1] } ?? 0 }
    }
}
