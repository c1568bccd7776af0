// Starting a model's embedding from pre-trained word vectors, read by the one loader
// (`WordVectors.load`: word2vec text and binary, fastText .vec, GloVe, .lexis).
import LexisText
import LexisVectors
import LexisVocab

extension WordVectors {
    /// Copies the vector of every word the vocabulary knows into row `id` of `table` (`dimension`
    /// floats a row), leaving other rows as they are; `skipping` keeps one id (say `<unk>`)
    /// untouched. Returns how many rows were filled.
    func copy(into table: UnsafeMutablePointer<Float>, vocabulary: Vocabulary, skipping: Int32? = nil) -> Int {
        let E = dimension
        var filled = 0
        withUnsafeMatrix { rows in
            for (row, word) in words.enumerated() {
                // Words are distinct in WordVectors, so each id is filled at most once.
                guard let id = vocabulary.id(of: word), Int32(id) != skipping else { continue }
                (table + id * E).update(from: rows.baseAddress! + row * E, count: E)
                filled += 1
            }
        }
        return filled
    }
}

extension RecurrentLanguageModel {
    /// Copies the vectors of words the model knows into its embedding table; words without a
    /// vector keep their random initialization. Returns how many words were found.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when the vectors' dimension differs from the
    ///   model's embedding size.
    @discardableResult
    public func loadEmbeddings(_ vectors: WordVectors) throws(LexisError) -> Int {
        guard vectors.dimension == config.embedding else {
            throw .invalidArgument("the word vectors have dimension \(vectors.dimension) but the model's embedding size is \(config.embedding); set --embedding-size \(vectors.dimension)")
        }
        return vectors.copy(into: store.value(embedding.table), vocabulary: vocabulary)
    }
}
