// The classifier's word list and its start from pre-trained vectors.
//
// Out-of-vocabulary words: the vocabulary holds every training word (seen at least `minCount`
// times) and, when vectors are given, every word of the vector file too, so a word met only at
// test time still gets its pre-trained vector. Words in neither map to `<unk>`, whose row starts
// at zero (it never occurs in training, so it adds no evidence).
import LexisText
import LexisVectors

extension SentenceClassifier {
    /// A vocabulary of the words of `data` seen at least `minCount` times (most frequent first), then,
    /// when `vectors` is given, every other word of the vectors, so that a word met only at test
    /// time keeps its pre-trained vector. `<eos>` and `<unk>` are added.
    ///
    /// - Throws: `LexisError/emptyVocabulary(_:)` when no word remains, `LexisError/invalidArgument(_:)`
    ///   when a word appears twice.
    public static func buildVocabulary(_ data: LabeledText, minCount: Int = 1,
                                       vectors: WordVectorFile? = nil) throws(LexisError) -> LMVocabulary {
        var counts: [String: Int] = [:]
        for e in data.examples { for t in e.tokens { counts[t, default: 0] += 1 } }
        var words = counts.filter { $0.value >= minCount }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map(\.key)
        if let vectors {
            var seen = Set(words)
            seen.insert(LMVocabulary.unknown); seen.insert(LMVocabulary.endOfSentence)
            for w in vectors.words where seen.insert(w).inserted { words.append(w) }
        }
        guard !words.isEmpty else {
            throw .emptyVocabulary("the training data has no words seen \(minCount) times or more; lower --min-count")
        }
        return try LMVocabulary(words: words)
    }

    /// Copies the vectors of known words into the embedding table; returns how many were found.
    ///
    /// The `<unk>` row stays zero.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when the vectors' dimension differs from
    ///   ``ClassifierConfig/embedding``.
    @discardableResult
    public func loadEmbeddings(_ vectors: WordVectorFile) throws(LexisError) -> Int {
        guard vectors.dimension == config.embedding else {
            throw .invalidArgument("the word vectors have dimension \(vectors.dimension) but the classifier's embedding size is \(config.embedding); set --embedding-size \(vectors.dimension)")
        }
        // <unk> stays the zero vector: it stands for words that have no vector at all.
        return vectors.copy(into: store.value(embedding.table), vocabulary: vocabulary, skipping: vocabulary.unknownID)
    }
}

extension WordVectorFile {
    /// Reads vectors in any format `WordVectors.load` knows (word2vec text or binary, `.lexis`).
    ///
    /// - Throws: What `WordVectors/load(path:format:)` throws.
    public static func load(anyFormat path: String) throws(LexisError) -> WordVectorFile {
        let vectors = try WordVectors.load(path: path)
        let values = vectors.withUnsafeMatrix { Array($0) }
        return WordVectorFile(words: vectors.words, dimension: vectors.dimension, values: values)
    }
}
