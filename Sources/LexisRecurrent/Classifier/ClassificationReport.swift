// Accuracy, per-class precision / recall / F1, macro-F1 and the confusion matrix of predictions.

/// Accuracy, per-class precision, recall and F1, macro-F1 and the confusion matrix of predictions.
public struct ClassificationReport: Sendable, Equatable {
    /// Class names; class id = index.
    public let labels: [String]
    /// confusion[gold][predicted]
    public let confusion: [[Int]]

    ///
    /// - Parameters:
    ///   - labels: The class names.
    ///   - gold: The true class id of each example.
    ///   - predicted: The predicted class id of each example, as from ``SentenceClassifier/predict(_:batchSize:workspace:)``.
    /// - Precondition: `gold` and `predicted` have the same length.
    public init(labels: [String], gold: [Int], predicted: [Int]) {
        precondition(gold.count == predicted.count)
        var m = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (g, p) in zip(gold, predicted) { m[g][p] += 1 }
        self.labels = labels
        confusion = m
    }

    /// The number of examples.
    public var total: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }
    /// Examples predicted correctly.
    public var correct: Int { labels.indices.reduce(0) { $0 + confusion[$1][$1] } }
    /// Fraction in [0, 1]; 0 for no examples.
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Of the examples predicted as class k, the fraction that are k (0 when none were).
    public func precision(_ k: Int) -> Double {
        let predicted = labels.indices.reduce(0) { $0 + confusion[$1][k] }
        return predicted == 0 ? 0 : Double(confusion[k][k]) / Double(predicted)
    }
    /// Of the examples of class k, the fraction predicted as k (0 when there are none).
    public func recall(_ k: Int) -> Double {
        let gold = confusion[k].reduce(0, +)
        return gold == 0 ? 0 : Double(confusion[k][k]) / Double(gold)
    }
    /// The harmonic mean of ``precision(_:)`` and ``recall(_:)`` for class k (0 when both are 0).
    public func f1(_ k: Int) -> Double {
        let (p, r) = (precision(k), recall(k))
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }
    /// Examples of class k.
    public func support(_ k: Int) -> Int { confusion[k].reduce(0, +) }
    /// Unweighted mean of the per-class F1 scores.
    public var macroF1: Double { labels.isEmpty ? 0 : labels.indices.reduce(0.0) { $0 + f1($1) } / Double(labels.count) }
}

/// Top-K predictions scored against label sets, as fastText's `test` (precision and recall at K)
/// and `test-label` (per-label precision, recall, F1): an example's predictions are its K most
/// probable labels whose probability is at least the threshold.
public struct MultiLabelReport: Sendable, Equatable {
    /// Class names; class id = index.
    public let labels: [String]
    /// Labels predicted per example at most (K).
    public let k: Int
    /// The lowest probability a prediction may have.
    public let threshold: Float
    /// Examples scored.
    public let examples: Int
    /// Per class: predictions that were right, predictions made, gold occurrences.
    public let truePositives: [Int], predictedCounts: [Int], goldCounts: [Int]

    ///
    /// - Parameters:
    ///   - gold: Each example's class ids.
    ///   - probabilities: Each example's class probabilities, as from ``ClassifierEnsemble/probabilities(_:batchSize:)``.
    /// - Precondition: `gold` and `probabilities` have the same length and `k >= 1`.
    public init(labels: [String], gold: [[Int]], probabilities: [[Float]], k: Int, threshold: Float = 0) {
        precondition(gold.count == probabilities.count && k >= 1)
        var tp = [Int](repeating: 0, count: labels.count), predicted = tp, goldCount = tp
        for (g, p) in zip(gold, probabilities) {
            for c in g { goldCount[c] += 1 }
            for c in Self.top(p, k: k, threshold: threshold) {
                predicted[c] += 1
                if g.contains(c) { tp[c] += 1 }
            }
        }
        self.labels = labels; self.k = k; self.threshold = threshold; examples = gold.count
        truePositives = tp; predictedCounts = predicted; goldCounts = goldCount
    }

    /// The (at most) `k` most probable class ids with probability >= `threshold`, most probable
    /// first; equal probabilities in class order.
    public static func top(_ p: [Float], k: Int, threshold: Float) -> [Int] {
        Array(p.indices.filter { p[$0] >= threshold }.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }.prefix(k))
    }

    /// Right predictions over predictions made (P@K; 0 when none were made).
    public var precision: Double {
        let n = predictedCounts.reduce(0, +)
        return n == 0 ? 0 : Double(truePositives.reduce(0, +)) / Double(n)
    }
    /// Right predictions over gold labels (R@K; 0 without gold labels).
    public var recall: Double {
        let n = goldCounts.reduce(0, +)
        return n == 0 ? 0 : Double(truePositives.reduce(0, +)) / Double(n)
    }
    /// Of the predictions of class c, the fraction that were right.
    public func precision(_ c: Int) -> Double { predictedCounts[c] == 0 ? 0 : Double(truePositives[c]) / Double(predictedCounts[c]) }
    /// Of the gold occurrences of class c, the fraction predicted.
    public func recall(_ c: Int) -> Double { goldCounts[c] == 0 ? 0 : Double(truePositives[c]) / Double(goldCounts[c]) }
    /// Harmonic mean of the two for class c (0 when both are 0).
    public func f1(_ c: Int) -> Double {
        let (p, r) = (precision(c), recall(c))
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }
}
