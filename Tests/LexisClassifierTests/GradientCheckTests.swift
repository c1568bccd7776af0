// The batched, padded, masked classifier against the naive one-sentence-at-a-time Double
// reference: same logits, and gradients equal to central differences of the reference loss.
@testable import LexisRecurrent
import LexisTensor
import LexisTestSupport
import LexisText
import LexisVocab
import Foundation
import Testing

/// A classifier vocabulary of `words` (count 1 each), `<eos>` and `<unk>` appended.
func classifierVocabulary(_ words: [String], tokenizer: TokenizerOptions = .pretokenized) throws -> Vocabulary {
    try Vocabulary(tokens: words, counts: [Int64](repeating: 1, count: words.count), tokenizer: tokenizer,
                   specialTokens: SentenceClassifier.specialTokens)
}

/// Labeled data read from `text` through a file, as users' data is.
func labeled(_ text: String, name: String = "data.tsv", tokenizer: TokenizerOptions = TokenizerOptions(),
             maximumTokens: Int = LabeledText.defaultMaximumTokens) throws -> LabeledText {
    let dir = try TestSupport.temporaryDirectory("lexis-labeled")
    defer { try? FileManager.default.removeItem(at: dir) }
    return try LabeledText.read(path: try TestSupport.write(text, to: name, in: dir), tokenizer: tokenizer,
                                maximumTokens: maximumTokens)
}

func tinyClassifier(model: ClassifierModelKind = .recurrent, cell: CellKind = .lstm, bidirectional: Bool = true,
                    layers: Int = 1, pool: PoolKind = .max, buckets: Int = 0, dropout: Float = 0,
                    loss: ClassifierLossKind = .softmax, seed: UInt64 = 3) throws -> SentenceClassifier {
    let vocabulary = try classifierVocabulary(["a", "b", "c", "d", "e", "f"])
    let config = ClassifierConfig(model: model, cell: cell, bidirectional: bidirectional, layers: layers, hidden: 3,
                                  embedding: 4, vocabularySize: vocabulary.count, bigramBuckets: buckets, classes: 3,
                                  pool: pool, dropout: dropout, loss: loss, filterWidths: [1, 3, 2], filters: 4)
    let m = try SentenceClassifier(config: config, vocabulary: vocabulary, labels: ["x", "y", "z"])
    m.initialize(seed: seed, embeddingScale: 0.8)
    // Non-zero biases everywhere so their gradients are checked too; the <unk> row is made
    // non-zero so it behaves like any other word here.
    var rng = RandomGenerator(seed: seed + 1)
    for view in m.store.views where view.name.hasSuffix("bias") || view.name.hasPrefix("embedding") {
        for i in view.range { m.store.values[i] += rng.uniform(-0.5, 0.5) }
    }
    return m
}

/// Three sentences of lengths 5, 2 and 1 (padded in a batch), labels 0, 2, 1 (for an ova model:
/// {0, 2}, {2}, {1, 0}).
func tinyExamples(_ m: SentenceClassifier) -> [EncodedExample] {
    let multi = m.config.loss == .ova
    return [EncodedExample(ids: m.encode(tokens: ["a", "b", "c", "a", "d"]), labels: multi ? [0, 2] : [0]),
            EncodedExample(ids: m.encode(tokens: ["e", "f"]), labels: [2]),
            EncodedExample(ids: m.encode(tokens: ["b"]), labels: multi ? [1, 0] : [1])]
}

@Suite struct ClassifierGradientTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let model: ClassifierModelKind, cell: CellKind, bidirectional: Bool, layers: Int, pool: PoolKind, buckets: Int
        var loss = ClassifierLossKind.softmax
        var testDescription: String { "\(model) \(cell) \(bidirectional ? "bi" : "uni") x\(layers) \(pool) buckets \(buckets) \(loss)" }
    }

    static let cases: [Case] = [
        Case(model: .recurrent, cell: .lstm, bidirectional: true, layers: 1, pool: .max, buckets: 0),
        Case(model: .recurrent, cell: .lstm, bidirectional: true, layers: 2, pool: .mean, buckets: 0),
        Case(model: .recurrent, cell: .lstm, bidirectional: false, layers: 1, pool: .last, buckets: 0),
        Case(model: .recurrent, cell: .lstm, bidirectional: true, layers: 1, pool: .last, buckets: 0),
        Case(model: .recurrent, cell: .rnn, bidirectional: true, layers: 2, pool: .max, buckets: 0),
        Case(model: .recurrent, cell: .rnn, bidirectional: false, layers: 1, pool: .mean, buckets: 0),
        Case(model: .bow, cell: .lstm, bidirectional: false, layers: 1, pool: .mean, buckets: 5),
        Case(model: .cnn, cell: .lstm, bidirectional: false, layers: 1, pool: .max, buckets: 0),
        Case(model: .cnn, cell: .lstm, bidirectional: false, layers: 1, pool: .max, buckets: 0, loss: .ova),
        Case(model: .recurrent, cell: .lstm, bidirectional: true, layers: 1, pool: .max, buckets: 0, loss: .ova),
        Case(model: .bow, cell: .lstm, bidirectional: false, layers: 1, pool: .mean, buckets: 5, loss: .ova),
    ]

    @Test(arguments: cases)
    func paddedBatchMatchesReferenceAndFiniteDifferences(_ c: Case) throws {
        let m = try tinyClassifier(model: c.model, cell: c.cell, bidirectional: c.bidirectional, layers: c.layers,
                                   pool: c.pool, buckets: c.buckets, loss: c.loss)
        let examples = tinyExamples(m)
        let batch = ClassifierBatch(examples: examples, indices: [1, 2, 0])
        #expect(batch.lengths == examples.map(\.ids.count).sorted(by: >))
        let ws = ClassifierWorkspace(config: m.config, maxRows: 4, maxSteps: 12)
        var rng = RandomGenerator(seed: 1)

        // Padded batch logits == reference logits of each sentence alone.
        m.forward(batch, workspace: ws, training: false, rng: &rng, computeLoss: false)
        for b in 0..<batch.rows {
            let reference = m.referenceLogits(examples[batch.indices[b]].ids)
            for k in 0..<3 {
                #expect(abs(Double(ws.logits[b * 3 + k]) - reference[k]) < 1e-5, "row \(b) class \(k)")
            }
        }

        m.store.zeroGradients()
        let loss = m.forward(batch, workspace: ws, training: true, rng: &rng)
        #expect(abs(loss / 3 - m.referenceLoss(examples)) < 1e-5)
        m.backward(batch, workspace: ws)
        // Padding positions of the embedded input get exactly zero gradient.
        let (B, E) = (batch.rows, m.config.embedding)
        for t in 0..<batch.steps {
            for b in batch.active[t]..<B {
                for j in 0..<E { #expect(ws.dX[(t * B + b) * E + j] == 0, "padding t=\(t) b=\(b)") }
            }
        }
        for view in m.store.views {
            let indices = GradientCheck.sampleIndices(view, limit: 80)
            let numerical = GradientCheck.numerical({ m.referenceLoss(examples) }, x: m.store.values, indices: indices)
            let analytic = indices.map { Double(m.store.gradients[$0]) }
            let err = GradientCheck.maxRelativeError(analytic: analytic, numerical: numerical)
            #expect(err < 1e-4, "\(view.name): relative error \(err)")
            #expect(analytic.contains { $0 != 0 }, "\(view.name): gradient is all zero")
        }
    }

    /// A row of words that occur only in padding-free positions: the embedding rows of words
    /// absent from the batch get no gradient at all.
    @Test func unusedWordsGetNoGradient() throws {
        let m = try tinyClassifier()
        let examples = tinyExamples(m)
        let batch = ClassifierBatch(examples: examples, indices: [0, 1, 2])
        let ws = ClassifierWorkspace(config: m.config, maxRows: 3, maxSteps: 5)
        var rng = RandomGenerator(seed: 2)
        m.store.zeroGradients()
        m.forward(batch, workspace: ws, training: true, rng: &rng)
        m.backward(batch, workspace: ws)
        let unk = Int(m.unknownID), E = m.config.embedding
        let g = m.store.gradient(m.embedding.table)
        for j in 0..<E { #expect(g[unk * E + j] == 0) }
    }

    @Test func emptySentencePredictsFromTheBiasAlone() throws {
        let m = try tinyClassifier()
        let p = m.probabilities([EncodedExample(ids: [], label: -1)])
        let bias = (0..<3).map { Double(m.store.value(m.output.bias!)[$0]) }
        let expected = Reference.softmax(bias)
        for k in 0..<3 { #expect(abs(Double(p[0][k]) - expected[k]) < 1e-6) }
    }
}

@Suite struct ClassifierDropoutGradientTests {
    /// Dropout masks held fixed: the backward through the embedding, inter-layer and pooled
    /// masks matches central differences of the masked Double reference.
    @Test(arguments: [(ClassifierModelKind.recurrent, CellKind.lstm), (.recurrent, .rnn), (.cnn, .lstm)])
    func heldMasksMatchFiniteDifferences(_ model: ClassifierModelKind, _ cell: CellKind) throws {
        let m = try tinyClassifier(model: model, cell: cell, bidirectional: model == .recurrent, layers: model == .cnn ? 1 : 2,
                                   pool: .max, dropout: 0.3)
        let examples = tinyExamples(m)
        let batch = ClassifierBatch(examples: examples, indices: [0, 1, 2])
        let ws = ClassifierWorkspace(config: m.config, maxRows: 3, maxSteps: 5)
        var rng = RandomGenerator(seed: 9)
        m.forward(batch, workspace: ws, training: true, rng: &rng)   // draws the masks
        let mask = m.config.dropsEmbeddings ? ws.xMask : ws.pooledMask
        #expect((0..<mask.count).contains { mask[$0] == 0 })
        m.store.zeroGradients()
        let loss = m.forward(batch, workspace: ws, training: true, rng: &rng, holdMasks: true)
        let reference = m.referenceLoss(examples, batch: batch, maskedBy: ws)
        #expect(abs(loss / 3 - reference) < 1e-5, "forward \(loss / 3) vs reference \(reference)")
        m.backward(batch, workspace: ws)
        for view in m.store.views {
            let indices = GradientCheck.sampleIndices(view, limit: 60)
            let numerical = GradientCheck.numerical({ m.referenceLoss(examples, batch: batch, maskedBy: ws) },
                                                    x: m.store.values, indices: indices)
            let analytic = indices.map { Double(m.store.gradients[$0]) }
            let err = GradientCheck.maxRelativeError(analytic: analytic, numerical: numerical)
            #expect(err < 1e-4, "\(view.name): relative error \(err)")
        }
    }
}
