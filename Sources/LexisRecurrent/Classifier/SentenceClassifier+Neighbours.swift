// Nearest-neighbour classifiers. A sentence vector is either the mean of the sentence's word
// vectors (knn models: the embedding table, from pre-trained vectors; words without one, and
// <unk>, are zero) or a trained encoder's pooled vector, what its output layer reads (a cnn,
// recurrent or bow model given a memory: ``SentenceClassifier/withNeighbourHead(memory:neighbours:)``).
// It is compared by cosine with every remembered training sentence; the k most similar vote with
// their similarity, and the votes, normalized, are the class probabilities. The search is
// LexisVectors' exact one (one matrix product per block of queries, top-k with ties to the
// earlier training sentence), over a WordVectors whose rows are the training sentences. k is
// chosen on dev.
import LexisTensor
import LexisText
import LexisVectors

extension SentenceClassifier {
    /// The sentence vector of `ids` (words only; bigram ids are ignored): the mean of their rows.
    public func sentenceVector(_ ids: [Int32]) -> [Float] {
        let E = config.embedding, V = Int32(config.vocabularySize)
        var v = [Float](repeating: 0, count: E)
        let table = store.value(embedding.table)
        var n = 0
        for id in ids where id >= 0 && id < V {
            for j in 0..<E { v[j] += table[Int(id) * E + j] }
            n += 1
        }
        if n > 1 { for j in 0..<E { v[j] /= Float(n) } }
        return v
    }

    /// The unit-length sentence vectors of `examples`, [examples.count x featureSize] in their
    /// order: for knn models the mean of the words' vectors, for the other kinds the pooled vector
    /// of the encoder (no dropout). A sentence whose vector is zero keeps a zero vector.
    public func sentenceVectors(_ examples: [EncodedExample], batchSize: Int = 64) -> [Float] {
        let F = config.featureSize
        var out = [Float](repeating: 0, count: examples.count * F)
        guard !examples.isEmpty else { return out }
        if config.model == .knn {
            for (i, e) in examples.enumerated() {
                let v = sentenceVector(e.ids)
                for j in 0..<F { out[i * F + j] = v[j] }
            }
        } else {
            let ws = makeWorkspace(for: examples, batchSize: batchSize)
            var none: RandomGenerator? = nil
            var rng = RandomGenerator(seed: 0)
            for batch in ClassifierBatch.bucketed(examples, size: min(batchSize, ws.maxRows), rng: &none) {
                forward(batch, workspace: ws, training: false, rng: &rng, computeLoss: false)
                for b in 0..<batch.rows {
                    let row = batch.indices[b] * F
                    for j in 0..<F { out[row + j] = ws.pooled[b * F + j] }
                }
            }
        }
        for i in 0..<examples.count {
            var norm: Float = 0
            for j in 0..<F { norm += out[i * F + j] * out[i * F + j] }
            norm = norm.squareRoot()
            if norm > 0 { for j in 0..<F { out[i * F + j] /= norm } }
        }
        return out
    }

    /// Stores the unit-length sentence vectors and labels of `examples` (as many as
    /// ``ClassifierConfig/memory``).
    ///
    /// - Precondition: The model votes by neighbours and `examples.count == config.memory`.
    public func remember(_ examples: [EncodedExample]) {
        precondition(config.votesByNeighbours && examples.count == config.memory)
        let C = config.classes
        let vectors = sentenceVectors(examples)
        store.value(memoryVectors!).update(from: vectors, count: vectors.count)
        let labels = store.value(memoryLabels!)
        labels.update(repeating: 0, count: examples.count * C)
        for (i, e) in examples.enumerated() {
            for c in e.labels { labels[i * C + Int(c)] = 1 }
        }
        memoryIndex = nil
    }

    /// This trained encoder as a nearest-neighbour classifier: a copy of its parameters whose
    /// predictions are the votes of the `neighbours` remembered training sentences with the most
    /// similar pooled vectors. Call ``remember(_:)`` with `memory` training examples next.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when this model already votes by neighbours or
    ///   `neighbours` is not between 1 and `memory`.
    public func withNeighbourHead(memory: Int, neighbours: Int) throws(LexisError) -> SentenceClassifier {
        guard !config.votesByNeighbours else {
            throw .invalidArgument("a \(config.model.rawValue) model that already votes by neighbours has no trained encoder to use")
        }
        var c = config
        c.memory = memory
        c.neighbours = neighbours
        let head = try SentenceClassifier(config: c, vocabulary: vocabulary, labels: labels)
        for view in store.views {
            let target = head.store.layout.view(named: view.name)!
            head.store.value(target).update(from: store.value(view), count: view.count)
        }
        return head
    }

    /// The search index over the remembered sentences (rows named by their position).
    func neighbourIndex() -> WordVectors {
        if let memoryIndex { return memoryIndex }
        let N = config.memory, F = config.featureSize
        let vectors = Array(UnsafeBufferPointer(start: store.value(memoryVectors!), count: N * F))
        // Row names must be distinct words; the search returns rows by number anyway.
        let index = try! WordVectors(words: (0..<N).map { "\($0)" }, dimension: F, vectors: vectors)
        memoryIndex = index
        return index
    }

    /// The `k` remembered sentences most similar to each example (cosine, most similar first;
    /// equal similarities in training order).
    public func nearestNeighbours(_ examples: [EncodedExample], k: Int, batchSize: Int = 64) -> [[Neighbor]] {
        guard !examples.isEmpty else { return [] }
        return neighbourIndex().neighbors(forMany: sentenceVectors(examples, batchSize: batchSize),
                                          maximumCount: min(k, config.memory))
    }

    /// Class probabilities from the `k` nearest neighbours (default: the model's).
    func neighbourProbabilities(_ examples: [EncodedExample], k: Int? = nil, batchSize: Int = 64) -> [[Float]] {
        let k = k ?? config.neighbours
        return nearestNeighbours(examples, k: k, batchSize: batchSize).map { votes($0.prefix(k)) }
    }

    /// Each neighbour votes for its labels with its similarity (at least a small positive share,
    /// so that a neighbour at cosine 0 or below still counts); the votes are normalized to sum 1.
    func votes(_ found: ArraySlice<Neighbor>) -> [Float] {
        let C = config.classes
        let labels = store.value(memoryLabels!)
        var p = [Float](repeating: 0, count: C)
        for n in found {
            let vote = max(n.similarity, 1e-3)
            for c in 0..<C where labels[n.index * C + c] != 0 { p[c] += vote }
        }
        let sum = p.reduce(0, +)
        return sum > 0 ? p.map { $0 / sum } : [Float](repeating: 1 / Float(C), count: C)
    }

    /// The number of neighbours from `candidates` with the best dev accuracy (the smallest of
    /// equals), and that accuracy; the first candidate without dev data. The neighbours are
    /// searched once, for the largest candidate: each k votes with the first k of them.
    public func chooseNeighbours(dev: [EncodedExample], candidates: [Int] = [1, 3, 5, 7, 9, 15, 25, 50]) -> (k: Int, accuracy: Double) {
        let usable = candidates.filter { $0 >= 1 && $0 <= config.memory }
        guard !dev.isEmpty, !usable.isEmpty else { return (usable.first ?? 1, .nan) }
        let found = nearestNeighbours(dev, k: usable.max()!)
        var best = (k: usable[0], accuracy: -1.0)
        for k in usable {
            let predicted = found.map { n in
                let p = votes(n.prefix(k))
                return p.indices.max { p[$0] < p[$1] } ?? 0
            }
            let accuracy = Double(zip(predicted, dev).filter { $0.1.hasLabel($0.0) }.count) / Double(dev.count)
            if accuracy > best.accuracy { best = (k, accuracy) }
        }
        return best
    }
}

extension ClassifierEnsemble {
    /// Every member of this trained ensemble made a nearest-neighbour classifier over its pooled
    /// vectors (``SentenceClassifier/withNeighbourHead(memory:neighbours:)``): each remembers
    /// `train` and votes with `neighbours`, or with the k that is best on `dev` when that is nil
    /// (5 without dev). The members' weights stay as they are.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when a member already votes by neighbours or
    ///   `train` is empty.
    public func withNeighbourHeads(train: [EncodedExample], dev: [EncodedExample], neighbours: Int?) throws(LexisError) -> ClassifierEnsemble {
        guard !train.isEmpty else { throw .invalidArgument("a nearest-neighbour classifier needs training sentences") }
        let heads = try members.map { m throws(LexisError) -> SentenceClassifier in
            let head = try m.withNeighbourHead(memory: train.count, neighbours: min(neighbours ?? 5, train.count))
            head.remember(train.map(head.withOwnFeatures))
            if neighbours == nil && !dev.isEmpty {
                try head.setNeighbours(head.chooseNeighbours(dev: dev.map(head.withOwnFeatures)).k)
            }
            return head
        }
        return try ClassifierEnsemble(members: heads, weights: weights)
    }
}
