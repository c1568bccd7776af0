// An ensemble of sentence classifiers of one vocabulary, label set and tokenizer, trained from
// different seeds and possibly of different architectures (a CNN, a BiLSTM and a bow model, say);
// its class probabilities are the members' averaged, or weighted by weights fitted on dev. Saved
// in one model file (the members' parameters back to back). An ensemble of one is the single model.
//
// Examples are encoded once, by word (`encode`); each member adds its own features (a bow
// member's hashed bigrams) when it reads them, so one encoding serves every member.
import LexisTensor
import LexisText
import LexisVocab

/// How an ensemble combines its members' probabilities.
public enum EnsembleWeighting: String, Sendable, CaseIterable {
    /// The average.
    case equal
    /// One weight per member, chosen on dev.
    case dev
    /// One weight per architecture, chosen on dev; the members of an architecture share it equally.
    case architecture
}

/// Sentence classifiers of one vocabulary, label set and tokenizer whose class probabilities are
/// averaged (or weighted: ``weights``). The members may differ in architecture. Saved in one file;
/// an ensemble of one is the single model.
public final class ClassifierEnsemble {
    /// The classifiers, at least one.
    public let members: [SentenceClassifier]
    /// Each member's share of the probabilities; they sum to 1 (equal by default).
    public private(set) var weights: [Float]
    /// What training recorded (saved with the model).
    public var trainingSummary: [String: String] = [:]

    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when `members` is empty, the members differ in
    ///   vocabulary, labels, tokenizer or loss, or `weights` are not one non-negative number per
    ///   member with a positive sum.
    public init(members: [SentenceClassifier], weights: [Float]? = nil) throws(LexisError) {
        guard let first = members.first else { throw .invalidArgument("an ensemble needs at least one classifier") }
        for m in members.dropFirst() {
            guard m.vocabulary.sameContents(as: first.vocabulary), m.labels == first.labels,
                  m.tokenizer == first.tokenizer, m.config.loss == first.config.loss else {
                throw .invalidArgument("the classifiers of an ensemble must share vocabulary, labels, tokenizer and loss")
            }
        }
        self.members = members
        self.weights = [Float](repeating: 1 / Float(members.count), count: members.count)
        if let weights { try setWeights(weights) }
    }

    /// Sets the members' weights (normalized to sum 1).
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` unless there is one finite, non-negative weight
    ///   per member and their sum is positive.
    public func setWeights(_ w: [Float]) throws(LexisError) {
        let sum = w.reduce(0, +)
        guard w.count == members.count, w.allSatisfy({ $0 >= 0 && $0.isFinite }), sum > 0 else {
            throw .invalidArgument("an ensemble of \(members.count) needs \(members.count) non-negative weights with a positive sum, got \(w)")
        }
        weights = w.map { $0 / sum }
    }

    /// The first member's architecture.
    public var config: ClassifierConfig { members[0].config }
    /// Whether the members differ in architecture.
    public var isMixed: Bool { members.contains { $0.config != members[0].config } }
    /// The members' vocabulary.
    public var vocabulary: Vocabulary { members[0].vocabulary }
    /// The members' class names; class id = index.
    public var labels: [String] { members[0].labels }
    /// The members' tokenizer settings.
    public var tokenizer: TokenizerOptions { members[0].tokenizer }
    /// Parameters of all members together.
    public var parameterCount: Int { members.reduce(0) { $0 + $1.parameterCount } }

    /// The word ids of `tokens` (`<unk>` for unknown words); members add their own features.
    public func encode(tokens: [String]) -> [Int32] { tokens.map { vocabulary.idOrUnknown($0) } }

    /// Encodes labeled examples by word; see ``SentenceClassifier/encode(_:)``.
    public func encode(_ data: LabeledText) throws(LexisError) -> [EncodedExample] {
        try members[0].encode(data).map(members[0].wordsOnly)
    }

    /// Encodes every line of a text by word; see ``SentenceClassifier/encodeLines(of:maximumTokens:)``.
    public func encodeLines(of corpus: Corpus,
                            maximumTokens: Int = LabeledText.defaultMaximumTokens) throws(LexisError) -> [EncodedExample] {
        try members[0].encodeLines(of: corpus, maximumTokens: maximumTokens).map(members[0].wordsOnly)
    }

    /// Each member's class probabilities, [member][example][class], in the order of `examples`
    /// (encoded by this ensemble or by any member).
    public func memberProbabilities(_ examples: [EncodedExample], batchSize: Int = 64) -> [[[Float]]] {
        guard !examples.isEmpty else { return members.map { _ in [] } }
        var shared: ClassifierWorkspace? = nil
        return members.enumerated().map { k, m in
            let own = examples.map(m.withOwnFeatures)
            // Members of one architecture share one workspace.
            let ws: ClassifierWorkspace
            if k > 0, let shared, m.config == members[0].config { ws = shared } else { ws = m.makeWorkspace(for: own, batchSize: batchSize) }
            if k == 0 { shared = ws }
            return m.probabilities(own, batchSize: batchSize, workspace: ws)
        }
    }

    /// The members' class probabilities combined with ``weights``, [examples.count][classes].
    public func probabilities(_ examples: [EncodedExample], batchSize: Int = 64) -> [[Float]] {
        Self.combine(memberProbabilities(examples, batchSize: batchSize), weights: weights)
    }

    /// sum over members of weight * probabilities.
    static func combine(_ each: [[[Float]]], weights: [Float]) -> [[Float]] {
        guard each.count > 1 else { return each.first ?? [] }
        var sum = each[0].map { $0.map { $0 * weights[0] } }
        for (k, p) in each.enumerated().dropFirst() {
            for i in p.indices { for c in p[i].indices { sum[i][c] += weights[k] * p[i][c] } }
        }
        return sum
    }

    /// The most likely class of each example under the combined probabilities.
    public func predict(_ examples: [EncodedExample], batchSize: Int = 64) -> [Int] {
        probabilities(examples, batchSize: batchSize).map(Self.argmax)
    }

    static func argmax(_ p: [Float]) -> Int { p.indices.max { p[$0] < p[$1] } ?? 0 }

    /// Chooses ``weights`` on `dev`: the weights on the grid of multiples of 1/`steps` (summing
    /// to 1) with the best dev accuracy; among equals, the one closest to equal weights (so
    /// without a gain the average stays). With ``EnsembleWeighting/architecture`` the grid is
    /// over one weight per architecture, shared equally by its members: fewer choices, so less
    /// fitted to the noise of a small dev set. Returns the dev accuracy reached.
    @discardableResult
    public func fitWeights(on dev: [EncodedExample], steps: Int = 10,
                           sharing: EnsembleWeighting = .dev) -> Double {
        guard members.count > 1, !dev.isEmpty, sharing != .equal else { return accuracy(on: dev) }
        // Each member's group: itself, or its architecture (in order of first appearance).
        var kinds: [ClassifierModelKind] = []
        let group = members.indices.map { k -> Int in
            guard sharing == .architecture else { return k }
            let kind = members[k].config.model
            if let g = kinds.firstIndex(of: kind) { return g }
            kinds.append(kind)
            return kinds.count - 1
        }
        let groups = (group.max() ?? 0) + 1
        let sizes = (0..<groups).map { g in Float(group.filter { $0 == g }.count) }
        let each = memberProbabilities(dev)
        let uniform = 1 / Float(members.count)
        func right(_ w: [Float]) -> Int {
            zip(Self.combine(each, weights: w), dev).filter { $0.1.hasLabel(Self.argmax($0.0)) }.count
        }
        // Equal weights are not always on the grid (3 members): they compete first, so they win ties.
        var best = (accuracy: right(members.map { _ in uniform }), distance: Float(0), weights: members.map { _ in uniform })
        guard groups > 1 else { weights = best.weights; return Double(best.accuracy) / Double(dev.count) }
        func visit(_ prefix: [Int], left: Int) {
            if prefix.count == groups - 1 {
                let share = (prefix + [left]).map { Float($0) / Float(steps) }
                let w = group.map { share[$0] / sizes[$0] }
                let accuracy = right(w)
                let distance = w.reduce(0) { $0 + ($1 - uniform) * ($1 - uniform) }
                if accuracy > best.accuracy || (accuracy == best.accuracy && distance < best.distance) {
                    best = (accuracy, distance, w)
                }
                return
            }
            for s in 0...left { visit(prefix + [s], left: left - s) }
        }
        visit([], left: steps)
        weights = best.weights
        return Double(best.accuracy) / Double(dev.count)
    }
}

extension SentenceClassifier {
    /// The example with only its word ids (ids below the vocabulary size).
    func wordsOnly(_ e: EncodedExample) -> EncodedExample {
        var e = e
        let V = Int32(config.vocabularySize)
        if e.ids.contains(where: { $0 >= V }) { e.ids = e.ids.filter { $0 < V } }
        return e
    }

    /// The example's words with this model's own features (a bow model's bigrams) appended.
    func withOwnFeatures(_ e: EncodedExample) -> EncodedExample {
        var e = wordsOnly(e)
        e.ids = withBigrams(e.ids)
        return e
    }
}
