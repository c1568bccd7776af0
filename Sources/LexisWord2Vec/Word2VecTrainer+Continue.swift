// Continued training on new text (gensim's build_vocab(update=True) then train; fastText's most
// requested unmerged feature): start from earlier vectors or a checkpoint, keep every old word's
// row, add the new text's words that reach min-count, and train on the new text only.
//
// The trainer's vocabulary lists the old words in their old order, then the new ones; its counts
// are the NEW text's (0 for old words it lacks), so subsampling, negatives and the learning-rate
// schedule follow the text being trained, as for a fresh run. The vectors written afterwards
// carry old + new counts. Output rows come from a checkpoint; vectors files have none, so those
// start at zero (word2vec's own start) while the input rows keep what they learned.
#if canImport(Glibc)
import Glibc
#endif
import LexisText
import LexisVectors
import LexisVocab

/// Where continued training starts: the words, counts and rows of earlier vectors or a checkpoint.
public struct Word2VecStart: @unchecked Sendable {
    /// The earlier words, in their row order.
    public let words: [String]
    /// Their corpus counts (0 where the file records none).
    public let counts: [Int64]
    /// The tokenizer settings the earlier vectors were made with, if recorded.
    public let tokenizer: TokenizerOptions?
    /// The vector dimension.
    public let dimension: Int
    /// Input rows, `words.count x dimension`.
    public let input: [Float]
    /// Output (negative-sampling) rows, when the start is a checkpoint.
    public let output: [Float]?
    /// The file read.
    public let path: String

    /// Reads a checkpoint written by `lexis train --checkpoint` (input and output rows) or a
    /// vectors file in any format `WordVectors.load` reads (input rows only).
    ///
    /// - Throws: `LexisError` from the readers.
    public static func load(path: String) throws(LexisError) -> Word2VecStart {
        let subwordsRefused = "continued training keeps word rows only; \(path) has n-gram rows (a subword model), "
            + "which it would drop: train the subword model on all the text, or continue from plain word2vec vectors"
        if try FileIO.startsWith(path: path, bytes: Word2VecTrainer.checkpointFormat.magic) {
            let trainer = try Word2VecTrainer.resume(from: path)
            guard trainer.config.minn == 0 else { throw .invalidArgument(subwordsRefused) }
            return Word2VecStart(words: trainer.vocabulary.tokens, counts: trainer.vocabulary.counts,
                                 tokenizer: trainer.vocabulary.tokenizer, dimension: trainer.config.dimension,
                                 input: trainer.input.unpadded(), output: trainer.output.unpadded(), path: path)
        }
        let vectors = try WordVectors.load(path: path)
        guard !vectors.hasSubwords else { throw .invalidArgument(subwordsRefused) }
        return Word2VecStart(words: vectors.words, counts: vectors.counts ?? Array(repeating: 0, count: vectors.count),
                             tokenizer: vectors.tokenizer, dimension: vectors.dimension,
                             input: vectors.withUnsafeMatrix { Array($0) }, output: nil, path: path)
    }
}

extension Word2VecTrainer {
    /// What ``continuing(from:newCounts:minCount:config:)`` made.
    public struct Continuation {
        /// The trainer, its rows set from the start.
        public let trainer: Word2VecTrainer
        /// Old counts plus the new text's, in the trainer's word order: for the vectors written.
        public let combinedCounts: [Int64]
        /// Words the new text added.
        public let addedWords: Int
        /// Old words the new text has.
        public let sharedWords: Int
    }

    /// A trainer that continues from `start` on a new text whose every token was counted in
    /// `newCounts` (no min-count applied, as ``VocabularyBuilder/count(_:onEvent:)`` gives them).
    ///
    /// - Parameters:
    ///   - tokenizer: The settings the new text was counted with (those `start` records, when it does).
    ///   - minCount: New words need this many occurrences in the new text; old words stay whatever
    ///     their new count.
    ///   - config: The run's settings; its dimension must be the start's.
    /// - Throws: `LexisError/invalidArgument(_:)` for another dimension, `LexisError/emptyVocabulary(_:)`
    ///   when the new text has no word to train.
    public static func continuing(from start: Word2VecStart, newCounts: ByteStringTable, tokenizer: TokenizerOptions,
                                  minCount: Int64, config: Word2VecConfig) throws(LexisError) -> Continuation {
        guard config.minn == 0 else {
            throw .invalidArgument("continued training does not train subwords yet: leave out --minn with --init")
        }
        guard config.dimension == start.dimension else {
            throw .invalidArgument("\(start.path) has \(start.dimension)-dimensional vectors; continue with --dim \(start.dimension)")
        }
        let old = ByteStringTable(minimumCapacity: start.words.count)
        for (i, word) in start.words.enumerated() { _ = old.insert(word, value: Int64(i)) }
        var trainCounts = [Int64](repeating: 0, count: start.words.count)
        var added: [(key: [UInt8], count: Int64)] = []
        newCounts.forEach { key, count in
            if let row = old.value(key.baseAddress!, key.count) {
                trainCounts[Int(row)] = count
            } else if count >= minCount {
                added.append((Array(key), count))
            }
        }
        added.sort { a, b in a.count != b.count ? a.count > b.count : a.key.lexicographicallyPrecedes(b.key) }
        let shared = trainCounts.filter { $0 > 0 }.count
        guard shared + added.count > 0 else {
            throw .emptyVocabulary("the new text has no word of \(start.path) and none as frequent as --min-count \(minCount): "
                + "is it tokenized as the start was?")
        }
        let tokens = start.words + added.map { String(decoding: $0.key, as: UTF8.self) }
        let vocabulary = try Vocabulary(tokens: tokens, counts: trainCounts + added.map(\.count), tokenizer: tokenizer)
        let trainer = try Word2VecTrainer(vocabulary: vocabulary, config: config)
        let d = start.dimension
        start.input.withUnsafeBufferPointer { rows in
            for r in 0..<start.words.count { trainer.input.row(r).update(from: rows.baseAddress! + r * d, count: d) }
        }
        if let output = start.output {
            output.withUnsafeBufferPointer { rows in
                for r in 0..<start.words.count { trainer.output.row(r).update(from: rows.baseAddress! + r * d, count: d) }
            }
        }
        let combined = zip(start.counts + Array(repeating: 0, count: added.count), vocabulary.counts).map { $0 &+ $1 }
        return Continuation(trainer: trainer, combinedCounts: combined, addedWords: added.count, sharedWords: shared)
    }

    /// The trained vectors with other counts than the vocabulary's (continued training writes old
    /// plus new counts).
    public func wordVectors(counts: [Int64]) throws(LexisError) -> WordVectors {
        try WordVectors(words: vocabulary.tokens, dimension: config.dimension, vectors: input.unpadded(),
                        counts: counts, tokenizer: vocabulary.tokenizer)
    }
}
