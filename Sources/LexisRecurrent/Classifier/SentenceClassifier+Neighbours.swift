// The nearest-neighbour classifier: a sentence is the mean of its words' vectors (the embedding
// table, from pre-trained vectors; words without one, and <unk>, are zero), compared by cosine
// with every training sentence; the k most similar vote with their similarity, and the votes,
// normalized, are the class probabilities. The search is LexisVectors' exact one (one matrix
// product per block of queries, top-k with ties to the earlier training sentence), over a
// WordVectors whose rows are the training sentences. k is chosen on dev.
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

    /// Stores the unit-length sentence vectors and labels of `examples` (knn models; as many as
    /// ``ClassifierConfig/memory``).
    ///
    /// - Precondition: The model is knn and `examples.count == config.memory`.
    public func remember(_ examples: [EncodedExample]) {
        precondition(config.model == .knn && examples.count == config.memory)
        let (E, C) = (config.embedding, config.classes)
        let vectors = store.value(memoryVectors!), labels = store.value(memoryLabels!)
        labels.update(repeating: 0, count: examples.count * C)
        for (i, e) in examples.enumerated() {
            var v = sentenceVector(e.ids)
            var norm: Float = 0
            for x in v { norm += x * x }
            norm = norm.squareRoot()
            if norm > 0 { for j in v.indices { v[j] /= norm } }
            (vectors + i * E).update(from: v, count: E)
            for c in e.labels { labels[i * C + Int(c)] = 1 }
        }
        memoryIndex = nil
    }

    /// The search index over the remembered sentences (rows named by their position).
    func neighbourIndex() -> WordVectors {
        if let memoryIndex { return memoryIndex }
        let N = config.memory, E = config.embedding
        let vectors = Array(UnsafeBufferPointer(start: store.value(memoryVectors!), count: N * E))
        // Row names must be distinct words; the search returns rows by number anyway.
        let index = try! WordVectors(words: (0..<N).map { "\($0)" }, dimension: E, vectors: vectors)
        memoryIndex = index
        return index
    }

    /// The `k` remembered sentences most similar to each example (cosine, most similar first;
    /// equal similarities in training order).
    public func nearestNeighbours(_ examples: [EncodedExample], k: Int) -> [[Neighbor]] {
        guard !examples.isEmpty else { return [] }
        let E = config.embedding
        var queries = [Float](repeating: 0, count: examples.count * E)
        for (i, e) in examples.enumerated() {
            let v = sentenceVector(e.ids)
            var norm: Float = 0
            for x in v { norm += x * x }
            norm = norm.squareRoot()
            for j in 0..<E { queries[i * E + j] = norm > 0 ? v[j] / norm : 0 }
        }
        return neighbourIndex().neighbors(forMany: queries, maximumCount: min(k, config.memory))
    }

    /// Class probabilities from the `k` nearest neighbours: each votes for its labels with its
    /// similarity (at least a small positive share, so that a neighbour at cosine 0 or below still
    /// counts); the votes are normalized to sum 1.
    func neighbourProbabilities(_ examples: [EncodedExample], k: Int? = nil) -> [[Float]] {
        let C = config.classes
        let labels = store.value(memoryLabels!)
        return nearestNeighbours(examples, k: k ?? config.neighbours).map { found in
            var p = [Float](repeating: 0, count: C)
            for n in found {
                let vote = max(n.similarity, 1e-3)
                for c in 0..<C where labels[n.index * C + c] != 0 { p[c] += vote }
            }
            let sum = p.reduce(0, +)
            return sum > 0 ? p.map { $0 / sum } : [Float](repeating: 1 / Float(C), count: C)
        }
    }

    /// The number of neighbours from `candidates` with the best dev accuracy (the smallest of
    /// equals), and that accuracy; the first candidate without dev data.
    public func chooseNeighbours(dev: [EncodedExample], candidates: [Int] = [1, 3, 5, 7, 9, 15, 25, 50]) -> (k: Int, accuracy: Double) {
        let usable = candidates.filter { $0 >= 1 && $0 <= config.memory }
        guard !dev.isEmpty, !usable.isEmpty else { return (usable.first ?? 1, .nan) }
        var best = (k: usable[0], accuracy: -1.0)
        for k in usable {
            let predicted = neighbourProbabilities(dev, k: k).map { p in p.indices.max { p[$0] < p[$1] } ?? 0 }
            let accuracy = Double(zip(predicted, dev).filter { $0.1.hasLabel($0.0) }.count) / Double(dev.count)
            if accuracy > best.accuracy { best = (k, accuracy) }
        }
        return best
    }
}
