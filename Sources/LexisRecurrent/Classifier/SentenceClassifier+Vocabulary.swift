// The classifier's word list and its start from pre-trained vectors.
//
// Out-of-vocabulary words: the vocabulary holds every training word (seen at least `minCount`
// times) and, when vectors are given, every word of the vector file too, so a word met only at
// test time still gets its pre-trained vector. Words in neither map to `<unk>`, whose row starts
// at zero (it never occurs in training, so it adds no evidence).
import LexisText
import LexisVectors
import LexisVocab

extension SentenceClassifier {
    /// The special tokens a classifier's vocabulary holds (`<eos>` is kept for files of earlier
    /// versions, which listed it).
    public static let specialTokens: SpecialTokens = [.endOfSentence, .unknown]

    /// A vocabulary of the words of `data` seen at least `minCount` times (most frequent first,
    /// ties by bytes), then, when `vectors` is given, every other word of the vectors, so that a
    /// word met only at test time keeps its pre-trained vector; then `<eos>` and `<unk>`. It records
    /// the data's tokenizer settings.
    ///
    /// - Throws: `LexisError/emptyVocabulary(_:)` when no word remains, `LexisError/invalidArgument(_:)`
    ///   when a word appears twice.
    public static func buildVocabulary(_ data: LabeledText, minCount: Int = 1,
                                       vectors: WordVectors? = nil) throws(LexisError) -> Vocabulary {
        var kept = zip(data.words, data.wordCounts).filter { $0.1 >= minCount }
        kept.sort { a, b in a.1 != b.1 ? a.1 > b.1 : a.0.utf8.lexicographicallyPrecedes(b.0.utf8) }
        guard !kept.isEmpty || !(vectors?.words.isEmpty ?? true) else {
            throw .emptyVocabulary("the training data has no words seen \(minCount) times or more; lower --min-count")
        }
        var tokens = kept.map(\.0), counts = kept.map(\.1)
        if let vectors {
            var seen = Set(tokens)
            seen.insert(SpecialTokens.unknownToken); seen.insert(SpecialTokens.endOfSentenceToken)
            for w in vectors.words where seen.insert(w).inserted {
                tokens.append(w)
                counts.append(0)
            }
        }
        return try Vocabulary(tokens: tokens, counts: counts, tokenizer: data.tokenizer, specialTokens: specialTokens)
    }

    /// Copies the vectors of known words into the embedding table; returns how many were found.
    ///
    /// The `<unk>` row stays zero.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when the vectors' dimension differs from
    ///   ``ClassifierConfig/embedding``.
    @discardableResult
    public func loadEmbeddings(_ vectors: WordVectors) throws(LexisError) -> Int {
        guard vectors.dimension == config.embedding else {
            throw .invalidArgument("the word vectors have dimension \(vectors.dimension) but the classifier's embedding size is \(config.embedding); set --embedding-size \(vectors.dimension)")
        }
        // <unk> stays the zero vector: it stands for words that have no vector at all.
        return vectors.copy(into: store.value(embedding.table), vocabulary: vocabulary, skipping: unknownID)
    }
}
