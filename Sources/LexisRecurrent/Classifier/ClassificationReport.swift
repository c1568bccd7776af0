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
