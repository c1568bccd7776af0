// `lexis vectors words|sentence`: fastText's print-word-vectors and print-sentence-vectors.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Lexis

struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vectors",
        abstract: "Print vectors for words or sentences read from a file or stdin (fastText's print-word-vectors and print-sentence-vectors).",
        subcommands: [WordVectorsCommand.self, SentenceVectorsCommand.self])
}

struct WordVectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "words",
        abstract: "Print 'word v1 ... vD' for every whitespace-separated word of the input, unknown words included.",
        discussion: """
            A subword model (fastText .bin, or .lexis trained with --minn) builds a vector for any word from its \
            character n-grams; other vectors print zeros for unknown words (as fastText does), counted on stderr.
            """)

    @OptionGroup var source: VectorsOptions
    @Argument(help: "Text file of words; - or nothing reads stdin.") var input: String = "-"
    @Flag(name: .shortAndLong, help: "Print nothing on stderr.") var quiet = false

    func run() throws {
        let vectors = try source.load()
        let out = StandardOutput()
        var unknown = 0, built = 0
        let zeros = [Float](repeating: 0, count: vectors.dimension)
        try forEachLine(of: input) { line in
            for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
                let word = String(word)
                let query = vectors.queryVector(for: word)
                if query == nil { unknown += 1 } else if query!.isFromSubwords { built += 1 }
                out.append(word)
                for value in query?.values ?? zeros { out.append(" " + value.description) }
                out.append(10)
            }
            try out.flushIfFull()
        }
        try out.flush()
        if !quiet && (unknown > 0 || built > 0) {
            printError("\(built) words outside the vocabulary got vectors from their subwords; \(unknown) unknown words printed as zeros")
        }
    }
}

struct SentenceVectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sentence",
        abstract: "Print one vector per input line: the mean of its words' unit vectors (fastText's print-sentence-vectors for unsupervised models).",
        discussion: """
            Words are the tokens of the tokenizer the vectors record (.lexis from lexis train), else the \
            whitespace-separated pieces; words without a vector are left out, and a line with none prints zeros.
            """)

    @OptionGroup var source: VectorsOptions
    @Argument(help: "Text file, one sentence per line; - or nothing reads stdin.") var input: String = "-"

    func run() throws {
        let vectors = try source.load()
        let out = StandardOutput()
        try forEachLine(of: input) { line in
            let values = vectors.sentenceVector(for: line).values
            out.append(values.map(\.description).joined(separator: " "))
            out.append(10)
            try out.flushIfFull()
        }
        try out.flush()
    }
}

/// Calls `body` with every line of a file or of stdin (`-`), without its line end.
func forEachLine(of path: String, _ body: (String) throws -> Void) throws {
    if path == "-" {
        while let line = readLine() { try body(line) }
        return
    }
    guard let file = fopen(path, "r") else {
        throw LexisError.cannotRead(path: path, reason: String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    var buffer: UnsafeMutablePointer<CChar>? = nil
    var capacity = 0
    defer { free(buffer) }
    while true {
        let n = getline(&buffer, &capacity, file)
        if n < 0 { break }
        var length = n
        if length > 0 && buffer![length - 1] == 10 { length -= 1 }
        let line = buffer!.withMemoryRebound(to: UInt8.self, capacity: n) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
        try body(line)
    }
}
