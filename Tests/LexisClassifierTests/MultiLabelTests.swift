// fastText's data conventions (__label__ lines, several labels per line, labels anywhere), their
// errors, and multi-label learning with the one-vs-all loss scored by P@K / R@K.
@testable import LexisRecurrent
import LexisTensor
import LexisTestSupport
import LexisText
import Foundation
import Testing

/// Two topics per line out of four, each carried by its own cue word among fillers; the labels
/// sit before, between or after the words.
func multiLabelData(count: Int, seed: UInt64) -> String {
    var rng = RandomGenerator(seed: seed)
    let topics = ["sport": "goal", "music": "guitar", "food": "pasta", "travel": "train"]
    let names = topics.keys.sorted()
    let fillers = ["the", "a", "we", "saw", "then", "and", "some", "with", "it", "was"]
    var lines: [String] = []
    for i in 0..<count {
        let first = names[i % 4], second = names[(i % 4 + 1 + (i / 4) % 3) % 4]
        var words = (0..<(2 + Int(rng.next() % 4))).map { _ in fillers[Int(rng.next() % UInt64(fillers.count))] }
        words.insert(topics[first]!, at: Int(rng.next() % UInt64(words.count + 1)))
        words.insert(topics[second]!, at: Int(rng.next() % UInt64(words.count + 1)))
        let labels = ["__label__\(first)", "__label__\(second)"]
        switch i % 3 {
        case 0: lines.append((labels + words).joined(separator: " "))
        case 1: lines.append(([labels[0]] + words + [labels[1]]).joined(separator: " "))
        default: lines.append((words + labels).joined(separator: " "))
        }
    }
    return lines.joined(separator: "\n") + "\n"
}

@Suite struct FastTextFormatTests {
    @Test func readsLabelsAnywhereAndSeveralPerLine() throws {
        let text = "__label__pos A great film!\n\n__label__neg __label__short boring\nsad and __label__neg   slow __label__neg\n"
            + "__label__pos\n"
        let data = try labeled(text, name: "ft.txt")
        #expect(data.format == .fastText)
        #expect(data.examples.map(\.labels) == [["pos"], ["neg", "short"], ["neg"]])
        #expect(data.tokens(of: data.examples[0]) == ["a", "great", "film"])
        #expect(data.tokens(of: data.examples[2]) == ["sad", "and", "slow"])
        #expect(data.examples.map(\.line) == [1, 3, 4])
        // A label alone is an example with no words: skipped and reported, as an empty text is.
        #expect(data.emptyLines == [5])
        #expect(data.labels == ["neg", "pos", "short"] && data.isMultiLabel)
        let tsv = try labeled("pos\tA __label__x film\n", name: "t.tsv")
        #expect(tsv.format == .tabSeparated && tsv.examples[0].labels == ["pos"])
        #expect(tsv.tokens(of: tsv.examples[0]) == ["a", "__label__x", "film"])
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let text: String, line: Int, problem: String
        var testDescription: String { problem }
    }

    @Test(arguments: [
        Bad(text: "__label__a fine\nno label here\n", line: 2, problem: "no label (no word starting with __label__)"),
        Bad(text: "__label__a fine\n__label__ empty name\n", line: 2, problem: "empty label"),
        Bad(text: "__label__a fine\n\n\tx __label__\n", line: 3, problem: "empty label"),
        Bad(text: "pos\tfine\n__label__a not tab separated\n", line: 2, problem: "a fastText label in a tab-separated file"),
    ])
    func errorsNameTheFileAndLine(_ c: Bad) {
        #expect {
            _ = try labeled(c.text, name: "data.txt")
        } throws: { error in
            guard case let LexisError.malformed(path, line, problem, fix) = error else { return false }
            return path.hasSuffix("/data.txt") && line == c.line && problem.contains(c.problem) && fix.contains("__label__")
        }
    }

    @Test func sigmoidCrossEntropyIsStableAndItsGradientIsSigmoidMinusTarget() {
        // Moderate logits against the textbook formula in Double; 100 with target 0 is
        // -log(1 - sigmoid(100)) = 100 + log(1 + e^-100), infinite when computed that way.
        let logits: [Float] = [-2, 0, 3, 0.5, -4, 100]
        let targets: [Float] = [1, 1, 0, 0, 1, 0]
        let x = FloatBuffer(logits), t = FloatBuffer(targets)
        let loss = SigmoidCrossEntropy.lossSum(logits: x.pointer, rows: 2, cols: 3, targets: t.pointer, gradientScale: 0.5)
        var expected = 100.0
        for i in 0..<5 {
            let p = 1 / (1 + exp(-Double(logits[i])))
            expected += targets[i] == 1 ? -log(p) : -log(1 - p)
            #expect(abs(Double(x[i]) - 0.5 * (p - Double(targets[i]))) < 1e-6)
        }
        #expect(abs(loss - expected) < 1e-6, "\(loss) vs \(expected)")
        #expect(abs(x[5] - 0.5) < 1e-6)
    }
}

@Suite struct MultiLabelTests {
    /// A tiny set with two labels per line, learned to 100% precision at 2 with the ova loss.
    @Test(arguments: [ClassifierModelKind.bow, .cnn])
    func twoLabelsPerLineAreLearnedCompletely(_ kind: ClassifierModelKind) throws {
        let data = try labeled(multiLabelData(count: 80, seed: 1), name: "train.txt")
        #expect(data.isMultiLabel && data.labels.count == 4)
        let vocabulary = try SentenceClassifier.buildVocabulary(data)
        let config = ClassifierConfig(model: kind, embedding: 12, vocabularySize: vocabulary.count, classes: 4,
                                      pool: kind == .bow ? .mean : .max, dropout: 0, loss: .ova, filters: 12)
        let m = try SentenceClassifier(config: config, vocabulary: vocabulary, labels: data.labels)
        m.initialize(seed: 2)
        var options = ClassifierTrainingOptions()
        options.epochs = 40; options.patience = 0; options.batch = 8; options.learningRate = 0.05
        let train = try m.encode(data)
        let trainer = ClassifierTrainer(model: m, options: options, train: train, dev: [])
        try trainer.run()
        let report = MultiLabelReport(labels: m.labels, gold: train.map { $0.labels.map(Int.init) },
                                      probabilities: m.probabilities(train), k: 2)
        #expect(report.precision == 1 && report.recall == 1, "P@2 \(report.precision) R@2 \(report.recall)")
        // Each label's probability stands alone: the two gold labels are both likely.
        let p = m.probabilities(train)[0]
        #expect(p.filter { $0 > 0.5 }.count == 2, "\(p)")
    }

    @Test func reportCountsTopKAboveTheThreshold() {
        let report = MultiLabelReport(labels: ["a", "b", "c"], gold: [[0, 1], [2], [1]],
                                      probabilities: [[0.9, 0.2, 0.6], [0.1, 0.3, 0.35], [0.5, 0.5, 0.1]], k: 2, threshold: 0.3)
        // Predictions: {a, c}, {c, b}, {a, b} (tie broken by class order): right a, c, b = 3 of 6; gold 4.
        #expect(report.predictedCounts == [2, 2, 2] && report.truePositives == [1, 1, 1] && report.goldCounts == [1, 2, 1])
        #expect(report.precision == 0.5 && report.recall == 0.75)
        #expect(abs(report.f1(1) - 2 * 0.5 * 0.5 / 1.0) < 1e-12)
        #expect(MultiLabelReport.top([0.2, 0.2, 0.1], k: 5, threshold: 0.15) == [0, 1])
    }
}
