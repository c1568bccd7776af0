// A word-level recurrent language model: embedding -> stacked RNN/LSTM -> linear -> softmax.
// All parameters live in one `ParameterStore`; the layers below are views into it.
//
// Gate order (i, f, g, o): rows [0,H) input gate, [H,2H) forget gate, [2H,3H) candidate (tanh),
// [3H,4H) output gate, in W_ih [4H x in], W_hh [4H x H] and the bias [4H].
// Shapes: B batch, T time steps, H hidden, E embedding, V vocabulary; activations time-major
// ([T*B x .], row t*B + b).
import LexisTensor
import LexisText
import LexisVocab

/// The views of one recurrent layer.
public struct RecurrentLayer: Sendable {
    /// W_ih [G*H x in]
    public let inputWeight: ParameterView
    /// W_hh [G*H x H]
    public let recurrentWeight: ParameterView
    /// b [1 x G*H] (one bias; PyTorch's b_ih + b_hh is the same thing)
    public let bias: ParameterView
    /// Width of the layer's input: E for the first layer, H above it.
    public let inputSize: Int
}

/// A word-level recurrent language model: embedding, stacked RNN or LSTM layers, linear output,
/// softmax.
///
/// All parameters live in one `ParameterStore`; ``embedding``, ``layers`` and ``output`` are views
/// into it. Train it with ``LMTrainer``; measure it with ``evaluate(tokens:batch:steps:)``; sample
/// from it with ``generate(prompt:count:temperature:seed:)``.
///
/// ```swift
/// let options = TokenizerOptions.pretokenized
/// let vocabulary = try RecurrentLanguageModel.buildVocabulary(path: "train.txt", tokenizer: options)
/// let model = try RecurrentLanguageModel(
///     config: LanguageModelConfig(vocabularySize: vocabulary.count), vocabulary: vocabulary)
/// model.initialize(seed: 1)
/// let train = try vocabulary.encode(path: "train.txt")
/// let valid = try vocabulary.encode(path: "valid.txt")
/// let trainer = try LMTrainer(model: model, options: LMTrainingOptions(), train: train, valid: valid)
/// try trainer.run(outputPath: "lm.lexis", checkpointPath: nil)
/// let prompt = try vocabulary.encode(text: "the")
/// let ids = model.generate(prompt: prompt, count: 20)
/// print(model.text(for: ids))
/// ```
public final class RecurrentLanguageModel {
    /// The architecture.
    public let config: LanguageModelConfig
    /// The words the model reads and predicts, `<eos>` and `<unk>` included; ids index the
    /// embedding and output rows. It records the tokenizer settings.
    public let vocabulary: Vocabulary
    /// The id of `<eos>`, which ends every line.
    public let endOfSentenceID: Int32
    /// The id of `<unk>`, which stands for every word not in the vocabulary.
    public let unknownID: Int32
    /// How text is tokenized for this model (the vocabulary's settings); saved with it.
    public var tokenizer: TokenizerOptions { vocabulary.tokenizer }
    /// Every parameter and gradient, in two flat buffers.
    public let store: ParameterStore
    /// The input embedding `[V x E]`.
    public let embedding: Embedding
    /// The recurrent layers, bottom first.
    public let layers: [RecurrentLayer]
    /// The output layer `[V x H]`; with ``LanguageModelConfig/tied`` its weight is the embedding table.
    public let output: Linear
    /// Where training stands (for checkpoints and `--resume`); saved with the model.
    public var training = TrainingState()

    /// Creates a model with all parameters zero; call ``initialize(seed:scale:forgetBias:)`` or
    /// ``load(path:)`` a trained one.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when `config` has a ``LanguageModelConfig/problem``
    ///   its vocabulary size differs from `vocabulary.count`, or the vocabulary lacks `<eos>` or `<unk>`
    ///   (build it with ``buildVocabulary(path:tokenizer:minCount:threads:)`` or with ``specialTokens``).
    public init(config: LanguageModelConfig, vocabulary: Vocabulary) throws(LexisError) {
        if let problem = config.problem { throw .invalidArgument(problem) }
        guard config.vocabularySize == vocabulary.count else {
            throw .invalidArgument("model vocabulary size \(config.vocabularySize) does not match the vocabulary (\(vocabulary.count) words)")
        }
        guard let endOfSentenceID = vocabulary.endOfSentenceID, let unknownID = vocabulary.unknownID else {
            throw .invalidArgument("a language model's vocabulary needs <eos> and <unk> (SpecialTokens [.endOfSentence, .unknown])")
        }
        self.config = config
        self.vocabulary = vocabulary
        self.endOfSentenceID = endOfSentenceID
        self.unknownID = unknownID
        var layout = ParameterLayout()
        embedding = Embedding("embedding", vocabulary: config.vocabularySize, dimension: config.embedding,
                              trainable: !config.frozenEmbedding, layout: &layout)
        let gh = config.cell.gates * config.hidden
        var layers: [RecurrentLayer] = []
        for l in 0..<config.layers {
            let inputSize = l == 0 ? config.embedding : config.hidden
            layers.append(RecurrentLayer(
                inputWeight: layout.add("\(config.cell.rawValue)\(l).weight_ih", rows: gh, cols: inputSize),
                recurrentWeight: layout.add("\(config.cell.rawValue)\(l).weight_hh", rows: gh, cols: config.hidden),
                bias: layout.add("\(config.cell.rawValue)\(l).bias", rows: 1, cols: gh),
                inputSize: inputSize))
        }
        self.layers = layers
        let outputBias = layout.add("output.bias", rows: 1, cols: config.vocabularySize)
        let outputWeight = config.tied ? embedding.table
            : layout.add("output.weight", rows: config.vocabularySize, cols: config.hidden)
        output = Linear(weight: outputWeight, bias: outputBias)
        store = ParameterStore(layout: layout)
    }

    /// The number of parameters (a tied table counted once).
    public var parameterCount: Int { store.views.reduce(0) { $0 + $1.count } }

    /// Uniform(-scale, scale) for every weight (Zaremba et al.: 0.1), zero biases except the LSTM
    /// forget gate, which starts at `forgetBias` (1 by default: remember until taught otherwise).
    public func initialize(seed: UInt64, scale: Float = 0.1, forgetBias: Float = 1) {
        var rng = RandomGenerator(seed: seed)
        Initializer.uniform(store, embedding.table, scale: scale, rng: &rng)
        for layer in layers {
            Initializer.uniform(store, layer.inputWeight, scale: scale, rng: &rng)
            Initializer.uniform(store, layer.recurrentWeight, scale: scale, rng: &rng)
            Initializer.constant(store, layer.bias, 0)
            if config.cell == .lstm {
                store.value(layer.bias).advanced(by: config.hidden).update(repeating: forgetBias, count: config.hidden)
            }
        }
        if !config.tied { Initializer.uniform(store, output.weight, scale: scale, rng: &rng) }
        Initializer.constant(store, output.bias!, 0)
    }
}
