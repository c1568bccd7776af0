import ArgumentParser
import Lexis

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize",
        abstract: "Write one line of space-separated tokens per input line.")
    @Argument(help: "Files or directories to read; - or nothing reads stdin.") var inputs: [String] = []
    func run() throws {}
}
struct VocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vocab", abstract: "Build and show vocabularies.")
    func run() throws {}
}
