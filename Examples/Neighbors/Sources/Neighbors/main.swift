// Trains skip-gram vectors on a corpus with the Lexis library and prints the nearest neighbours
// of a few words.
//   swift run -c release Neighbors CORPUS [WORD ...]
import Foundation
import Lexis

let arguments = Array(CommandLine.arguments.dropFirst())
guard let corpusPath = arguments.first else {
    print("usage: Neighbors CORPUS [WORD ...]   (e.g. ../../corpora/en/gutenberg.txt king ship)")
    exit(64)
}
let queries = arguments.count > 1 ? Array(arguments.dropFirst()) : ["king", "ship", "love"]

do {
    let corpus = try Corpus(paths: [corpusPath])
    let (vocabulary, _) = try VocabularyBuilder(minCount: 5).build(corpus)
    var config = Word2VecConfig()
    config.model = .skipGram
    config.dimension = 100
    config.epochs = 3
    let trainer = try Word2VecTrainer(vocabulary: vocabulary, config: config)
    let summary = try trainer.train(corpus: corpus)
    print("trained on \(summary.words) words in \(Int(summary.seconds)) s with the \(KernelPath.active.displayName) kernels")
    let vectors = try trainer.wordVectors()
    for word in queries {
        guard let neighbors = vectors.neighbors(for: word, maximumCount: 5) else {
            print("\(word): not in the vocabulary")
            continue
        }
        print("\(word): " + neighbors.map { "\($0.word) \(String(format: "%.3f", $0.similarity))" }.joined(separator: ", "))
    }
} catch {
    print("error: \(error)")
    exit(1)
}
