// The architecture of a recurrent language model; stored in every model file.
import LexisText

/// The recurrent cell of a model.
public enum CellKind: String, Sendable, CaseIterable {
    /// Elman RNN: h' = tanh(W_ih x + W_hh h + b).
    case rnn
    /// LSTM, gate order (i, f, g, o).
    case lstm

    /// Rows of the fused gate matrices per hidden unit.
    public var gates: Int { self == .lstm ? 4 : 1 }
}

/// The architecture of a ``RecurrentLanguageModel``: embedding, stacked recurrent layers, linear
/// output over the vocabulary. Stored in every model file.
public struct LanguageModelConfig: Sendable, Equatable {
    /// The recurrent cell; LSTM by default.
    public var cell: CellKind
    /// Stacked recurrent layers; 2 by default.
    public var layers: Int
    /// Hidden units per layer (H); 200 by default.
    public var hidden: Int
    /// Embedding width E (must equal `hidden` when `tied`).
    public var embedding: Int
    /// Words in the model's `Vocabulary` (V).
    public var vocabularySize: Int
    /// Output layer shares the embedding table (Press & Wolf 2017).
    public var tied: Bool
    /// Dropout on the non-recurrent connections (Zaremba et al. 2014): embedding output, between
    /// layers, before the output layer.
    ///
    /// A probability in `[0, 1)`; 0 turns dropout off.
    public var dropout: Float
    /// Embedding table is not trained (useful with pre-trained vectors).
    public var frozenEmbedding: Bool

    /// Creates a configuration. A nil `embedding` equals `hidden`. Check ``problem`` before use.
    public init(cell: CellKind = .lstm, layers: Int = 2, hidden: Int = 200, embedding: Int? = nil,
                vocabularySize: Int, tied: Bool = false, dropout: Float = 0, frozenEmbedding: Bool = false) {
        self.cell = cell
        self.layers = layers
        self.hidden = hidden
        self.embedding = embedding ?? hidden
        self.vocabularySize = vocabularySize
        self.tied = tied
        self.dropout = dropout
        self.frozenEmbedding = frozenEmbedding
    }

    /// Nil when the configuration can work, else what is wrong and how to fix it.
    public var problem: String? {
        if layers < 1 { return "the model needs at least one layer (--layers)" }
        if hidden < 1 || embedding < 1 { return "--hidden and the embedding size must be positive" }
        if vocabularySize < 2 { return "the vocabulary needs at least two words" }
        if !(dropout >= 0 && dropout < 1) { return "--dropout must be in [0, 1)" }
        if tied && embedding != hidden {
            return "tied embeddings need the embedding size (\(embedding)) to equal --hidden (\(hidden))"
        }
        if tied && frozenEmbedding { return "a tied embedding is also the output layer and cannot be frozen" }
        return nil
    }

    /// Throws ``problem`` when there is one.
    public func validate() throws(LexisError) {
        if let problem { throw .invalidArgument(problem) }
    }
}
