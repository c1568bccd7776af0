// `lexis doesnt-match`: the odd one out.
import ArgumentParser
import Lexis

struct DoesntMatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doesnt-match",
        abstract: "Print the word that fits least with the others (farthest from their mean direction).")

    @OptionGroup var source: VectorsOptions
    @Argument(help: "Two or more words.") var words: [String] = []
    @Flag(name: .long, help: "Print JSON: {words, odd}.") var json = false

    func validate() throws {
        guard words.count >= 2 else { throw ValidationError("give at least two words, got \(words.count)") }
    }

    func run() throws {
        let vectors = try source.load()
        let queries = try resolveQueries(words, in: vectors, path: source.vectors)
        let odd = words[vectors.doesntMatch(queries)!]
        if json {
            print(JSON.object([("words", .array(words.map { .string($0) })), ("odd", .string(odd)),
                               ("from_subwords", subwordJSON(queries))]).text)
        } else {
            let note = subwordNote(queries)
            print(odd + (note.isEmpty ? "" : "\t" + note))
        }
    }
}
