import ArgumentParser
import Lexis

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train word vectors (word2vec skip-gram or CBOW with negative sampling; with --minn, fastText's subword model).",
        discussion: """
            Builds the vocabulary (or reads --vocab), then trains with all cores. The output format \
            follows the extension: .bin word2vec binary, .txt/.vec word2vec text, .lexis Lexis's \
            memory-mappable format; --format overrides.
            Example: lexis train corpora/en/gutenberg.txt -o vectors.bin --epochs 5
            """)

    @Argument(help: "Corpus files or directories; - reads stdin (one epoch only).")
    var corpus: [String]

    @Option(name: .shortAndLong, help: "Output vectors file.")
    var output: String

    @Option(help: "skipgram or cbow.")
    var model: Word2VecConfig.Model = .skipGram

    @Option(help: "A vocabulary from `lexis vocab build` (its tokenizer settings are used); default: build one from the corpus.")
    var vocab: String?

    @Option(help: "Vector dimension (default 100; with --init, the start's).")
    var dim: Int?

    @Option(help: "Maximum distance between center and context words (each position draws 1...window).")
    var window: Int = 5

    @Option(help: "Negative samples per positive example.")
    var negative: Int = 5

    @Option(help: "Subsampling threshold for frequent words; 0 turns it off.")
    var sample: Double = 1e-3

    @Option(help: "Starting learning rate, decaying linearly to --min-alpha (default 0.025 skip-gram, 0.05 CBOW and subword models).")
    var alpha: Double?

    @Option(help: "Final learning rate of the linear decay (default alpha x 0.5 / epochs: 0.1 x alpha at 5 epochs, chosen by quality; word2vec.c decays to alpha x 1e-4, and so do subword models, as fastText's).")
    var minAlpha: Double?

    @Option(help: "Passes over the corpus.")
    var epochs: Int = 5

    @Option(help: "Ignore words seen fewer times than this.")
    var minCount: Int = 5

    @Option(help: "Keep at most this many words, the most frequent (default: no limit).")
    var maxVocab: Int?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = defaultThreadCount

    @Option(help: ArgumentHelp("Memory the count tables may take while counting (e.g. 2G). Past it, rare types are pruned as word2vec.c does, and counts near the cut become approximate (a note says so). Default: no limit beyond 10 million types per thread.",
                               valueName: "size"))
    var maxVocabMemory: ByteSize?

    @Option(help: ArgumentHelp("Skip-gram negatives: shared across a window's context words (faster) or drawn per pair as word2vec.c does. With subwords: one step per window (each context word its own negatives) or fastText's step per pair.",
                               valueName: "shared|per-pair"))
    var negatives: NegativeSharing = .shared

    @Option(name: .customLong("id-memory"), help: ArgumentHelp("Megabytes of word ids kept in memory so that epochs after the first need not read and tokenize the corpus again (4 bytes per word; the vectors are the same); 0 reads it every epoch. The default is at most an eighth of the machine's memory.", valueName: "MB"))
    var idMemory: Int = Word2VecConfig.defaultWordIDMemory >> 20

    @Flag(help: "The same vectors for a seed at any thread count: 16 fixed corpus parts trained in short rounds merged in a fixed order (0.3-0.55x the speed of the default lock-free threads, by CPU: CBOW the slower, skip-gram the faster; a file, not stdin).")
    var deterministic = false

    @Option(help: "Subwords (fastText's model): shortest character n-gram; 0 trains plain word2vec. Try 3 with --maxn 6.")
    var minn: Int = 0

    @Option(help: "Subwords: longest character n-gram.")
    var maxn: Int = 6

    @Option(help: "Subwords: hash buckets for the n-grams (rows of the n-gram matrix).")
    var buckets: Int = 2_000_000

    @Option(help: "Random seed; with --threads 1 or --deterministic the same seed gives bit-identical vectors.")
    var seed: UInt64 = 1

    @Option(help: "Output format: bin, text, lexis or fasttext (default: from the extension of -o). With subwords, lexis and fasttext keep the n-grams; bin and text hold the words' vectors.")
    var format: VectorFormat?

    @Option(help: "Save a checkpoint here after every epoch (for --resume).")
    var checkpoint: String?

    @Option(help: "Continue from a checkpoint written by --checkpoint (its settings and vocabulary are used).")
    var resume: String?

    @Option(name: .customLong("init"),
            help: ArgumentHelp("Continue from earlier vectors (any format) or a --checkpoint file: old words keep their rows (and, from a checkpoint, their output rows), words of the new corpus that reach --min-count are added, and only the new corpus is trained on. --dim and the tokenizer come from the start.",
                               valueName: "vectors-or-checkpoint"))
    var initFrom: String?

    @Option(help: "Also save the vocabulary that was built.")
    var saveVocab: String?

    @OptionGroup var tokenizer: TokenizerFlags

    @OptionGroup var phrases: PhraseFlags

    @Flag(name: .shortAndLong, help: "Print nothing on stderr.")
    var quiet = false

    /// The trainer settings these flags ask for; `Word2VecConfig.validate()` owns their checks.
    var config: Word2VecConfig {
        var config = Word2VecConfig()
        config.model = model
        config.dimension = dim ?? 100
        config.window = window
        config.negative = negative
        config.sample = sample
        config.alpha = alpha
        config.minAlpha = minAlpha
        config.epochs = epochs
        config.threads = threads
        config.seed = seed
        config.sharedNegatives = negatives == .shared
        config.deterministic = deterministic
        config.wordIDMemory = idMemory << 20
        config.minn = minn
        config.maxn = maxn
        config.buckets = buckets
        return config
    }

    func validate() throws {
        do { try config.validate() } catch { throw ValidationError(error.description) }
        // What only the command line has: the vocabulary pass and the output name.
        if minCount < 1 { throw ValidationError("--min-count must be at least 1") }
        if initFrom != nil && (resume != nil || vocab != nil) {
            throw ValidationError("--init builds the vocabulary from the new corpus and the start: leave out --resume and --vocab")
        }
        if let maxVocab, maxVocab < 1 { throw ValidationError("--max-vocab must be at least 1") }
        if format == nil && VectorFormat.forPath(output) == nil {
            throw ValidationError("cannot tell the format from '\(output)': use a .bin, .txt, .vec or .lexis name, or --format")
        }
    }

    func run() throws {
        // Fail before training, not after it, when an output cannot be written.
        for path in [output] + (checkpoint.map { [$0] } ?? []) { try FileIO.checkWritable(path) }
        let corpus = try Corpus(paths: corpus)
        if !corpus.isSeekable && vocab == nil && resume == nil {
            throw LexisError.invalidArgument(
                "stdin can be read only once: build a vocabulary first (lexis vocab build) and pass it with --vocab, or train from a file")
        }
        let progress = ProgressLine(quiet: quiet)
        let trainer: Word2VecTrainer
        var counts: [Int64]?  // continued training writes old + new counts
        if let resume {
            trainer = try Word2VecTrainer.resume(from: resume, phrases: phrases.phrases.map { try PhraseTable.load(path: $0) })
            progress.finish("resuming \(resume): \(trainer.epochsDone) of \(trainer.config.epochs) epochs done, \(trainer.vocabulary.count) words")
        } else if let initFrom {
            let start = try Word2VecStart.load(path: initFrom)
            var options = try tokenizer.options()
            if let recorded = start.tokenizer {
                if tokenizer.isCustomized && options != recorded.withoutPhrases {
                    progress.finish("note: tokenizing as \(initFrom) records (\(recorded)); tokenizer flags are ignored")
                }
                options = try phrases.attach(toRecorded: recorded, of: initFrom)
            } else {
                options = try phrases.attach(to: options)
            }
            let (table, _) = try countCorpus(corpus, tokenizer: options, minCount: 1, progress: progress)
            var config = self.config
            config.dimension = dim ?? start.dimension
            let continuation = try Word2VecTrainer.continuing(from: start, newCounts: table, tokenizer: options,
                                                              minCount: Int64(minCount), config: config)
            trainer = continuation.trainer
            counts = continuation.combinedCounts
            progress.finish("continuing from \(initFrom): \(start.words.count) words (\(continuation.sharedWords) in the new text, "
                + "\(start.output == nil ? "output rows from zero" : "output rows from the checkpoint")), "
                + "\(continuation.addedWords) new words (min-count \(minCount))")
        } else {
            let vocabulary = try loadOrBuildVocabulary(corpus, progress: progress)
            trainer = try Word2VecTrainer(vocabulary: vocabulary, config: config)
        }
        let config = trainer.config
        let summary = try trainer.train(corpus: corpus, onProgress: { p in
            let rate = p.wordsPerSecond
            let eta = rate > 0 ? Double(p.wordsTotal - p.wordsDone) / rate : .nan
            progress.update("epoch \(p.epoch)/\(p.epochs)  \(formatFixed(p.fraction * 100, 1))%  "
                + "\(formatCount(rate)) words/s  lr \(formatFixed(p.alpha, 5))  loss \(formatFixed(p.loss, 4))  ETA \(formatDuration(eta))")
        }, afterEpoch: { (t) throws(LexisError) in
            progress.finish("epoch \(t.epochsDone)/\(config.epochs): loss \(formatFixed(t.epochLosses.last ?? 0, 4))")
            if let checkpoint { try t.saveCheckpoint(to: checkpoint) }
        })
        // The trainer is done: its input matrix is given back as the vectors are copied out.
        let vectors = try counts.map { (c) throws(LexisError) in try trainer.wordVectors(counts: c) } ?? trainer.releasingWordVectors()
        let written = format ?? VectorFormat.forPath(output)!
        if vectors.hasSubwords && written != .lexis && written != .fastText {
            progress.finish("note: \(output) holds the words' vectors only; save as .lexis or --format fasttext to keep the n-grams")
        }
        try vectors.save(to: output, format: format)
        let rate = summary.seconds > 0 ? Double(summary.words) / summary.seconds : 0
        let ngrams = config.subwordHashing.map { ", n-grams \($0.minn)-\($0.maxn) in \($0.buckets) buckets" } ?? ""
        progress.finish("trained \(config.model.rawValue)\(ngrams) on \(formatCount(Double(summary.words))) words in "
            + "\(formatFixed(summary.seconds, 1))s (\(formatCount(rate)) words/s, \(config.threads) threads"
            + (config.deterministic ? ", deterministic: \(Word2VecConfig.virtualWorkers) parts, rounds of \(trainer.roundTokens ?? 0) tokens" : "") + ", "
            + "\(KernelPath.active.displayName) kernels) -> \(output)")
        progress.warnInvalidBytes(summary.invalidBytes)
        if summary.epochsTrainedAgain > 0 {
            progress.finish("note: \(summary.epochsTrainedAgain) time(s) an epoch diverged and was trained again from its start "
                + "with rounds half as long (now \(trainer.roundTokens ?? 0) tokens); the vectors are still the same at any thread count")
        }
    }

    /// Counts every token of the corpus (the vocabulary pass), with progress and the memory limit.
    private func countCorpus(_ corpus: Corpus, tokenizer: TokenizerOptions, minCount: Int64,
                             progress: ProgressLine) throws -> (ByteStringTable, VocabularyBuilder.Report) {
        var builder = VocabularyBuilder(tokenizer: tokenizer, minCount: minCount, threads: threads)
        builder.memoryLimit = maxVocabMemory?.bytes
        let total = corpus.totalBytes
        let result = try builder.count(corpus) { event in
            switch event {
            case .progress(let bytes):
                progress.update("vocabulary: " + ProgressLine.bytesLine(done: bytes, total: total, seconds: progress.elapsed))
            case .pruned(let below, let before, let after):
                progress.finish("note: a count table reached its limit at \(before) types; dropped types seen fewer than \(below) times (\(after) left)")
            }
        }
        if let note = result.1.approximationNote { progress.finish(note) }
        return result
    }

    private func loadOrBuildVocabulary(_ corpus: Corpus, progress: ProgressLine) throws -> Vocabulary {
        var vocabulary: Vocabulary
        if let vocab {
            vocabulary = try Vocabulary.load(path: vocab)
            vocabulary = vocabulary.replacingTokenizer(try phrases.attach(toRecorded: vocabulary.tokenizer, of: vocab))
            let flags = try tokenizer.options()
            if tokenizer.isCustomized && flags != vocabulary.tokenizer.withoutPhrases {
                progress.finish("note: tokenizing as \(vocab) records (\(vocabulary.tokenizer)); tokenizer flags are ignored")
            }
            let kept = vocabulary.counts.prefix { $0 >= Int64(minCount) }.count
            if kept < vocabulary.count || (maxVocab ?? Int.max) < vocabulary.count {
                let size = min(kept, maxVocab ?? Int.max)
                vocabulary = vocabulary.truncated(to: size)
            }
        } else {
            let builder = VocabularyBuilder(tokenizer: try phrases.attach(to: tokenizer.options()), minCount: Int64(minCount),
                                            maxSize: maxVocab, threads: threads)
            let (table, report) = try countCorpus(corpus, tokenizer: builder.tokenizer, minCount: builder.minCount, progress: progress)
            vocabulary = try builder.vocabulary(from: table)
            if vocabulary.isEmpty { throw builder.emptyVocabularyError(report, corpus: self.corpus.joined(separator: " ")) }
            progress.finish("vocabulary: \(vocabulary.count) words (min-count \(minCount)), \(vocabulary.totalCount) corpus words, \(formatFixed(progress.elapsed, 2))s")
            if let saveVocab { try vocabulary.save(to: saveVocab) }
        }
        if vocabulary.isEmpty { throw LexisError.emptyVocabulary("Empty vocabulary. Try a smaller --min-count") }
        return vocabulary
    }
}

extension Word2VecConfig.Model: ExpressibleByArgument {}

enum NegativeSharing: String, ExpressibleByArgument, CaseIterable {
    case shared
    case perPair = "per-pair"
}
