// Settings of a word2vec run. Defaults follow word2vec.c and gensim.
import LexisText
import LexisVectors
import LexisVocab

/// Settings of a word2vec run (negative sampling). Defaults follow word2vec.c and gensim.
///
/// ```swift
/// var config = Word2VecConfig()
/// config.model = .cbow
/// config.dimension = 300
/// config.epochs = 10
/// try config.validate()
/// ```
public struct Word2VecConfig: Sendable, Equatable {
    /// The training objective.
    public enum Model: String, Sendable, CaseIterable {
        /// Predict each context word from the center word.
        case skipGram = "skipgram"
        /// Predict the center word from the mean of its context words.
        case cbow
    }

    /// The training objective; skip-gram by default.
    public var model: Model = .skipGram
    /// Vector size, 1 to 10,000; 100 by default.
    public var dimension = 100
    /// Largest distance between a center word and a context word; each position draws a
    /// window uniformly from 1...window, as word2vec.c does.
    public var window = 5
    /// Negative samples per positive example.
    ///
    /// 1 to 100; 5 by default.
    public var negative = 5
    /// Subsampling threshold for frequent words (0 turns subsampling off).
    ///
    /// In `[0, 1)`; 1e-3 by default. See `Vocabulary/keepProbabilities(sample:)`.
    public var sample = 1e-3
    /// Starting learning rate; nil picks 0.025 for skip-gram and 0.05 for CBOW (0.05 for both with
    /// subwords, fastText's default).
    public var alpha: Double?
    /// Final learning rate of the linear decay (gensim's `min_alpha`); nil is
    /// alpha x ``defaultFinalAlphaFraction(epochs:)``, or nearly 0 for subword models.
    public var minAlpha: Double?
    /// Passes over the corpus; 5 by default.
    public var epochs = 5
    /// Subword CBOW sums each sentence position's rows once instead of once per window (1.5x
    /// faster); tests turn it off to compare it with the window-by-window step.
    var positionSums = true
    /// Training threads, 1 to 1024; one per online core by default. Each thread trains its own
    /// byte range of the corpus; more than one thread makes runs non-deterministic (Hogwild updates)
    /// unless ``deterministic`` is on.
    public var threads = defaultThreadCount
    /// Most bytes of word ids kept in memory between epochs (4 per word of the corpus): the epochs
    /// after the first replay them instead of reading and tokenizing the text again, with the same
    /// result. A corpus too large for it is read every epoch; 0 always reads. By default 1 GiB
    /// (268M words), or an eighth of the machine's memory when that is less.
    public var wordIDMemory = Self.defaultWordIDMemory
    /// 1 GiB, or an eighth of physical memory when that is less.
    public static let defaultWordIDMemory = physicalMemoryBytes > 0 ? min(1 << 30, physicalMemoryBytes / 8) : 1 << 30
    /// Bit-identical vectors for a seed at any thread count: the corpus is cut into
    /// ``virtualWorkers`` fixed parts trained in short rounds whose updates are merged in a fixed
    /// order (see Word2VecTrainer+Deterministic.swift). Off by default: Hogwild threads are faster.
    public var deterministic = false
    /// The fixed number of corpus parts of deterministic training; more threads than this do not help.
    public static let virtualWorkers = 16
    /// Random generators a run carries: one per thread, or one per virtual worker.
    var randomStreams: Int { deterministic ? Self.virtualWorkers : threads }
    /// Seed of the vector initialization and of every thread's random generator.
    public var seed: UInt64 = 1
    /// Skip-gram: draw one set of negatives per center word and share it across the window's
    /// context words (Ji et al. 2016), or draw fresh negatives per pair as word2vec.c does.
    public var sharedNegatives = true
    /// Sentences longer than this are cut (gensim's corpus_file mode uses 10,000).
    /// Lines are sentences; a sentence is cut into pieces of at most this many words (after
    /// subsampling). At least 2.
    public var maxSentenceLength = 10_000
    /// Subwords (fastText's model): a word's vector is the mean of its own row and the rows of its
    /// character n-grams of `minn...maxn` characters, hashed into `buckets` rows as fastText does.
    /// 0 (the default) trains plain word2vec.
    public var minn = 0
    /// Longest character n-gram of a subword model; 6 by default (fastText's).
    public var maxn = 6
    /// Hash buckets for the n-grams of a subword model; 2,000,000 by default (fastText's).
    public var buckets = 2_000_000

    /// The default settings; change the properties as needed.
    public init() {}

    /// How n-grams are hashed when ``minn`` turns subwords on; nil for plain word2vec.
    public var subwordHashing: SubwordHashing? {
        minn > 0 ? try? SubwordHashing(minn: minn, maxn: maxn, buckets: buckets) : nil
    }

    /// The learning rate of the first word: ``alpha``, or the default for ``model``.
    public var startingAlpha: Double { alpha ?? (model == .skipGram && minn == 0 ? 0.025 : 0.05) }
    /// By default the learning rate decays linearly to this fraction of the starting one:
    /// 0.5 / epochs (0.5 for one epoch, 0.1 for 5, 0.025 for 20), so that short runs end higher.
    /// Chosen by quality over 3 seeds at 1, 5 and 20 epochs against word2vec.c's 1e-4 and a fixed
    /// 0.1 (BENCHMARKS.md, "the default learning-rate schedule"); word2vec.c's decay is
    /// `minAlpha = alpha x 1e-4`.
    public static func defaultFinalAlphaFraction(epochs: Int) -> Double { 0.5 / Double(max(1, epochs)) }
    /// The final fraction of checkpoints written before the default changed (they do not record
    /// their final rate).
    static let legacyFinalAlphaFraction = 1e-4
    /// Subword models decay to alpha x this, nearly 0, as fastText's: the word-level default
    /// (0.1 x alpha at 5 epochs) cost subword skip-gram 2.3 analogy points and 0.10 of WS-353
    /// (BENCHMARKS.md, round 7c).
    public static let subwordFinalAlphaFraction = 1e-4
    /// Negatives are drawn with probability proportional to count^noisePower: word2vec's 0.75, or
    /// for subword models 0.5, as fastText's table (subword skip-gram on enwiki, 3 seeds: analogy
    /// 56.25% against 55.85%, WS-353 0.637 against 0.629; BENCHMARKS.md, round 8).
    public var noisePower: Double { minn > 0 ? 0.5 : 0.75 }
    /// The learning rate of the last word: ``minAlpha``, or ``startingAlpha`` x
    /// ``defaultFinalAlphaFraction(epochs:)`` (``subwordFinalAlphaFraction`` with subwords).
    public var finalAlpha: Double {
        minAlpha ?? startingAlpha * (minn > 0 ? Self.subwordFinalAlphaFraction : Self.defaultFinalAlphaFraction(epochs: epochs))
    }

    /// Checks every setting against its allowed range.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` naming the first bad setting (as its `lexis train`
    ///   flag).
    public func validate() throws(LexisError) {
        func check(_ ok: Bool, _ message: String) throws(LexisError) {
            if !ok { throw .invalidArgument(message) }
        }
        try check(dimension >= 1 && dimension <= 10_000, "--dim must be between 1 and 10000, got \(dimension)")
        try check(window >= 1, "--window must be at least 1, got \(window)")
        try check(negative >= 1 && negative <= 100, "--negative must be between 1 and 100, got \(negative)")
        try check(sample >= 0 && sample < 1, "--sample must be in [0, 1), got \(sample)")
        try check(startingAlpha > 0 && startingAlpha < 10, "--alpha must be above 0 and below 10, got \(startingAlpha)")
        try check(finalAlpha >= 0 && finalAlpha <= startingAlpha,
                  "--min-alpha must be between 0 and the starting alpha (\(startingAlpha)), got \(finalAlpha)")
        try check(epochs >= 1, "--epochs must be at least 1, got \(epochs)")
        try check(threads >= 1 && threads <= 1024, "--threads must be between 1 and 1024, got \(threads)")
        try check(wordIDMemory >= 0, "--id-memory must be 0 or more megabytes, got \(wordIDMemory >> 20)")
        try check(maxSentenceLength >= 2, "sentence length must be at least 2")
        try check(minn >= 0, "--minn must be 0 (no subwords) or more, got \(minn)")
        if minn > 0 { _ = try SubwordHashing(minn: minn, maxn: maxn, buckets: buckets) }
    }

    /// `key=value` pairs, one line, for checkpoints.
    var settingsLine: String {
        "model=\(model.rawValue) dim=\(dimension) window=\(window) negative=\(negative) sample=\(sample) "
            + "alpha=\(startingAlpha) epochs=\(epochs) threads=\(threads) seed=\(seed) max-sentence=\(maxSentenceLength) "
            + "shared-negatives=\(sharedNegatives) min-alpha=\(finalAlpha)"
            + (deterministic ? " deterministic=true" : "")
            + (minn > 0 ? " minn=\(minn) maxn=\(maxn) buckets=\(buckets)" : "")
    }

    init(settingsLine: String) throws(LexisError) {
        self.init()
        var finalRecorded = false
        defer {
            // Written before the final rate was recorded: those runs decayed to alpha x 1e-4.
            if !finalRecorded { minAlpha = startingAlpha * Self.legacyFinalAlphaFraction }
        }
        for pair in settingsLine.split(separator: " ") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw .invalidArgument("bad setting '\(pair)'") }
            func int() throws(LexisError) -> Int {
                guard let v = Int(kv[1]) else { throw .invalidArgument("bad setting '\(pair)'") }
                return v
            }
            func double() throws(LexisError) -> Double {
                guard let v = Double(kv[1]) else { throw .invalidArgument("bad setting '\(pair)'") }
                return v
            }
            switch kv[0] {
            case "model":
                guard let m = Model(rawValue: kv[1]) else { throw .invalidArgument("unknown model '\(kv[1])'") }
                model = m
            case "dim": dimension = try int()
            case "window": window = try int()
            case "negative": negative = try int()
            case "sample": sample = try double()
            case "alpha": alpha = try double()
            case "min-alpha":
                minAlpha = try double()
                finalRecorded = true
            case "epochs": epochs = try int()
            case "threads": threads = try int()
            case "seed":
                guard let v = UInt64(kv[1]) else { throw .invalidArgument("bad setting '\(pair)'") }
                seed = v
            case "max-sentence": maxSentenceLength = try int()
            case "shared-negatives": sharedNegatives = kv[1] == "true"
            case "deterministic": deterministic = kv[1] == "true"
            case "minn": minn = try int()
            case "maxn": maxn = try int()
            case "buckets": buckets = try int()
            default: throw .invalidArgument("unknown setting '\(kv[0])'")
            }
        }
    }
}
