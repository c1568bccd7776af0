// Turning text into ids and ids into class probabilities.
import LexisTensor
import LexisText
import LexisVocab

extension SentenceClassifier {
    /// Word ids (`<unk>` for words the model does not know), then for bow models with bigram
    /// buckets the hashed ids of adjacent word pairs (fastText's bigram features).
    public func encode(tokens: [String]) -> [Int32] {
        withBigrams(tokens.map { vocabulary.idOrUnknown($0) })
    }

    /// Word ids, then for bow models with bigram buckets the hashed ids of adjacent word pairs.
    func withBigrams(_ words: [Int32]) -> [Int32] {
        var ids = words
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
    /// - Throws: `LexisError/malformed(path:line:problem:fix:)` for an unknown label.
    public func encode(_ data: LabeledText) throws(LexisError) -> [EncodedExample] {
        // One lookup per word type of the data, then ids map to ids.
        let modelID = data.words.map { vocabulary.idOrUnknown($0) }
        var out: [EncodedExample] = []
        out.reserveCapacity(data.examples.count)
        for e in data.examples {
            var ids: [Int32] = []
            for name in e.labels {
                guard let label = classID(name) else {
                    throw .malformed(path: data.path, line: e.line, problem: "label '\(name)' is not one of the model's labels (\(labels.joined(separator: ", ")))",
                                     fix: "Use the labels of the training data")
                }
                ids.append(Int32(label))
            }
            out.append(EncodedExample(ids: withBigrams(e.tokenIDs.map { modelID[Int($0)] }), labels: ids))
        }
        return out
    }

    /// Every line of a text (no labels) as an example with label -1, tokenized with the model's
    /// settings and streamed; a line without words gives an example without ids. Like
    /// `LabeledText.read`, a line keeps its first `maximumTokens` tokens.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/invalidArgument(_:)` when
    ///   the tokenizer cannot be made.
    public func encodeLines(of corpus: Corpus,
                            maximumTokens: Int = LabeledText.defaultMaximumTokens) throws(LexisError) -> [EncodedExample] {
        let tokenizer = try Tokenizer(options: tokenizer)
        let reader = try CorpusReader(corpus: corpus)
        var out: [EncodedExample] = []
        var words: [Int32] = []
        while let segment = try reader.next() {
            tokenizer.forEachToken(in: segment.bytes) { token, _ in
                if words.count < maximumTokens { words.append(vocabulary.idOrUnknown(bytes: token)) }
            }
            guard segment.endsLine else { continue }
            out.append(EncodedExample(ids: withBigrams(words), label: -1))
            words.removeAll(keepingCapacity: true)
        }
        return out
    }

    /// A workspace large enough for `examples` in batches of `batchSize`.
    public func makeWorkspace(for examples: [EncodedExample], batchSize: Int) -> ClassifierWorkspace {
        let longest = examples.map(\.ids.count).max() ?? 1
        return ClassifierWorkspace(config: config, maxRows: max(1, min(batchSize, examples.count)), maxSteps: max(1, longest))
    }

    /// Class probabilities [examples.count][classes] in the order of `examples` (no dropout):
    /// softmax, or for the ova loss each label's own sigmoid.
    ///
    /// - Parameter workspace: A workspace from ``makeWorkspace(for:batchSize:)`` to reuse, or nil to
    ///   make one.
    public func probabilities(_ examples: [EncodedExample], batchSize: Int = 64,
                              workspace: ClassifierWorkspace? = nil) -> [[Float]] {
        guard !examples.isEmpty else { return [] }
        if config.votesByNeighbours { return neighbourProbabilities(examples, batchSize: batchSize) }
        let ws = workspace ?? makeWorkspace(for: examples, batchSize: batchSize)
        var none: RandomGenerator? = nil
        var rng = RandomGenerator(seed: 0)
        var result = [[Float]](repeating: [], count: examples.count)
        let C = config.classes
        for batch in ClassifierBatch.bucketed(examples, size: min(batchSize, ws.maxRows), rng: &none) {
            forward(batch, workspace: ws, training: false, rng: &rng, computeLoss: false)
            if config.loss == .ova {
                SigmoidCrossEntropy.probabilities(ws.logits.pointer, ws.logits.pointer, count: batch.rows * C)
            } else {
                Softmax.forward(ws.logits.pointer, ws.logits.pointer, rows: batch.rows, cols: C)
            }
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
