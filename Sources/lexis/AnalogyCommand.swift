// `lexis analogy`: "A is to B as C is to ?".
import ArgumentParser
import Lexis

struct AnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analogy",
        abstract: "Answer 'A is to B as C is to ?' (e.g. man king woman -> queen).",
        discussion: "The three query words are never answers. 'add' is 3CosAdd (word2vec, gensim most_similar); 'mul' is 3CosMul (gensim most_similar_cosmul).")

    @OptionGroup var source: VectorsOptions
    @Argument(help: "A, as in 'A is to B'.") var a: String
    @Argument(help: "B, as in 'A is to B'.") var b: String
    @Argument(help: "C, as in 'as C is to ?'.") var c: String
    @Option(name: .long, help: "add (3CosAdd) or mul (3CosMul).") var method: AnalogyMethod = .add
    @Option(name: .short, help: "How many answers to show.") var k: Int = 10
    @Option(name: .long, help: "Search only the first N words of the file; 0 searches all.") var restrict: Int = 0
    @Flag(name: .long, help: "Print JSON: {a, b, c, method, answers: [{word, similarity}]}.") var json = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("-k must be at least 1, got \(k)") }
        guard restrict >= 0 else { throw ValidationError("--restrict must be 0 (all) or more, got \(restrict)") }
    }

    func run() throws {
        let vectors = try source.load()
        let queries = try resolveQueries([a, b, c], in: vectors, path: source.vectors)
        let answers = vectors.analogy(a: queries[0], b: queries[1], c: queries[2], method: method, maximumCount: k, restrictTo: restrict)
        if json {
            print(JSON.object([("a", .string(a)), ("b", .string(b)), ("c", .string(c)), ("method", .string(method.rawValue)),
                               ("from_subwords", subwordJSON(queries)), ("answers", neighborsJSON(answers))]).text)
        } else {
            let note = subwordNote(queries)
            if !note.isEmpty { print("# " + note) }
            for answer in answers { print("\(answer.word)\t\(formatSimilarity(answer.similarity))") }
        }
    }
}
