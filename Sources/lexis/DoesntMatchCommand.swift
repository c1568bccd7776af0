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
        let known = try resolveWords(words, in: vectors, path: source.vectors)
        let odd = words[known.firstIndex(of: vectors.doesntMatch(known)!)!]
        if json {
            print(JSON.object([("words", .array(words.map { .string($0) })), ("odd", .string(odd))]).text)
        } else {
            print(odd)
        }
    }
}
