// Settings of a word2vec run. Defaults follow word2vec.c and gensim.
import LexisText
import LexisVocab

public struct Word2VecConfig: Sendable, Equatable {
    public enum Model: String, Sendable, CaseIterable {
        case skipGram = "skipgram"
        case cbow
    }

    public var model: Model = .skipGram
    public var dimension = 100
    /// Largest distance between a center word and a context word; each position draws a
    /// window uniformly from 1...window, as word2vec.c does.
    public var window = 5
    /// Negative samples per positive example.
    public var negative = 5
    /// Subsampling threshold for frequent words (0 turns subsampling off).
    public var sample = 1e-3
    /// Starting learning rate; nil picks 0.025 for skip-gram and 0.05 for CBOW.
    public var alpha: Double?
    /// Final learning rate of the linear decay (gensim's `min_alpha`); nil is alpha x 1e-4.
    public var minAlpha: Double?
    public var epochs = 5
    public var threads = defaultThreadCount
    public var seed: UInt64 = 1
    /// Skip-gram: draw one set of negatives per center word and share it across the window's
    /// context words (Ji et al. 2016), or draw fresh negatives per pair as word2vec.c does.
    public var sharedNegatives = true
    /// Sentences longer than this are cut (gensim's corpus_file mode uses 10,000).
    public var maxSentenceLength = 10_000

    public init() {}

    public var startingAlpha: Double { alpha ?? (model == .skipGram ? 0.025 : 0.05) }
    /// By default the learning rate decays linearly to this fraction of the starting one.
    public static let finalAlphaFraction = 1e-4
    public var finalAlpha: Double { minAlpha ?? startingAlpha * Self.finalAlphaFraction }

    public func validate() throws(LexisError) {
        func check(_ ok: Bool, _ message: String) throws(LexisError) {
            if !ok { throw .invalidArgument(message) }
        }
        try check(dimension >= 1 && dimension <= 10_000, "--dim must be between 1 and 10000, got \(dimension)")
        try check(window >= 1, "--window must be at least 1, got \(window)")
        try check(negative >= 1 && negative <= 100, "--negative must be between 1 and 100, got \(negative)")
        try check(sample >= 0 && sample < 1, "--sample must be in [0, 1), got \(sample)")
        try check(startingAlpha > 0 && startingAlpha < 10, "--alpha must be positive, got \(startingAlpha)")
        try check(finalAlpha >= 0 && finalAlpha <= startingAlpha,
                  "--min-alpha must be between 0 and the starting alpha (\(startingAlpha)), got \(finalAlpha)")
        try check(epochs >= 1, "--epochs must be at least 1, got \(epochs)")
        try check(threads >= 1 && threads <= 1024, "--threads must be between 1 and 1024, got \(threads)")
        try check(maxSentenceLength >= 2, "sentence length must be at least 2")
    }

    /// `key=value` pairs, one line, for checkpoints.
    var settingsLine: String {
        "model=\(model.rawValue) dim=\(dimension) window=\(window) negative=\(negative) sample=\(sample) "
            + "alpha=\(startingAlpha) epochs=\(epochs) threads=\(threads) seed=\(seed) max-sentence=\(maxSentenceLength) "
            + "shared-negatives=\(sharedNegatives)" + (minAlpha.map { " min-alpha=\($0)" } ?? "")
    }

    init(settingsLine: String) throws(LexisError) {
        self.init()
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
            case "min-alpha": minAlpha = try double()
            case "epochs": epochs = try int()
            case "threads": threads = try int()
            case "seed":
                guard let v = UInt64(kv[1]) else { throw .invalidArgument("bad setting '\(pair)'") }
                seed = v
            case "max-sentence": maxSentenceLength = try int()
            case "shared-negatives": sharedNegatives = kv[1] == "true"
            default: throw .invalidArgument("unknown setting '\(kv[0])'")
            }
        }
    }
}
