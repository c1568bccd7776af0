// The architecture of a sentence classifier: embedding -> (recurrent or convolutional encoder) ->
// pooling over time -> dropout -> linear -> softmax (or one sigmoid per label). `bow` skips the
// encoder and mean-pools the word (and hashed bigram) embeddings: a fastText-style linear baseline.
// `cnn` is Kim (2014)'s TextCNN: convolutions of several widths, ReLU, max over time.

/// Which encoder sits between the embedding and the pooling.
public enum ClassifierModelKind: String, Sendable, CaseIterable {
    /// RNN or LSTM layers (`ClassifierConfig.cell`), optionally bidirectional and stacked.
    case recurrent
    /// Averaged embeddings of words and hashed bigrams, then a linear layer (fastText-style).
    case bow
    /// 1-D convolutions of several widths over the embedded sentence, ReLU, max over time (Kim 2014).
    case cnn
    /// k nearest training sentences by cosine of their mean word vectors; no training by gradient.
    /// (Any other kind with ``ClassifierConfig/memory`` above 0 votes the same way over its
    /// trained encoder's pooled vectors instead.)
    case knn
}

/// The output layer's loss.
public enum ClassifierLossKind: String, Sendable, CaseIterable {
    /// Softmax cross-entropy: one label per example, probabilities summing to 1.
    case softmax
    /// One-vs-all: an independent sigmoid and binary cross-entropy per label (fastText's
    /// `-loss ova`), for multi-label data; each label's probability stands alone.
    case ova
}

/// How the encoder's outputs over time become one vector. Padding never takes part.
public enum PoolKind: String, Sendable, CaseIterable {
    /// The final state of each direction (forward: last word; backward: first word).
    case last
    /// The mean over the words of the sentence.
    case mean
    /// The element-wise maximum over the words of the sentence.
    case max
}

/// The architecture of a ``SentenceClassifier``: embedding, an optional recurrent encoder, pooling
/// over time, dropout, a linear layer and softmax. Stored in every classifier file.
///
/// The defaults are a one-layer bidirectional LSTM with max pooling. For a fastText-style
/// baseline use `model: .bow, pool: .mean` (and `bigramBuckets` for bigram features).
public struct ClassifierConfig: Sendable, Equatable {
    /// The encoder; ``ClassifierModelKind/recurrent`` by default.
    public var model: ClassifierModelKind
    /// The recurrent cell (recurrent models only); LSTM by default.
    public var cell: CellKind
    /// Run each layer in both directions and concatenate the outputs; true by default.
    public var bidirectional: Bool
    /// Stacked recurrent layers; 1 by default.
    public var layers: Int
    /// Hidden units per direction (H); 150 by default.
    public var hidden: Int
    /// Embedding width (E); 300 by default. Must match pre-trained vectors, if any.
    public var embedding: Int
    /// Words in the classifier's `Vocabulary` (`<unk>` included).
    public var vocabularySize: Int
    /// Hashed bigram buckets appended to the embedding table (bow only; 0 disables bigrams).
    public var bigramBuckets: Int
    /// The number of labels, at least 2.
    public var classes: Int
    /// How outputs over time become one vector; ``PoolKind/max`` by default, ``PoolKind/mean``
    /// required for ``ClassifierModelKind/bow``.
    public var pool: PoolKind
    /// Dropout on the embeddings, between layers and on the pooled vector.
    ///
    /// A probability in `[0, 1)`; 0.6 by default.
    public var dropout: Float
    /// Keep the embedding table fixed (useful with pre-trained vectors); false by default.
    public var frozenEmbedding: Bool
    /// Softmax cross-entropy (one label per example) or one-vs-all sigmoids (multi-label).
    public var loss: ClassifierLossKind
    /// Convolution widths in words (cnn only); 3, 4, 5 by default (Kim 2014).
    public var filterWidths: [Int]
    /// Filters per width (cnn only); 100 by default.
    public var filters: Int
    /// Neighbours that vote (``votesByNeighbours`` models); 5 by default, usually chosen on dev.
    public var neighbours: Int
    /// Training sentences the model remembers: every sentence of a knn model; for the other kinds,
    /// above 0 makes a trained encoder a nearest-neighbour classifier over its pooled vectors
    /// (the output layer is then unused). 0 by default.
    public var memory: Int

    /// Creates a configuration. Check ``problem`` before use.
    public init(model: ClassifierModelKind = .recurrent, cell: CellKind = .lstm, bidirectional: Bool = true,
                layers: Int = 1, hidden: Int = 150, embedding: Int = 300, vocabularySize: Int, bigramBuckets: Int = 0,
                classes: Int, pool: PoolKind = .max, dropout: Float = 0.6, frozenEmbedding: Bool = false,
                loss: ClassifierLossKind = .softmax, filterWidths: [Int] = [3, 4, 5], filters: Int = 100,
                neighbours: Int = 5, memory: Int = 0) {
        self.model = model; self.cell = cell; self.bidirectional = bidirectional; self.layers = layers
        self.hidden = hidden; self.embedding = embedding; self.vocabularySize = vocabularySize
        self.bigramBuckets = bigramBuckets; self.classes = classes; self.pool = pool
        self.dropout = dropout; self.frozenEmbedding = frozenEmbedding
        self.loss = loss; self.filterWidths = filterWidths; self.filters = filters
        self.neighbours = neighbours; self.memory = memory
    }

    /// 2 when bidirectional, else 1.
    public var directions: Int { bidirectional ? 2 : 1 }
    /// Width of the pooled vector the output layer reads.
    public var featureSize: Int {
        switch model {
        case .bow, .knn: embedding
        case .recurrent: directions * hidden
        case .cnn: filterWidths.count * filters
        }
    }
    /// Whether predictions are the votes of the most similar remembered training sentences
    /// (knn models, and encoders given a ``memory``) instead of the output layer's.
    public var votesByNeighbours: Bool { model == .knn || memory > 0 }
    /// Whether dropout applies to the embedded words too (Kim's CNN drops only the pooled vector).
    public var dropsEmbeddings: Bool { model != .cnn }
    /// Rows of the embedding table: words, then bigram buckets.
    public var embeddingRows: Int { vocabularySize + (model == .bow ? bigramBuckets : 0) }

    /// About how many floats the model's parameters take (an upper bound up to alignment padding
    /// of 16 floats per view): what a file reader checks before allocating.
    public var approximateParameterCount: Int {
        let (E, H, D, C, F) = (embedding, hidden, directions, classes, featureSize)
        var n = embeddingRows * E + C * (F + 1) + memory * (F + C)
        if model == .recurrent {
            n += layers * D * cell.gates * H * (max(E, D * H) + H + 1)
        }
        if model == .cnn { n += filterWidths.reduce(0) { $0 + filters * ($1 * E + 1) } }
        return n + 16 * (8 + 3 * layers * D + 2 * filterWidths.count)
    }

    /// Why this configuration cannot be built, or nil.
    public var problem: String? {
        if layers < 1 { return "a classifier needs at least one layer" }
        if hidden < 1 || embedding < 1 { return "hidden and embedding sizes must be at least 1" }
        if vocabularySize < 1 { return "the vocabulary is empty" }
        if classes < 2 { return "a classifier needs at least two labels, found \(classes)" }
        if bigramBuckets < 0 { return "bigram buckets must be 0 or more" }
        if !(dropout >= 0 && dropout < 1) { return "dropout must be in [0, 1)" }
        if model == .bow && pool != .mean { return "the bow model averages its embeddings (pool mean)" }
        if model == .cnn {
            if filterWidths.isEmpty || filterWidths.contains(where: { $0 < 1 || $0 > 100 }) {
                return "convolution widths must be between 1 and 100 words, got \(filterWidths)"
            }
            if Set(filterWidths).count != filterWidths.count { return "convolution widths must differ, got \(filterWidths)" }
            if filters < 1 { return "a convolution needs at least one filter" }
            if pool != .max { return "the cnn model pools by the maximum over time (pool max)" }
        }
        if memory < 0 { return "remembered sentences must be 0 or more" }
        if model == .knn {
            if memory < 1 { return "a nearest-neighbour model needs at least one training sentence" }
            if pool != .mean { return "the knn model averages its word vectors (pool mean)" }
        }
        if votesByNeighbours && (neighbours < 1 || neighbours > memory) {
            return "neighbours must be between 1 and the \(memory) training sentences, got \(neighbours)"
        }
        return nil
    }
}
