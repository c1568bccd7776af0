// `lexis plot`: a 2-D PCA map of chosen words as an SVG.
import ArgumentParser
import Lexis

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plot",
        abstract: "Draw chosen words (and optionally their neighbours) on a 2-D PCA projection, as an SVG.")

    @OptionGroup var source: VectorsOptions
    @Option(name: .long, help: "Comma-separated words to plot, e.g. --words king,queen,man,woman.") var words: String
    @Option(name: .short, help: "The SVG file to write.") var output: String
    @Option(name: .long, help: "Also plot this many nearest neighbours of each word.") var neighbors: Int = 0
    @Option(name: .long, help: "Title above the plot (default: 'PCA of N words').") var title: String?
    @Flag(name: .shortAndLong, help: "Print nothing on stderr.") var quiet = false

    /// The words, with spaces around commas dropped.
    var wordList: [String] { words.split(separator: ",").map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }.filter { !$0.isEmpty } }

    func validate() throws {
        guard !wordList.isEmpty else { throw ValidationError("--words needs at least one word") }
        guard neighbors >= 0 else { throw ValidationError("--neighbors must be 0 or more, got \(neighbors)") }
        guard wordList.count >= 2 || neighbors > 0 else {
            throw ValidationError("a projection needs two or more points: give more --words or --neighbors")
        }
    }

    func run() throws {
        try FileIO.checkWritable(output)
        let vectors = try source.load()
        let known = try resolveWords(wordList, in: vectors, path: source.vectors)
        let map = WordMap(vectors: vectors, words: known, neighbors: neighbors, title: title)
        let writer = try AtomicFileWriter(path: output)
        try writer.write(map.svg)
        try writer.commit()
        if !quiet { printError("wrote \(map.points.count) points to \(output)") }
    }
}
