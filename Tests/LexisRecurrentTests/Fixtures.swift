// Tiny models and corpora made in code (tests never read PTB).
import LexisRecurrent
import LexisTensor
import LexisText
import LexisVocab

func tinyVocabulary(_ n: Int = 7) -> Vocabulary {
    try! Vocabulary(tokens: (0..<(n - 2)).map { "w\($0)" }, counts: [Int64](repeating: 1, count: n - 2),
                    tokenizer: .pretokenized, specialTokens: RecurrentLanguageModel.specialTokens)
}

/// A small model with non-trivial weights (scale 0.5 so the nonlinearities leave their linear range).
func tinyModel(cell: CellKind, layers: Int = 2, hidden: Int = 5, embedding: Int? = nil, tied: Bool = false,
               dropout: Float = 0, vocabulary: Int = 7, seed: UInt64 = 3) -> RecurrentLanguageModel {
    let config = LanguageModelConfig(cell: cell, layers: layers, hidden: hidden, embedding: embedding ?? (tied ? hidden : 4),
                                     vocabularySize: vocabulary, tied: tied, dropout: dropout)
    let model = try! RecurrentLanguageModel(config: config, vocabulary: tinyVocabulary(vocabulary))
    model.initialize(seed: seed, scale: 0.5, forgetBias: 1)
    // Non-zero biases everywhere so their gradients are exercised.
    var rng = RandomGenerator(seed: seed &+ 100)
    for layer in model.layers { Initializer.uniform(model.store, layer.bias, scale: 0.3, rng: &rng) }
    Initializer.uniform(model.store, model.output.bias!, scale: 0.3, rng: &rng)
    return model
}

/// Random inputs and targets for a B x T segment.
func fillRandom(_ ws: LMWorkspace, vocabulary: Int, seed: UInt64) {
    var rng = RandomGenerator(seed: seed)
    for i in 0..<(ws.batch * ws.steps) {
        ws.inputs[i] = Int32(rng.next() % UInt64(vocabulary))
        ws.targets[i] = Int32(rng.next() % UInt64(vocabulary))
    }
}

/// A repetitive corpus: sentences from a tiny grammar, deterministic.
func tinyCorpus(lines: Int) -> String {
    let sentences = ["the cat sat on the mat", "a dog ran in the park", "the bird sang a song", "we like the cat"]
    return (0..<lines).map { sentences[$0 % sentences.count] }.joined(separator: "\n") + "\n"
}
