// A sentence classifier: embedding -> RNN/LSTM encoder (optionally bidirectional, stacked) ->
// masked pooling over time -> dropout -> linear -> softmax cross-entropy (or one-vs-all
// sigmoids); for `bow`, the mean of word and bigram embeddings -> linear; for `cnn`, convolutions
// of several widths -> ReLU -> max over time -> dropout -> linear (SentenceClassifier+Convolution).
// All parameters live in one `ParameterStore`.
//
// Gate order (i, f, g, o) as in CellKernels. Shapes: B batch, T longest sentence of the batch,
// H hidden, D directions, E embedding, C classes. Activations are time-major ([T*B x .], row
// t*B + b) with the batch sorted by length, longest first, so the sentences still running at step
// t are the rows 0..<active[t]: each step works on a prefix and padding is never computed.
import LexisTensor
import LexisText
import LexisVectors
import LexisVocab

/// A sentence classifier: embedding, then an RNN or LSTM encoder (optionally bidirectional and
/// stacked), masked pooling over time, dropout, linear, softmax; or, for
/// ``ClassifierModelKind/bow``, the mean of word and hashed-bigram embeddings, then linear.
///
/// All parameters live in one `ParameterStore`. Read data with ``LabeledText``, build the
/// vocabulary with ``buildVocabulary(_:minCount:vectors:)``, train with ``ClassifierTrainer``,
/// then ``predict(_:batchSize:workspace:)``.
public final class SentenceClassifier {
    /// The architecture.
    public private(set) var config: ClassifierConfig
    /// Words of the training data (and of the pre-trained vectors, when given) plus `<eos>` and
    /// `<unk>`; it records the tokenizer settings.
    public let vocabulary: Vocabulary
    /// The id of `<unk>`, which stands for every word not in the vocabulary.
    public let unknownID: Int32
    /// Class names; class id = index.
    public let labels: [String]
    /// How text is tokenized for this classifier (the vocabulary's settings); saved with it.
    public var tokenizer: TokenizerOptions { vocabulary.tokenizer }
    /// Every parameter and gradient, in two flat buffers.
    public let store: ParameterStore
    /// The embedding table: ``ClassifierConfig/vocabularySize`` word rows, then the bigram buckets.
    public let embedding: Embedding
    /// layers[l][d]: layer l, direction d (0 forward, 1 backward).
    public let layers: [[RecurrentLayer]]
    /// One convolution per filter width (cnn models), in ``ClassifierConfig/filterWidths`` order.
    public let convolutions: [Convolution1D]
    /// Models that vote by neighbours: the unit-length sentence vectors of the training sentences
    /// [memory x featureSize] and their labels, one-hot (several ones for multi-label data)
    /// [memory x classes].
    public let memoryVectors: ParameterView?, memoryLabels: ParameterView?
    /// The search index over ``memoryVectors`` (made on first use, dropped by ``remember(_:)``).
    var memoryIndex: WordVectors?
    /// The output layer `[classes x featureSize]`.
    public let output: Linear
    /// What training recorded (saved with the model, printed by `classify test`).
    public var trainingSummary: [String: String] = [:]
    private let labelIndex: [String: Int]

    /// Creates a classifier with all parameters zero; call ``initialize(seed:embeddingScale:forgetBias:)``
    /// or load a trained one with ``load(path:)``.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when `config` has a ``ClassifierConfig/problem``,
    ///   its vocabulary size differs from `vocabulary.count`, or `labels` are not
    ///   ``ClassifierConfig/classes`` distinct names, or the vocabulary has no `<unk>`.
    public init(config: ClassifierConfig, vocabulary: Vocabulary, labels: [String]) throws(LexisError) {
        if let problem = config.problem { throw .invalidArgument(problem) }
        guard config.vocabularySize == vocabulary.count else {
            throw .invalidArgument("classifier vocabulary size \(config.vocabularySize) does not match the vocabulary (\(vocabulary.count) words)")
        }
        guard labels.count == config.classes, Set(labels).count == labels.count else {
            throw .invalidArgument("the classifier needs \(config.classes) distinct labels, got \(labels)")
        }
        guard let unknownID = vocabulary.unknownID else {
            throw .invalidArgument("a classifier's vocabulary needs <unk> (build it with SentenceClassifier.buildVocabulary)")
        }
        self.config = config
        self.vocabulary = vocabulary
        self.unknownID = unknownID
        self.labels = labels
        var index: [String: Int] = [:]
        for (i, l) in labels.enumerated() { index[l] = i }
        labelIndex = index
        var layout = ParameterLayout()
        embedding = Embedding("embedding", vocabulary: config.embeddingRows, dimension: config.embedding,
                              trainable: !config.frozenEmbedding && config.model != .knn, layout: &layout)
        memoryVectors = !config.votesByNeighbours ? nil : layout.add("memory.vectors", rows: config.memory, cols: config.featureSize, trainable: false)
        memoryLabels = !config.votesByNeighbours ? nil : layout.add("memory.labels", rows: config.memory, cols: config.classes, trainable: false)
        var layers: [[RecurrentLayer]] = []
        if config.model == .recurrent {
            let gh = config.cell.gates * config.hidden
            for l in 0..<config.layers {
                let inputSize = l == 0 ? config.embedding : config.directions * config.hidden
                layers.append((0..<config.directions).map { d in
                    let name = "\(config.cell.rawValue)\(l)\(d == 0 ? "" : "_reverse")"
                    return RecurrentLayer(inputWeight: layout.add("\(name).weight_ih", rows: gh, cols: inputSize),
                                          recurrentWeight: layout.add("\(name).weight_hh", rows: gh, cols: config.hidden),
                                          bias: layout.add("\(name).bias", rows: 1, cols: gh), inputSize: inputSize)
                })
            }
        }
        self.layers = layers
        convolutions = config.model != .cnn ? [] : config.filterWidths.map { w in
            Convolution1D("conv\(w)", width: w, inputSize: config.embedding, filters: config.filters, layout: &layout)
        }
        output = Linear("output", input: config.featureSize, output: config.classes, layout: &layout)
        store = ParameterStore(layout: layout)
        // A bow table is mostly hashed bigram buckets, of which a batch touches a few hundred rows:
        // steps visit only those (Adam catches rows up on the steps they missed), which makes a
        // bow epoch 30x faster. The recurrent models stay dense: made row-sparse they ran 1.5x
        // faster but their dev accuracy moved (BENCHMARKS.md, round 3), so they keep what was measured.
        // The cnn, new, is row-sparse from the start: dense Adam over the table took 29% of its epoch.
        if (config.model == .bow || config.model == .cnn) && !config.frozenEmbedding { store.makeRowSparse(embedding.table) }
    }

    /// Sets the number of voting neighbours of a model that votes by neighbours.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when `k` is not between 1 and the remembered sentences.
    public func setNeighbours(_ k: Int) throws(LexisError) {
        var c = config
        c.neighbours = k
        if let problem = c.problem { throw .invalidArgument(problem) }
        config = c
    }

    /// The number of parameters.
    public var parameterCount: Int { store.views.reduce(0) { $0 + $1.count } }

    /// The class id of `label`, or nil when it is not one of ``labels``.
    public func classID(_ label: String) -> Int? { labelIndex[label] }

    /// Embedding uniform in [-0.1, 0.1] with the `<unk>` row and the bigram buckets at zero
    /// (`<unk>` never occurs in training and a bigram met only at test time should add no
    /// evidence, only dilute the average); recurrent weights Xavier input / orthogonal
    /// recurrent, biases 0 with the LSTM forget gate at `forgetBias`; output Xavier.
    public func initialize(seed: UInt64, embeddingScale: Float = 0.1, forgetBias: Float = 1) {
        var rng = RandomGenerator(seed: seed)
        store.values.update(repeating: 0, count: store.count)
        // A knn model's words have their pre-trained vector or none (zero): nothing random.
        if config.model != .knn { Initializer.uniform(store, embedding.table, scale: embeddingScale, rng: &rng) }
        (store.value(embedding.table) + Int(unknownID) * config.embedding)
            .update(repeating: 0, count: config.embedding)
        (store.value(embedding.table) + config.vocabularySize * config.embedding)
            .update(repeating: 0, count: (config.embeddingRows - config.vocabularySize) * config.embedding)
        let H = config.hidden
        for layer in layers {
            for cell in layer {
                Initializer.xavier(store, cell.inputWeight, rng: &rng)
                // Orthogonal per gate block keeps each H x H block's singular values at 1.
                for g in 0..<config.cell.gates {
                    let block = ParameterView(name: "block", offset: cell.recurrentWeight.offset + g * H * H,
                                              rows: H, cols: H)
                    Initializer.orthogonal(store, block, rng: &rng)
                }
                if config.cell == .lstm {
                    (store.value(cell.bias) + H).update(repeating: forgetBias, count: H)
                }
            }
        }
        for conv in convolutions { Initializer.xavier(store, conv.weight, rng: &rng) }
        Initializer.xavier(store, output.weight, rng: &rng)
    }
}
