import ArgumentParser
import Lexis

struct PhrasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phrases",
        abstract: "Detect multi-word units (new york -> new_york, 玄 德 -> 玄德) and inspect phrase tables.",
        subcommands: [PhrasesBuildCommand.self, PhrasesShowCommand.self])
}

struct PhrasesBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Count words and adjacent pairs, and keep the pairs that score above a threshold.",
        discussion: """
            Scores as word2vec's word2phrase and gensim's Phrases: the default scorer is \
            (count(a b) - min-count) * N / (count(a) * count(b)), N the distinct words and pairs counted; \
            npmi is normalized pointwise mutual information in [-1, 1]. --passes 2 counts the text again \
            as the first pass's phrases join it, finding units of three and four tokens. Phrases never \
            span a line end or punctuation. Use the table with --phrases on tokenize, vocab build and train.
            Example: lexis phrases build corpus.txt -o phrases.tsv --passes 2 && lexis train corpus.txt --phrases phrases.tsv -o vectors.bin
            """)

    @Argument(help: "Corpus files or directories; - reads stdin (one pass only).")
    var corpus: [String]

    @Option(name: .shortAndLong, help: "Output phrase table (text, one phrase per line).")
    var output: String

    @Option(help: "default (word2vec's, gensim's default) or npmi.")
    var scorer: PhraseScorer = .default

    @Option(help: "Keep pairs scoring above this. Default 100 for the default scorer (measured: better English vectors than gensim's 10, which joins function words such as such_as; 10 finds more Chinese names), 0.5 for npmi.")
    var threshold: Double?

    @Option(help: "Pairs seen fewer times are never phrases.")
    var minCount: Int = 5

    @Option(help: "Detection passes: 2 finds units of up to four tokens (new_york_times).")
    var passes: Int = 1

    @Option(help: "Put between the sides of a phrase in scripts written with spaces.")
    var joiner: String = "_"

    @Option(help: "Put between sides that meet in Chinese, Japanese, Thai (scripts without spaces).")
    var cjkJoiner: String = ""

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = defaultThreadCount

    @Option(help: "Distinct pairs to hold in memory (all threads) before rare ones are dropped, as gensim's max_vocab_size; counts near the cut are then approximate.")
    var maxPairs: Int = 40_000_000

    @OptionGroup var tokenizer: TokenizerFlags

    @Flag(name: .shortAndLong, help: "Print nothing on stderr.")
    var quiet = false

    var settings: PhraseSettings {
        PhraseSettings(scorer: scorer, threshold: threshold, minCount: Int64(minCount), passes: passes,
                       joiner: joiner, cjkJoiner: cjkJoiner)
    }

    func validate() throws {
        if let problem = settings.problem { throw ValidationError(problem) }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if maxPairs < 1000 { throw ValidationError("--max-pairs must be at least 1000") }
    }

    func run() throws {
        try FileIO.checkWritable(output)
        let corpus = try Corpus(paths: corpus)
        let builder = PhraseBuilder(tokenizer: try tokenizer.options(), settings: settings, threads: threads, pairLimit: maxPairs)
        let progress = ProgressLine(quiet: quiet)
        let total = corpus.totalBytes
        let passes = self.passes
        let (table, reports) = try builder.build(corpus) { event in
            switch event {
            case .progress(let pass, let bytes):
                progress.update("pass \(pass)/\(passes): " + ProgressLine.bytesLine(done: bytes, total: total, seconds: progress.elapsed))
            case .pruned(let pass, let below, let before, let after):
                progress.finish("note: pass \(pass): a thread's pair table reached \(before) pairs; dropped pairs seen fewer than \(below) times (\(after) left). Counts of rare pairs are now approximate; raise --max-pairs for exact ones")
            case .passDone(let pass, let report):
                progress.finish("pass \(pass)/\(passes): \(report.tokens) tokens, \(report.words) words, \(report.pairs) pairs -> \(report.phrases) phrases (\(formatFixed(progress.elapsed, 1))s)")
            }
        }
        try table.save(to: output)
        progress.finish("\(table.entries.count) phrase\(table.entries.count == 1 ? "" : "s") -> \(output)")
        if table.entries.isEmpty {
            progress.finish("note: no pair seen \(minCount) times scored above \(settings.threshold): try a lower --threshold or --min-count")
        }
        progress.warnInvalidBytes(reports.first?.invalidBytes ?? 0)
    }
}

struct PhrasesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a phrase table's settings and its most frequent phrases.")

    @Argument(help: "A phrase table from `lexis phrases build`.")
    var file: String

    @Option(help: "How many phrases to list per pass.")
    var top: Int = 20

    func validate() throws {
        if top < 0 { throw ValidationError("--top must be 0 or more") }
    }

    func run() throws {
        let table = try PhraseTable.load(path: file)
        let out = StandardOutput()
        out.append("# \(file): \(table.entries.count) phrases (\(table.reference!))\n")
        out.append("# settings: \(table.settings)\n# tokenizer: \(table.tokenizer)\n")
        if !table.counted.isEmpty { out.append("# counted: \(table.counted)\n") }
        for pass in 1...table.settings.passes {
            let entries = table.entries.filter { $0.pass == pass }
            let joined = table.joinedPhrases(pass: pass)
            out.append("# pass \(pass): \(entries.count) phrases\n")
            for (entry, phrase) in zip(entries, joined).prefix(top) {
                out.append("\(phrase)\t\(entry.count)\t\(formatFixed(entry.score, 3))\n")
            }
        }
        try out.flush()
    }
}

extension PhraseScorer: ExpressibleByArgument {}
