// The nearest-neighbour classifier: exact neighbours against a brute-force cosine search in
// Double, ties broken towards the earlier training sentence, k chosen on dev, and its file; the
// same over a trained encoder's pooled vectors (a cnn's, a bow's, in an ensemble).
@testable import LexisRecurrent
import LexisTensor
import LexisTestSupport
import LexisText
import LexisVectors
import Foundation
import Testing

@Suite struct NeighbourTests {
    static let words = ["a", "b", "c", "d", "e", "f", "g", "h"]

    /// Word vectors with small integer entries (sums and means of them are exact in Float, so
    /// sentences of the same words have bit-identical vectors and tie exactly).
    static func vectors() throws -> WordVectors {
        var rng = RandomGenerator(seed: 21)
        let values = (0..<(words.count * 4)).map { _ in Float(Int(rng.next() % 7) - 3) }
        return try WordVectors(words: words, dimension: 4, vectors: values)
    }

    /// A knn model remembering `train`, labels x / y / z by the position of the sentence's first
    /// word in alphabetical order (so sentences of the same words share their label).
    static func model(_ train: [[String]]) throws -> (SentenceClassifier, [EncodedExample]) {
        let vocabulary = try classifierVocabulary(words)
        let config = ClassifierConfig(model: .knn, embedding: 4, vocabularySize: vocabulary.count, classes: 3, pool: .mean,
                                      dropout: 0, frozenEmbedding: true, neighbours: 3, memory: train.count)
        let m = try SentenceClassifier(config: config, vocabulary: vocabulary, labels: ["x", "y", "z"])
        m.initialize(seed: 1)
        try m.loadEmbeddings(try vectors())
        let examples = train.map { s in
            EncodedExample(ids: m.encode(tokens: s), label: Int32(words.firstIndex(of: s.sorted()[0])! % 3))
        }
        m.remember(examples)
        return (m, examples)
    }

    static let sentences: [[String]] = [
        ["a", "b"], ["c"], ["b", "a"], ["d", "e", "f"], ["g"], ["a", "b"], ["h", "c"], ["e"], ["f", "d", "e"], ["g", "g"],
        ["b"], ["a"], ["h"], ["c", "h"], ["d"],
    ]

    /// Cosine of sentence vectors in Double, straight from the word vectors.
    static func bruteForce(_ query: [String], _ train: [[String]], vectors: WordVectors, k: Int) -> [(row: Int, similarity: Double)] {
        func mean(_ s: [String]) -> [Double] {
            var v = [Double](repeating: 0, count: 4)
            for w in s { for (j, x) in vectors.vector(for: w)!.enumerated() { v[j] += Double(x) / Double(s.count) } }
            return v
        }
        func cosine(_ a: [Double], _ b: [Double]) -> Double {
            let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
            let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot(), nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return na == 0 || nb == 0 ? 0 : dot / (na * nb)
        }
        let q = mean(query)
        let scored = train.enumerated().map { ($0.offset, cosine(q, mean($0.element))) }
        // Most similar first; equal similarities (to rounding) in training order.
        return Array(scored.sorted { abs($0.1 - $1.1) > 1e-6 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(k))
    }

    @Test func exactNeighboursWithTiesToTheEarlierSentence() throws {
        let (m, _) = try Self.model(Self.sentences)
        let vectors = try Self.vectors()
        let queries: [[String]] = [["a", "b"], ["b", "a", "a", "b"], ["e"], ["c", "h"], ["g"], ["d", "e"], ["h"]]
        let examples = queries.map { EncodedExample(ids: m.encode(tokens: $0), label: -1) }
        for k in [1, 4, 15] {
            let found = m.nearestNeighbours(examples, k: k)
            for (i, q) in queries.enumerated() {
                let expected = Self.bruteForce(q, Self.sentences, vectors: vectors, k: k)
                #expect(found[i].map(\.index) == expected.map(\.row), "query \(q) k \(k)")
                for (n, e) in zip(found[i], expected) { #expect(abs(Double(n.similarity) - e.similarity) < 1e-5) }
            }
        }
        // "a b", "b a" and "a b" again (rows 0, 2, 5) are one vector: they tie, in training order.
        #expect(m.nearestNeighbours([examples[0]], k: 3)[0].map(\.index) == [0, 2, 5])
    }

    @Test func votesKChosenOnDevAndTheFileRoundTrips() throws {
        let (m, train) = try Self.model(Self.sentences)
        // Each remembered sentence's nearest neighbour is itself (or its twin of the same label).
        try m.setNeighbours(1)
        #expect(m.predict(train) == train.map { Int($0.label) })
        let p = m.probabilities([train[0]])[0]
        #expect(abs(p.reduce(0, +) - 1) < 1e-6)
        let dev = Array(train.prefix(8))
        let chosen = m.chooseNeighbours(dev: dev, candidates: [1, 3, 15])
        for k in [1, 3, 15] {
            let accuracy = Double(zip(m.neighbourProbabilities(dev, k: k), dev).filter { p, e in
                e.hasLabel(p.indices.max { p[$0] < p[$1] }!)
            }.count) / Double(dev.count)
            #expect(accuracy <= chosen.accuracy)
            if accuracy == chosen.accuracy { #expect(chosen.k <= k) }
        }
        try m.setNeighbours(chosen.k)
        #expect(throws: LexisError.self) { try m.setNeighbours(16) }
        let dir = try TestSupport.temporaryDirectory("lexis-knn")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("knn.lexis").path
        try m.save(to: path)
        let loaded = try SentenceClassifier.load(path: path)
        #expect(loaded.config == m.config && loaded.config.neighbours == chosen.k)
        #expect(loaded.probabilities(train) == m.probabilities(train))
    }

    /// A cnn and a bow model over the same vocabulary, random (their pooled vectors are fixed
    /// functions of the sentence all the same), as a mixed ensemble.
    static func encoders() throws -> ClassifierEnsemble {
        let vocabulary = try classifierVocabulary(words)
        let cnn = try SentenceClassifier(config: ClassifierConfig(model: .cnn, embedding: 5, vocabularySize: vocabulary.count, classes: 3,
                                                                  pool: .max, dropout: 0.5, filterWidths: [1, 2], filters: 3),
                                         vocabulary: vocabulary, labels: ["x", "y", "z"])
        cnn.initialize(seed: 4)
        let bow = try SentenceClassifier(config: ClassifierConfig(model: .bow, embedding: 4, vocabularySize: vocabulary.count, bigramBuckets: 16,
                                                                  classes: 3, pool: .mean, dropout: 0),
                                         vocabulary: vocabulary, labels: ["x", "y", "z"])
        bow.initialize(seed: 5)
        // Bigram rows start at zero; give them values so that bigrams move the pooled vector.
        var rng = RandomGenerator(seed: 6)
        let table = bow.store.value(bow.embedding.table)
        for i in (bow.config.vocabularySize * 4)..<(bow.config.embeddingRows * 4) { table[i] = Float(rng.nextDouble()) - 0.5 }
        return try ClassifierEnsemble(members: [cnn, bow])
    }

    @Test func encoderNeighboursMatchBruteForceOverPooledVectors() throws {
        let encoders = try Self.encoders()
        let vocabulary = encoders.vocabulary
        let label = { (s: [String]) in Int32(Self.words.firstIndex(of: s.sorted()[0])! % 3) }
        let train = Self.sentences.map { EncodedExample(ids: encoders.encode(tokens: $0), label: label($0)) }
        let queries: [[String]] = [["a", "b"], ["b", "a", "a", "b"], ["e"], ["c", "h"], ["g"], ["d", "e", "f", "g", "h"], ["h"]]
        let examples = queries.map { EncodedExample(ids: encoders.encode(tokens: $0), label: label($0)) }
        let heads = try encoders.withNeighbourHeads(train: train, dev: [], neighbours: 4)
        #expect(heads.members.map(\.config.neighbours) == [4, 4] && heads.members.allSatisfy { $0.config.memory == train.count })
        for (encoder, head) in zip(encoders.members, heads.members) {
            // Reference: each sentence's pooled vector on its own (a batch of one: no padding),
            // cosine in Double.
            let own = { (e: EncodedExample) in encoder.withOwnFeatures(e) }
            let pooled = { (e: EncodedExample) in encoder.sentenceVectors([own(e)]).map(Double.init) }
            let memory = train.map(pooled)
            for (q, e) in zip(queries, examples) {
                let v = pooled(e)
                let scored = memory.enumerated().map { ($0.offset, zip(v, $0.element).reduce(0) { $0 + $1.0 * $1.1 }) }
                let expected = scored.sorted { abs($0.1 - $1.1) > 1e-6 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(4)
                let found = head.nearestNeighbours([own(e)], k: 4)[0]
                #expect(found.map(\.index) == expected.map(\.0), "\(encoder.config.model) query \(q)")
                for (n, x) in zip(found, expected) { #expect(abs(Double(n.similarity) - x.1) < 1e-5) }
            }
            // Sentences of the same words in the same order tie (rows 0 and 5), in training order.
            #expect(head.nearestNeighbours([own(train[0])], k: 2)[0].map(\.index).prefix(2) == [0, 5])
            // The encoder's own parameters came along; the output layer is not used.
            #expect(head.store.value(head.embedding.table)[7] == encoder.store.value(encoder.embedding.table)[7])
        }
        // The file round-trips: one knn member per encoder member, the same probabilities.
        let dir = try TestSupport.temporaryDirectory("lexis-knn-encoder")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("knn.lexis").path
        try heads.save(to: path)
        let loaded = try ClassifierEnsemble.load(path: path)
        #expect(loaded.members.map(\.config) == heads.members.map(\.config))
        #expect(loaded.probabilities(examples) == heads.probabilities(examples))
        #expect(loaded.vocabulary.count == vocabulary.count)
        // k on dev; a model that already votes by neighbours has no encoder to reuse.
        let chosen = try encoders.withNeighbourHeads(train: train, dev: examples, neighbours: nil)
        for (head, k) in zip(chosen.members, chosen.members.map(\.config.neighbours)) {
            #expect(head.chooseNeighbours(dev: examples.map(head.withOwnFeatures)).k == k)
        }
        #expect(throws: LexisError.self) { try heads.withNeighbourHeads(train: train, dev: [], neighbours: 1) }
        #expect(throws: LexisError.self) { try encoders.withNeighbourHeads(train: [], dev: [], neighbours: 1) }
    }
}
