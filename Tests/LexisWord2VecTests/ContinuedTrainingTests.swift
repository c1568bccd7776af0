// Continued training: old rows are kept (exactly, for words the new text lacks), new words are
// added with the new text's counts, a checkpoint brings its output rows, and the new words learn.
import Foundation
import LexisTestSupport
import LexisText
import LexisVectors
import LexisVocab
import LexisWord2Vec
import Testing

@Suite struct ContinuedTrainingTests {
    /// Old text: animals and tools. New text: tools again, and fruit (new words).
    func newCorpus(in dir: URL) -> String {
        let tools = ["hammer", "saw", "drill", "wrench", "chisel", "pliers", "file", "axe"]
        let fruit = ["apple", "pear", "plum", "cherry", "peach", "grape", "lemon", "lime"]
        var rng = RandomGenerator(seed: 9)
        var text = ""
        for _ in 0..<2000 {
            let cluster = rng.next(below: 2) == 0 ? tools : fruit
            text += (0..<8).map { _ in cluster[rng.next(below: cluster.count)] }.joined(separator: " ") + "\n"
        }
        text += "rare rare\n"
        return TestSupport.writeOrFail(text, to: "new.txt", in: dir)
    }

    func counts(_ path: String) throws -> ByteStringTable {
        try VocabularyBuilder(minCount: 1, threads: 1).count(try Corpus(paths: [path])).0
    }

    @Test func oldRowsStayNewWordsAreAddedAndLearn() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-continue")
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = try train(clusterCorpus(in: dir, lines: 1500), smallConfig(epochs: 2))
        let oldVectors = try old.wordVectors()
        let saved = dir.appendingPathComponent("old.lexis").path
        try oldVectors.save(to: saved)
        let start = try Word2VecStart.load(path: saved)
        #expect(start.output == nil && start.words == oldVectors.words)

        let newPath = newCorpus(in: dir)
        let c = try Word2VecTrainer.continuing(from: start, newCounts: try counts(newPath), tokenizer: TokenizerOptions(),
                                               minCount: 5, config: smallConfig(epochs: 2))
        #expect(c.addedWords == 8)  // the fruit; "rare" (2) is under min-count
        #expect(c.sharedWords == 8)  // the tools
        let vocabulary = c.trainer.vocabulary
        #expect(Array(vocabulary.tokens.prefix(start.words.count)) == start.words)
        #expect(vocabulary.contains("apple") && !vocabulary.contains("rare"))
        // Training counts are the new text's; the written counts add the old ones.
        let cat = vocabulary.id(of: "cat")!, hammer = vocabulary.id(of: "hammer")!
        #expect(vocabulary.counts[Int(cat)] == 0)
        #expect(c.combinedCounts[Int(hammer)] == oldVectors.counts![Int(hammer)] + vocabulary.counts[Int(hammer)])
        _ = try c.trainer.train(corpus: try Corpus(paths: [newPath]))
        let vectors = try c.trainer.wordVectors(counts: c.combinedCounts)
        // Words the new text lacks are never updated: their rows are the old ones, bit for bit.
        #expect(vectors.vector(for: "cat") == oldVectors.vector(for: "cat"))
        #expect(vectors.vector(for: "hammer") != oldVectors.vector(for: "hammer"))
        // The new words learned their cluster.
        let apple = vectors.vector(for: "apple")!
        let fruitSimilarity = cosine(apple, vectors.vector(for: "pear")!)
        let toolSimilarity = cosine(apple, vectors.vector(for: "saw")!)
        #expect(fruitSimilarity > toolSimilarity + 0.2, "\(fruitSimilarity) \(toolSimilarity)")
    }

    @Test func aCheckpointBringsItsOutputRowsAndADimensionMismatchIsRefused() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-continue")
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = try train(clusterCorpus(in: dir, lines: 500), smallConfig(epochs: 1))
        let checkpoint = dir.appendingPathComponent("old.ckpt").path
        try old.saveCheckpoint(to: checkpoint)
        let start = try Word2VecStart.load(path: checkpoint)
        #expect(start.output == old.output.unpadded())
        let c = try Word2VecTrainer.continuing(from: start, newCounts: try counts(newCorpus(in: dir)), tokenizer: TokenizerOptions(),
                                               minCount: 5, config: smallConfig(epochs: 1))
        let dog = Int(c.trainer.vocabulary.id(of: "dog")!)
        #expect(Array(UnsafeBufferPointer(start: c.trainer.output.row(dog), count: 24))
                == Array(UnsafeBufferPointer(start: old.output.row(dog), count: 24)))
        var other = smallConfig(epochs: 1)
        other.dimension = 12
        #expect { _ = try Word2VecTrainer.continuing(from: start, newCounts: try counts(newCorpus(in: dir)),
                                                     tokenizer: TokenizerOptions(), minCount: 5, config: other) }
            throws: { "\($0)".contains("--dim 24") }
    }
}
