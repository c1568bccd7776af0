import ArgumentParser
import Lexis

struct VocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "Build and inspect vocabularies.",
        subcommands: [VocabBuildCommand.self, VocabShowCommand.self])
}

struct VocabBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Count the tokens of a corpus and save the vocabulary.",
        discussion: """
            Writes `token<TAB>count` lines ordered by count (ties by token), after `#` header lines \
            that record the tokenizer settings, so training and queries tokenize the same way.
            Example: lexis vocab build corpora/en -o vocab/en.tsv --min-count 5
            """)

    @Argument(help: "Corpus files or directories; - reads stdin.")
    var corpus: [String]

    @Option(name: .shortAndLong, help: "Output file (default: vocab/<first corpus name>.tsv).")
    var output: String?

    @Option(help: "Leave out tokens seen fewer times than this.")
    var minCount: Int = 5

    @Option(help: "Keep at most this many tokens, the most frequent (default: no limit).")
    var maxSize: Int?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = defaultThreadCount

    @Option(help: ArgumentHelp("Memory the count tables may take while counting (e.g. 2G). Past it, rare types are pruned as word2vec.c does, and counts near the cut become approximate (a note says so). Default: no limit beyond 10 million types per thread.",
                               valueName: "size"))
    var maxVocabMemory: ByteSize?

    @OptionGroup var tokenizer: TokenizerFlags

    @OptionGroup var phrases: PhraseFlags

    @Flag(name: .shortAndLong, help: "Print nothing on stderr.")
    var quiet = false

    func validate() throws {
        if minCount < 1 { throw ValidationError("--min-count must be at least 1") }
        if let maxSize, maxSize < 1 { throw ValidationError("--max-size must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let corpus = try Corpus(paths: corpus)
        let path = output ?? defaultVocabularyPath(for: self.corpus[0])
        try FileIO.checkWritable(path)
        var builder = VocabularyBuilder(tokenizer: try phrases.attach(to: tokenizer.options()), minCount: Int64(minCount), maxSize: maxSize,
                                        threads: threads)
        builder.memoryLimit = maxVocabMemory?.bytes
        let progress = ProgressLine(quiet: quiet)
        let total = corpus.totalBytes
        let (vocabulary, report) = try builder.build(corpus) { event in
            switch event {
            case .progress(let bytes):
                progress.update("counting: " + ProgressLine.bytesLine(done: bytes, total: total, seconds: progress.elapsed))
            case .pruned(let below, let before, let after):
                progress.finish("note: a count table reached its limit at \(before) types; dropped types seen fewer than \(below) times (\(after) left), as word2vec.c does")
            }
        }
        if vocabulary.isEmpty { throw builder.emptyVocabularyError(report, corpus: self.corpus.joined(separator: " ")) }
        if let note = report.approximationNote { progress.finish(note) }
        try vocabulary.save(to: path)
        var summary = "\(vocabulary.count) tokens (of \(report.distinctTypes) types, \(report.corpusTokens) corpus tokens, min-count \(minCount))"
        summary += " in \(formatFixed(progress.elapsed, 2))s -> \(path)"
        progress.finish(summary)
        progress.warnInvalidBytes(report.invalidBytes)
    }
}

/// vocab/<name>.tsv for a corpus path, creating vocab/ in the current folder if needed.
func defaultVocabularyPath(for corpus: String) -> String {
    var name = corpus.split(separator: "/").last.map(String.init) ?? "stdin"
    if corpus == "-" { name = "stdin" }
    if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
    makeDirectory("vocab")
    return "vocab/\(name).tsv"
}

struct VocabShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a vocabulary's settings and its most frequent tokens.")

    @Argument(help: "A vocabulary file (Lexis's or word2vec's -save-vocab format).")
    var file: String

    @Option(help: "How many tokens to list.")
    var top: Int = 20

    func validate() throws {
        if top < 0 { throw ValidationError("--top must be 0 or more") }
    }

    func run() throws {
        let vocabulary = try Vocabulary.load(path: file)
        let out = StandardOutput()
        out.append("# \(file): \(vocabulary.count) tokens, \(vocabulary.totalCount) corpus tokens covered\n")
        out.append("# tokenizer: \(vocabulary.tokenizer)\n")
        let total = Double(max(vocabulary.totalCount, 1))
        for id in 0..<min(top, vocabulary.count) {
            let share = Double(vocabulary.counts[id]) / total * 100
            out.append("\(id + 1)\t\(vocabulary.tokens[id])\t\(vocabulary.counts[id])\t\(formatFixed(share, 3))%\n")
        }
        try out.flush()
    }
}
