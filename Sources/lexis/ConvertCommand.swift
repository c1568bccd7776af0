// `lexis convert`: between word2vec binary, text, .lexis and fastText model .bin.
import ArgumentParser
import Lexis

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "convert",
        abstract: "Convert word vectors between word2vec binary, word2vec text, .lexis and fastText model .bin.",
        discussion: """
            Text output prints each value in the shortest form that reads back to the same 32-bit float, so conversions are exact. \
            Subword models (fastText .bin, .lexis trained with --minn) keep their n-grams in .lexis and --to fasttext \
            (a fastText model .bin that fastText loads); bin and text write the words' vectors only.
            """)

    @OptionGroup var source: VectorsOptions
    @Argument(help: "The file to write (replaced atomically).") var output: String
    @Option(name: .long, help: "Output format: bin, text, lexis or fasttext (default: from OUTPUT's extension: .bin word2vec, .txt/.vec, .lexis).")
    var to: VectorFormat?
    @Flag(name: .shortAndLong, help: "Print nothing on stderr.") var quiet = false

    func validate() throws {
        if to == nil && VectorFormat.forPath(output) == nil {
            throw ValidationError("cannot tell the output format from '\(output)'; add --to bin, --to text, --to lexis or --to fasttext")
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
