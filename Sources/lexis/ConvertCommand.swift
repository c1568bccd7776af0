// `lexis convert`: between word2vec binary, text and .lexis.
import ArgumentParser
import Lexis

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "convert",
        abstract: "Convert word vectors between word2vec binary, word2vec text and .lexis.",
        discussion: "Text output prints each value in the shortest form that reads back to the same 32-bit float, so conversions are exact.")

    @OptionGroup var source: VectorsOptions
    @Argument(help: "The file to write (replaced atomically).") var output: String
    @Option(name: .long, help: "Output format: bin, text or lexis (default: from OUTPUT's extension: .bin, .txt/.vec, .lexis).")
    var to: VectorFormat?
    @Flag(name: .shortAndLong, help: "Print nothing on stderr.") var quiet = false

    func validate() throws {
        if to == nil && VectorFormat.forPath(output) == nil {
            throw ValidationError("cannot tell the output format from '\(output)'; add --to bin, --to text or --to lexis")
        }
    }

    func run() throws {
        try FileIO.checkWritable(output)
        let started = monotonicSeconds()
        let vectors = try source.load()
        let format = to ?? VectorFormat.forPath(output)!
        try vectors.save(to: output, format: format)
        if !quiet {
            printError("wrote \(vectors.count) x \(vectors.dimension) vectors to \(output) (\(format.rawValue)) in \(formatFixed(monotonicSeconds() - started, 2))s")
        }
    }
}
