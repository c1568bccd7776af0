import Foundation
import Testing
import Lexis
import LexisTestSupport

/// The README's library example, on a small corpus so it runs quickly in a debug build.
@Suite struct LibraryExampleTests {
    @Test func readmeExampleRuns() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = ""
        for i in 0..<300 { text += "the ship sailed to port and the boat sailed to sea \(i % 7)\n" }
        TestSupport.writeOrFail(text, to: "a.txt", in: dir)

        let corpus = try Corpus(paths: [dir.path])
        let (vocabulary, _) = try VocabularyBuilder(minCount: 5).build(corpus)
        var config = Word2VecConfig()
        config.model = .skipGram
        config.epochs = 5
        config.dimension = 16
        let trainer = try Word2VecTrainer(vocabulary: vocabulary, config: config)
        _ = try trainer.train(corpus: corpus)
        let vectors = try trainer.wordVectors()
        let path = dir.appendingPathComponent("vectors.lexis").path
        try vectors.save(to: path)
        let neighbors = try #require(vectors.neighbors(for: "ship", maximumCount: 5))
        #expect(neighbors.count == 5)
        #expect(try WordVectors.load(path: path).words == vectors.words)
    }
}
