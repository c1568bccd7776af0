// `lexis similarity`: the cosine similarity of two words.
import ArgumentParser
import Lexis

struct SimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "similarity",
        abstract: "Print the cosine similarity of two words (1 = same direction, 0 = unrelated, -1 = opposite).")

    @OptionGroup var source: VectorsOptions
    @Argument(help: "The first word.") var first: String
    @Argument(help: "The second word.") var second: String
    @Flag(name: .long, help: "Print JSON: {first, second, similarity}.") var json = false

    func run() throws {
        let vectors = try source.load()
        let queries = try resolveQueries([first, second], in: vectors, path: source.vectors)
        let value = vectors.similarity(queries[0], queries[1])
        if json {
            print(JSON.object([("first", .string(first)), ("second", .string(second)), ("similarity", .float(value)),
                               ("from_subwords", subwordJSON(queries))]).text)
        } else {
            let note = subwordNote(queries)
            print(formatSimilarity(value) + (note.isEmpty ? "" : "\t" + note))
        }
    }
}
