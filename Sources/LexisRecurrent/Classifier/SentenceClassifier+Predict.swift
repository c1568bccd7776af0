// Turning text into ids and ids into class probabilities.
import LexisTensor
import LexisText

extension SentenceClassifier {
    /// Word ids (`<unk>` for words the model does not know), then for bow models with bigram
    /// buckets the hashed ids of adjacent word pairs (fastText's bigram features).
    public func encode(tokens: [String]) -> [Int32] {
        var ids = tokens.map { vocabulary.id($0) }
        if config.model == .bow && config.bigramBuckets > 0 && ids.count > 1 {
            let V = UInt64(config.vocabularySize), buckets = UInt64(config.bigramBuckets)
            for i in 0..<(ids.count - 1) {
                let hash = UInt64(ids[i]) &* 116_049_371 &+ UInt64(ids[i + 1])
                ids.append(Int32(V + hash % buckets))
            }
        }
        return ids
    }

    /// Encodes labeled examples; a label the model does not know is an error naming the line.
    ///
    /// - Parameter path: The file `data` came from, for the error message.
    /// - Throws: `LexisError/malformed(path:line:problem:fix:)` for an unknown label.
    public func encode(_ data: LabeledText, path: String) throws(LexisError) -> [EncodedExample] {
        var out: [EncodedExample] = []
        out.reserveCapacity(data.examples.count)
        for e in data.examples {
            guard let label = classID(e.label) else {
                throw .malformed(path: path, line: e.line, problem: "label '\(e.label)' is not one of the model's labels (\(labels.joined(separator: ", ")))",
                                 fix: "Use the labels of the training data")
            }
            out.append(EncodedExample(ids: encode(tokens: e.tokens), label: Int32(label)))
        }
        return out
    }

    /// A workspace large enough for `examples` in batches of `batchSize`.
    public func makeWorkspace(for examples: [EncodedExample], batchSize: Int) -> ClassifierWorkspace {
        let longest = examples.map(\.ids.count).max() ?? 1
        return ClassifierWorkspace(config: config, maxRows: max(1, min(batchSize, examples.count)), maxSteps: max(1, longest))
    }

    /// Class probabilities [examples.count][classes] in the order of `examples` (no dropout).
    ///
    /// - Parameter workspace: A workspace from ``makeWorkspace(for:batchSize:)`` to reuse, or nil to
    ///   make one.
    public func probabilities(_ examples: [EncodedExample], batchSize: Int = 64,
                              workspace: ClassifierWorkspace? = nil) -> [[Float]] {
        guard !examples.isEmpty else { return [] }
        let ws = workspace ?? makeWorkspace(for: examples, batchSize: batchSize)
        var none: RandomGenerator? = nil
        var rng = RandomGenerator(seed: 0)
        var result = [[Float]](repeating: [], count: examples.count)
        let C = config.classes
        for batch in ClassifierBatch.bucketed(examples, size: min(batchSize, ws.maxRows), rng: &none) {
            forward(batch, workspace: ws, training: false, rng: &rng, computeLoss: false)
            Softmax.forward(ws.logits.pointer, ws.logits.pointer, rows: batch.rows, cols: C)
            for b in 0..<batch.rows {
                result[batch.indices[b]] = Array(UnsafeBufferPointer(start: ws.logits.pointer + b * C, count: C))
            }
        }
        return result
    }

    /// The most likely class of each example.
    public func predict(_ examples: [EncodedExample], batchSize: Int = 64, workspace: ClassifierWorkspace? = nil) -> [Int] {
        probabilities(examples, batchSize: batchSize, workspace: workspace).map { p in
            p.indices.max { p[$0] < p[$1] } ?? 0
        }
    }
}
