// `lexis export projector`: files for the TensorBoard Embedding Projector.
import ArgumentParser
import Lexis

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export",
        abstract: "Export word vectors for other tools.",
        subcommands: [ExportProjectorCommand.self])
}

struct ExportProjectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "projector",
        abstract: "Write vectors.tsv and metadata.tsv for the TensorBoard Embedding Projector (projector.tensorflow.org: Load).")

    @OptionGroup var source: VectorsOptions
    @Option(name: .short, help: "Folder to write into (created if missing).") var output: String
    @Option(name: .long, help: "Export only the first N words (the most frequent in trained vectors); 0 exports all.")
    var top: Int = 10_000
    @Flag(name: .shortAndLong, help: "Print nothing on stderr.") var quiet = false

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 (all) or more, got \(top)") }
    }

    func run() throws {
        let vectors = try source.load()
        let rows = try vectors.exportProjector(to: output, top: top == 0 ? nil : top)
        if !quiet { printError("wrote \(rows) of \(vectors.count) words to \(output)/vectors.tsv and \(output)/metadata.tsv") }
    }
}
