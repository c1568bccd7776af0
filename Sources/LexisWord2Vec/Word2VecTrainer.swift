// Trains word2vec (skip-gram or CBOW with negative sampling) with lock-free Hogwild threads.
// Each thread streams its own byte range of the corpus (memory stays bounded by vocabulary x
// dimension, whatever the corpus size), tokenizes it with the vocabulary's tokenizer settings,
// keeps the word ids for the next epochs when they fit (WordIDReader.swift), subsamples frequent
// words and trains sentence by sentence.
import Dispatch
import LexisText
import LexisVectors
import LexisVocab
import CKernels

/// A snapshot of a run, passed to the `onProgress` closure of
/// ``Word2VecTrainer/train(corpus:onProgress:afterEpoch:)``.
public struct Word2VecProgress: Sendable {
    /// The epoch being trained, 1-based.
    public var epoch: Int  // 1-based
    /// Epochs of the whole run.
    public var epochs: Int
    /// In-vocabulary corpus words read so far over all epochs (before subsampling), all threads.
    public var wordsDone: Int
    /// Words the whole run will read (vocabulary total x epochs).
    public var wordsTotal: Int
    /// The current learning rate.
    public var alpha: Double
    /// Average loss per example of the epoch so far.
    public var loss: Double
    /// Seconds since this `train` call started.
    public var seconds: Double
    /// Words read per second since this `train` call started.
    public var wordsPerSecond: Double
    /// ``wordsDone`` / ``wordsTotal``, in `0...1`.
    public var fraction: Double { wordsTotal > 0 ? min(1, Double(wordsDone) / Double(wordsTotal)) : 0 }
}

/// What a call to ``Word2VecTrainer/train(corpus:onProgress:afterEpoch:)`` did.
public struct Word2VecSummary: Sendable {
    /// In-vocabulary words read by this call, over all its epochs (before subsampling).
    public var words: Int
    /// Wall-clock seconds of this call.
    public var seconds: Double
    /// Average loss per example of each finished epoch of the run, including epochs finished before
    /// a resume.
    public var epochLosses: [Double]
    /// Invalid UTF-8 bytes replaced by U+FFFD, summed over the epochs that read the text (a bad
    /// byte counts once per such epoch; epochs that replay kept word ids read no text).
    public var invalidBytes: Int
    /// Bytes of word ids kept in memory for the epochs after the first (0 when every epoch read
    /// the text: one epoch left, ``Word2VecConfig/wordIDMemory`` 0 or too small).
    public var wordIDBytes: Int
    /// Deterministic training: epochs of this call that diverged and were trained again from
    /// their start with rounds half as long (``Word2VecTrainer/roundTokens`` gives the length now).
    public var epochsTrainedAgain: Int = 0
}

/// Trains word vectors with word2vec (skip-gram or CBOW, negative sampling) on lock-free
/// (Hogwild) threads.
///
/// Each thread streams its own byte range of the corpus, so memory stays bounded by vocabulary
/// size x dimension whatever the corpus size; the word ids of a range are kept for the next epochs
/// when they fit in ``Word2VecConfig/wordIDMemory`` (4 bytes per word; 1 GiB by default). Text is tokenized with the vocabulary's
/// `Vocabulary/tokenizer` settings; tokens not in the vocabulary are skipped. The learning rate
/// decays linearly over the whole run, as in word2vec.c.
///
/// ```swift
/// let corpus = try Corpus(paths: ["corpus.txt"])
/// let (vocabulary, _) = try VocabularyBuilder().build(corpus)
/// let trainer = try Word2VecTrainer(vocabulary: vocabulary, config: Word2VecConfig())
/// let summary = try trainer.train(corpus: corpus) { progress in
///     print(progress.epoch, progress.fraction, progress.loss)
/// }
/// let vectors = try trainer.wordVectors()
/// ```
public final class Word2VecTrainer: @unchecked Sendable {  // threads share the matrices on purpose
    /// The words being trained; row `i` of the matrices belongs to word id `i`.
    public let vocabulary: Vocabulary
    /// The run's settings.
    public let config: Word2VecConfig
    /// The word vectors (word2vec.c's `syn0`): the result of training. With subwords, fastText's
    /// input matrix: the word rows, then one row per n-gram bucket.
    public let input: EmbeddingMatrix
    /// The context vectors of negative sampling (word2vec.c's `syn1neg`).
    public let output: EmbeddingMatrix
    /// Epochs finished so far (a resumed run starts later).
    public internal(set) var epochsDone = 0
    /// Whether ``releasingWordVectors()`` gave the input matrix back (it reads as zero since).
    public private(set) var inputReleased = false
    /// Words read in finished epochs, for the learning-rate schedule.
    public internal(set) var wordsDone = 0
    /// Per-thread random generator states, carried across epochs and checkpoints.
    var randomStates: [RandomGenerator]
    /// Average loss per example of each finished epoch.
    public internal(set) var epochLosses: [Double] = []
    /// Deterministic training: kept tokens per virtual worker and round, once chosen (halved
    /// when an epoch diverges; kept in checkpoints).
    public internal(set) var roundTokens: Int?

    /// Subsampling keep-probability per word id.
    let keepProbabilities: UnsafeMutablePointer<Float>
    let noise: AliasSampler
    /// Each word's input rows when training subwords (`config.minn > 0`).
    let subwords: SubwordTable?

    /// Creates a trainer with initialized matrices: input rows uniform in `[-2, 2) / dimension`
    /// (4x word2vec.c's range: better vectors, see below), output rows zero, as word2vec.c's. With
    /// subwords (`config.minn > 0`) the input matrix has `config.buckets` n-gram rows after the word
    /// rows, and its rows are uniform in `[-1, 1) / dimension`, as fastText's (a word's vector is the
    /// mean of ~15 rows).
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when `config` does not validate,
    ///   `LexisError/emptyVocabulary(_:)` when `vocabulary` is empty.
    public init(vocabulary: Vocabulary, config: Word2VecConfig) throws(LexisError) {
        try config.validate()
        guard !vocabulary.isEmpty else {
            throw .emptyVocabulary("Empty vocabulary. Try a smaller --min-count")
        }
        self.vocabulary = vocabulary
        self.config = config
        let hashing = config.subwordHashing
        subwords = hashing.map { SubwordTable(vocabulary: vocabulary, hashing: $0) }
        input = EmbeddingMatrix(rows: vocabulary.count + (hashing?.buckets ?? 0), dimension: config.dimension)
        output = EmbeddingMatrix(rows: vocabulary.count, dimension: config.dimension)
        // Word rows 4x as wide as word2vec.c's [-0.5, 0.5) / dim: on enwiki, 5 epochs, CBOW's
        // analogy rose from 36.46 to 37.25 (9 seeds), 1-epoch CBOW from 11.3 to 13.9, skip-gram's
        // did not fall (BENCHMARKS.md round 12). Subword rows keep fastText's width, twice
        // word2vec.c's (subword skip-gram, 3 seeds: 55.85% against 55.11%; round 8).
        var init0 = RandomGenerator(seed: config.seed ^ 0x5EED_0F_1A7E)
        let scale = (hashing == nil ? Self.wordRowInitWidth : Self.subwordRowInitWidth) / Float(config.dimension)
        for r in 0..<input.rows {
            let row = input.row(r)
            for c in 0..<config.dimension { row[c] = (init0.nextFloat() - 0.5) * scale }
        }
        randomStates = (0..<config.randomStreams).map { RandomGenerator(seed: config.seed &+ UInt64($0) &* 0x9E37_79B9) }
        let keep = vocabulary.keepProbabilities(sample: config.sample)
        keepProbabilities = .allocate(capacity: keep.count)
        keepProbabilities.initialize(from: keep, count: keep.count)
        noise = vocabulary.noiseDistribution(power: config.noisePower)
    }

    deinit { keepProbabilities.deallocate() }

    /// Widths of the uniform ranges new input rows start in, times 1 / dimension: word models',
    /// and subword models' (fastText's; every row of theirs, words' and n-grams').
    static let wordRowInitWidth: Float = 4
    static let subwordRowInitWidth: Float = 2

    /// The words each epoch reads (before subsampling), as word2vec.c counts them.
    public var wordsPerEpoch: Int { Int(vocabulary.totalCount) }

    /// Learning rate after `words` words of the whole run.
    func alpha(after words: Int) -> Float {
        let total = Double(config.epochs) * Double(max(wordsPerEpoch, 1)) + 1
        let start = config.startingAlpha, final = config.finalAlpha
        return Float(max(final, start - (start - final) * Double(words) / total))
    }

    /// The word ids each of `parts` corpus parts may keep for the next epochs: none when one
    /// epoch is left.
    func keptIDsPerPart(_ parts: Int) -> Int {
        config.epochs - epochsDone > 1 ? config.wordIDMemory / MemoryLayout<Int32>.size / max(parts, 1) : 0
    }

    /// Trains the remaining epochs (all of them for a new trainer).
    ///
    /// A corpus that cannot seek (stdin) is trained by one thread and for one epoch only. Returns at
    /// once when every epoch is done.
    ///
    /// - Parameters:
    ///   - corpus: The text to train on, normally the one the vocabulary was built from.
    ///   - onProgress: Called from one worker thread every 10,000 words that thread reads.
    ///   - afterEpoch: Called on the calling thread after each epoch, for example to
    ///     ``saveCheckpoint(to:)``; an error it throws stops training.
    /// - Returns: What this call did.
    /// - Throws: `LexisError/invalidArgument(_:)` for more than one epoch from stdin,
    ///   `LexisError/emptyVocabulary(_:)` when an epoch finds no vocabulary word in the corpus,
    ///   `LexisError/cannotRead(path:reason:)`, or what `afterEpoch` throws.
    public func train(corpus: Corpus, onProgress: (@Sendable (Word2VecProgress) -> Void)? = nil,
                      afterEpoch: ((Word2VecTrainer) throws(LexisError) -> Void)? = nil) throws(LexisError) -> Word2VecSummary {
        if let releasedInputError { throw releasedInputError }
        if config.deterministic { return try trainDeterministic(corpus: corpus, onProgress: onProgress, afterEpoch: afterEpoch) }
        let threads = corpus.isSeekable ? config.threads : 1
        if !corpus.isSeekable && config.epochs - epochsDone > 1 {
            throw .invalidArgument("stdin can be read only once: train from a file for more than one epoch")
        }
        let ranges = try corpus.ranges(threads)
        let workers = try (0..<ranges.count).map { (t) throws(LexisError) in
            try Word2VecWorker(trainer: self, corpus: corpus, range: ranges[t], random: randomStates[t],
                               keepingIDs: keptIDsPerPart(ranges.count))
        }
        let started = monotonicSeconds()
        let shared = SharedProgress(count: workers.count)
        let losses = SharedSlots<Double>(count: workers.count * 2)
        let startWords = wordsDone
        @Sendable func averageLoss() -> Double {
            var loss = 0.0, examples = 0.0
            for k in 0..<workers.count { loss += losses.value(2 * k); examples += losses.value(2 * k + 1) }
            return examples > 0 ? loss / examples : 0
        }
        while epochsDone < config.epochs {
            let epoch = epochsDone
            let base = wordsDone
            for t in 0..<workers.count { shared.set(t, 0); losses.set(2 * t, 0); losses.set(2 * t + 1, 0) }
            let results = ThreadResults<Int>(count: workers.count)
            DispatchQueue.concurrentPerform(iterations: workers.count) { t in
                do {
                    let words = try workers[t].runEpoch(baseWords: base, shared: shared, losses: losses, index: t) { alpha in
                        guard t == 0, let onProgress else { return }
                        let seconds = monotonicSeconds() - started
                        let done = base + shared.total
                        onProgress(Word2VecProgress(
                            epoch: epoch + 1, epochs: self.config.epochs, wordsDone: done,
                            wordsTotal: self.wordsPerEpoch * self.config.epochs, alpha: Double(alpha),
                            loss: averageLoss(), seconds: seconds,
                            wordsPerSecond: seconds > 0 ? Double(done - startWords) / seconds : 0))
                    }
                    results.set(t, .success(words))
                } catch {
                    results.set(t, .failure(error))
                }
            }
            var epochWords = 0
            for t in 0..<workers.count { epochWords += try results.get(t) }
            if epochWords == 0 {
                throw .emptyVocabulary("the corpus has no word of the vocabulary: check that --vocab was built from this corpus with the same tokenizer")
            }
            // Checked before the epoch counts (and before a checkpoint is written from it).
            guard averageLoss().isFinite else {
                throw .diverged("training diverged in epoch \(epoch + 1): the loss is \(averageLoss()). Lower the learning rate "
                    + "(--alpha, now \(config.startingAlpha)); nothing was written from this epoch")
            }
            wordsDone += epochWords
            epochsDone += 1
            epochLosses.append(averageLoss())
            for t in 0..<workers.count { randomStates[t] = workers[t].random }
            try afterEpoch?(self)
        }
        let invalidBytes = workers.reduce(0) { $0 + $1.reader.invalidBytes }
        return Word2VecSummary(words: wordsDone - startWords, seconds: monotonicSeconds() - started,
                               epochLosses: epochLosses, invalidBytes: invalidBytes,
                               wordIDBytes: workers.reduce(0) { $0 + $1.words.keptBytes })
    }

    /// The trained input vectors with the vocabulary's words, counts and tokenizer settings.
    ///
    /// Copies the vectors; call it again after further training.
    /// With subwords the vectors keep the n-gram rows (`WordVectors.subwords`), and each word's
    /// vector is its row and its n-grams' rows averaged, as fastText's get_word_vector gives it.
    public func wordVectors() throws(LexisError) -> WordVectors {
        if let hashing = config.subwordHashing {
            let model = try SubwordModel(hashing: hashing, dimension: config.dimension, wordCount: vocabulary.count,
                                         copyingRows: { UnsafePointer(input.row($0)) })
            return try WordVectors(words: vocabulary.tokens, subwords: model, counts: vocabulary.counts, tokenizer: vocabulary.tokenizer)
        }
        return try WordVectors(words: vocabulary.tokens, dimension: config.dimension, vectors: input.unpadded(),
                               counts: vocabulary.counts, tokenizer: vocabulary.tokenizer)
    }

    /// The trained input vectors, as ``wordVectors()`` gives them, with the trainer's input matrix
    /// given back to the system row block by row block as it is copied: the peak memory is one
    /// matrix instead of two (a 2M-bucket subword model: 0.9 GB instead of 1.7 GB). The trainer
    /// cannot train or save a checkpoint afterwards.
    public func releasingWordVectors() throws(LexisError) -> WordVectors {
        guard let hashing = config.subwordHashing else { return try wordVectors() }
        defer { inputReleased = true }
        let model = try SubwordModel(hashing: hashing, dimension: config.dimension, wordCount: vocabulary.count,
                                     copyingRows: { UnsafePointer(self.input.row($0)) }, copied: { self.input.discardRows(below: $0) })
        return try WordVectors(words: vocabulary.tokens, subwords: model, counts: vocabulary.counts, tokenizer: vocabulary.tokenizer)
    }

    /// The error for training or saving after ``releasingWordVectors()``, or nil.
    var releasedInputError: LexisError? {
        inputReleased ? .invalidArgument("the trainer's input matrix was released by releasingWordVectors(); train a new trainer, or call wordVectors() instead") : nil
    }
}

/// One training thread: its corpus range, tokenizer, random generator and scratch buffers.
final class Word2VecWorker: @unchecked Sendable {  // each worker is used by one thread at a time
    let trainer: Word2VecTrainer
    /// The range as word ids: read from the text, or replayed from memory after the first epoch.
    let words: WordIDReader
    var reader: CorpusReader { words.reader }
    @exclusivity(unchecked) var random: RandomGenerator
    let buffers: WorkerBuffers

    init(trainer: Word2VecTrainer, corpus: Corpus, range: CorpusRange, random: RandomGenerator,
         keepingIDs limit: Int) throws(LexisError) {
        self.trainer = trainer
        words = WordIDReader(reader: try CorpusReader(corpus: corpus, range: range), tokenizer: try Tokenizer(options: trainer.vocabulary.tokenizer),
                             vocabulary: trainer.vocabulary, limit: limit)
        self.random = random
        buffers = WorkerBuffers(config: trainer.config, stride: trainer.input.stride,
                                maximumRows: trainer.subwords?.maximumRows ?? 1)
    }

    /// Reads the whole range once, training as it goes. Returns in-vocabulary words read.
    func runEpoch(baseWords: Int, shared: SharedProgress, losses: SharedSlots<Double>, index: Int,
                  report: (Float) -> Void) throws(LexisError) -> Int {
        try words.rewind()
        // All per-token state lives in one struct: vars captured by local functions get run-time
        // exclusivity checks on every access (measured: 16% of CBOW).
        var loop = EpochLoop(worker: self, alpha: trainer.alpha(after: baseWords))
        var lastReport = 0
        while let segment = try words.next() {
            loop.train(segment.ids, endsLine: segment.endsLine)
            if loop.words - lastReport >= 10_000 {
                lastReport = loop.words
                shared.set(index, loop.words)
                losses.set(2 * index, loop.loss)
                losses.set(2 * index + 1, loop.examples)
                loop.alpha = trainer.alpha(after: baseWords + shared.total)
                report(loop.alpha)
            }
        }
        loop.trainSentence()
        shared.set(index, loop.words)
        losses.set(2 * index, loop.loss)
        losses.set(2 * index + 1, loop.examples)
        random = loop.rng
        return loop.words
    }
}

/// A worker's buffers, allocated once (the training loop allocates nothing).
final class WorkerBuffers {
    let scratch: Word2VecScratch
    let sentence: UnsafeMutablePointer<Int32>
    let contexts: UnsafeMutablePointer<Int32>
    let targets: UnsafeMutablePointer<Int32>
    /// Negatives for the current and the next center word (per-pair skip-gram draws its own).
    let drawn: UnsafeMutablePointer<Int32>
    let upcoming: UnsafeMutablePointer<Int32>
    /// Subwords: the input rows of a CBOW window (every context word's rows).
    let pooled: UnsafeMutablePointer<Int32>
    /// CBOW: a ring of `2 * window + 2` sentence positions, each with the sum of its word's input
    /// rows and the gradient its rows still have to receive (`stride` floats each), and the word's
    /// row count; `hiddenRow` holds the window's mean for the kernel.
    let windowSums: UnsafeMutablePointer<Float>
    let windowPending: UnsafeMutablePointer<Float>
    let windowRowCounts: UnsafeMutablePointer<Int>
    let hiddenRow: UnsafeMutablePointer<Float>

    init(config: Word2VecConfig, stride: Int, maximumRows: Int) {
        scratch = Word2VecScratch(stride: stride, maxContexts: 2 * config.window, maxTargets: config.negative + 1)
        sentence = .allocate(capacity: config.maxSentenceLength)
        contexts = .allocate(capacity: 2 * config.window)
        // Subword skip-gram predicts the whole window at once: its context words, then the negatives.
        targets = .allocate(capacity: 2 * config.window * (config.negative + 1) + 1)
        pooled = .allocate(capacity: 2 * config.window * maximumRows)
        // Subword skip-gram draws negatives for each context word of the window.
        drawn = .allocate(capacity: config.negative * 2 * config.window)
        upcoming = .allocate(capacity: config.negative * 2 * config.window)
        let ring = 2 * config.window + 2
        windowSums = .allocate(capacity: ring * stride)
        windowPending = .allocate(capacity: ring * stride)
        windowRowCounts = .allocate(capacity: ring)
        hiddenRow = .allocate(capacity: stride)
        windowSums.initialize(repeating: 0, count: ring * stride)
        windowPending.initialize(repeating: 0, count: ring * stride)
        windowRowCounts.initialize(repeating: 0, count: ring)
        hiddenRow.initialize(repeating: 0, count: stride)
    }

    deinit {
        sentence.deallocate()
        contexts.deallocate()
        targets.deallocate()
        drawn.deallocate()
        upcoming.deallocate()
        pooled.deallocate()
        windowSums.deallocate()
        windowPending.deallocate()
        windowRowCounts.deallocate()
        hiddenRow.deallocate()
    }
}

/// One worker's epoch: the sentence being collected and what training it needs.
struct EpochLoop {
    let skipGram: Bool
    let sharedNegatives: Bool
    let window: Int
    let negative: Int
    let input: EmbeddingMatrix
    let output: EmbeddingMatrix
    let table: SigmoidTable
    let noise: AliasSampler
    let rowBytes: Int
    let sentence: UnsafeMutablePointer<Int32>
    let contexts: UnsafeMutablePointer<Int32>
    let targets: UnsafeMutablePointer<Int32>
    let drawn: UnsafeMutablePointer<Int32>
    let upcoming: UnsafeMutablePointer<Int32>
    let scratch: Word2VecScratch
    let subwords: SubwordTable?
    let pooled: UnsafeMutablePointer<Int32>
    let buffers: WorkerBuffers
    /// Subword CBOW sums each sentence position's rows once (``trainCBOWSentence()``).
    let positionSums: Bool
    let vocabulary: Vocabulary
    let keepProbabilities: UnsafeMutablePointer<Float>
    let maxLength: Int
    /// Deterministic training: the private copies the kernels update instead of the shared rows
    /// (unretained: the virtual worker owns them; retaining per kernel call cost 6%).
    var privateRows: Unmanaged<PrivateRows>?
    /// Deterministic training: the running thread's maps from shared rows to private copies
    /// (``RowMap``), whose entries the draw ahead prefetches with the rows.
    var rowMaps: (input: UnsafeMutablePointer<Int32>, output: UnsafeMutablePointer<Int32>)?
    /// Subword skip-gram: `negative` negatives per context word of the window, drawn ahead.
    let negativesPerContext: Bool
    /// How many negatives `upcoming` holds.
    var upcomingCount = 0
    /// The window reach drawn for the next center.
    var nextReach = 0
    var rng: RandomGenerator
    var alpha: Float
    var loss = 0.0
    var examples = 0.0
    var words = 0
    var length = 0

    init(worker: Word2VecWorker, alpha: Float) {
        let config = worker.trainer.config
        skipGram = config.model == .skipGram
        sharedNegatives = config.sharedNegatives
        window = config.window
        negative = config.negative
        input = worker.trainer.input
        output = worker.trainer.output
        table = SigmoidTable.shared
        noise = worker.trainer.noise
        rowBytes = input.stride * MemoryLayout<Float>.size
        let b = worker.buffers
        (sentence, contexts, targets, drawn, upcoming, scratch) = (b.sentence, b.contexts, b.targets, b.drawn, b.upcoming, b.scratch)
        subwords = worker.trainer.subwords
        pooled = b.pooled
        buffers = b
        positionSums = config.positionSums
        negativesPerContext = subwords != nil && skipGram
        rng = worker.random
        self.alpha = alpha
        vocabulary = worker.trainer.vocabulary
        keepProbabilities = worker.trainer.keepProbabilities
        maxLength = config.maxSentenceLength
    }

    /// Subsamples one segment's words and trains each sentence as it fills or the line ends.
    mutating func train(_ ids: UnsafeBufferPointer<Int32>, endsLine: Bool) {
        for id in ids where kept(id) {
            sentence[length] = id
            length &+= 1
            if length == maxLength { trainSentence() }
        }
        if endsLine { trainSentence() }
    }

    /// Deterministic training: the kept (subsampled) ids of one segment, appended to `queue`.
    mutating func collect(_ ids: UnsafeBufferPointer<Int32>, into queue: TokenQueue) {
        for id in ids where kept(id) { queue.append(id) }
    }

    /// Whether subsampling keeps word `id` (counted as read).
    @inline(__always)
    mutating func kept(_ id: Int32) -> Bool {
        words &+= 1
        let p = keepProbabilities[Int(id)]
        return !(p < 1 && p < rng.nextFloat())
    }

    /// Deterministic training: appends `count` kept ids to the sentence (which has room for them).
    mutating func append(_ ids: UnsafePointer<Int32>, _ count: Int) {
        (sentence + length).update(from: ids, count: count)
        length &+= count
    }

    /// The matrices and row ids a kernel call works on: the shared ones (Hogwild), or, in
    /// deterministic training, the worker's private copies of those rows.
    @inline(__always)
    func rows(inputs: UnsafePointer<Int32>, _ inputCount: Int, outputs: UnsafePointer<Int32>, _ outputCount: Int)
        -> (matrices: KernelRows, inputs: UnsafePointer<Int32>, outputs: UnsafePointer<Int32>) {
        guard let privateRows else { return (KernelRows(input, output), inputs, outputs) }
        return privateRows._withUnsafeGuaranteedRef { $0.resolve(inputs: inputs, inputCount, outputs: outputs, outputCount) }
    }

    /// Trains on the collected sentence and empties it.
    mutating func trainSentence() {
        trainCenters(0, length)
        length = 0
    }

    /// Trains the centers `start..<end` of the collected sentence (windows see the whole
    /// sentence). Deterministic training trains a sentence in pieces, one per round; the window
    /// and negatives of center `end` are then already drawn, as one piece would have drawn them.
    mutating func trainCenters(_ start: Int, _ end: Int) {
        // Subword CBOW reads and writes each context word's rows once per sentence position
        // (word-level CBOW reads one row per word: the ring costs more than it saves there).
        if !skipGram && subwords != nil && positionSums && privateRows == nil && start == 0 && end == length {
            trainCBOWSentence()
            return
        }
        if subwords != nil {
            if !skipGram {
                forEachWindow(start, end, drawingNegatives: true) { $0.trainSubwordCBOW(center: $1, contextCount: $2) }
            } else if sharedNegatives {
                forEachWindow(start, end, drawingNegatives: true) { $0.trainSubwordSkipGram(center: $1, contextCount: $2) }
            } else {
                forEachWindow(start, end, drawingNegatives: false) { $0.trainSubwordPairs(center: $1, contextCount: $2) }
            }
        } else if !skipGram {
            forEachWindow(start, end, drawingNegatives: true) { $0.trainCBOW(center: $1, contextCount: $2) }
        } else if sharedNegatives {
            forEachWindow(start, end, drawingNegatives: true) { $0.trainSkipGram(center: $1, contextCount: $2) }
        } else {
            // Per-pair mode draws its own negatives per pair: none are drawn per center.
            forEachWindow(start, end, drawingNegatives: false) { $0.trainPairs(center: $1, contextCount: $2) }
        }
    }

    /// Calls `train` for each center `start..<end` of the sentence that has a context word, with
    /// the window's words in `contexts[0..<contextCount]` and, when `drawingNegatives`, the center's
    /// negatives in `drawn`. Each window (and its negatives) is drawn one center ahead, so that their
    /// rows can be prefetched while the current center trains: the loop is bound by memory latency.
    /// The draw for `end` is kept in `nextReach` (and `upcoming`) for a piece starting there.
    @inline(__always)
    mutating func forEachWindow(_ start: Int, _ stop: Int, drawingNegatives: Bool,
                                _ train: (inout EpochLoop, _ center: Int32, _ contextCount: Int) -> Void) {
        let n = length
        if start == 0 { nextReach = n > 0 ? drawAhead(0, n, drawingNegatives: drawingNegatives) : 0 }
        for i in start..<stop {
            let reach = nextReach
            if drawingNegatives { for k in 0..<upcomingCount { drawn[k] = upcoming[k] } }
            if i + 1 < n { nextReach = drawAhead(i + 1, n, drawingNegatives: drawingNegatives) }
            var b = 0
            var j = max(0, i - reach)
            let end = min(n - 1, i + reach)
            while j <= end {
                if j != i { contexts[b] = sentence[j]; b &+= 1 }
                j &+= 1
            }
            if b > 0 { train(&self, sentence[i], b) }
        }
    }

    /// Draws the window reach (and, when `drawingNegatives`, the negatives into `upcoming`) of the
    /// center at `position` and prefetches the rows it will touch: the negatives' and the center's
    /// output rows and the input row of the word entering the window.
    @inline(__always)
    mutating func drawAhead(_ position: Int, _ n: Int, drawingNegatives: Bool) -> Int {
        let reach = window - rng.next(below: window)
        if drawingNegatives {
            var count = negative
            if negativesPerContext { count = negative * (min(n - 1, position + reach) - max(0, position - reach)) }
            for k in 0..<count {
                let w = noise.sample(rng.next())
                upcoming[k] = w
                lexis_prefetch(output.row(Int(w)), rowBytes)
                if let rowMaps { lexis_prefetch(rowMaps.output + Int(w), 4) }
            }
            upcomingCount = count
            // The center after: its draws made on a copy of the generator (the real one makes
            // them again then, so the stream and the vectors are unchanged), and their noise-table
            // entries asked for now, so that the next draw finds them cached. Where that center
            // does not exist (the sentence ends), the lines asked for are only wasted.
            var peek = rng
            _ = peek.next()  // its window reach
            for _ in 0..<negative { lexis_prefetch(noise.entryAddress(peek.next()), 8) }
        }
        lexis_prefetch(output.row(Int(sentence[position])), rowBytes)
        let entering = position + reach
        if let rowMaps {
            lexis_prefetch(rowMaps.output + Int(sentence[position]), 4)
            if entering < n && subwords == nil { lexis_prefetch(rowMaps.input + Int(sentence[entering]), 4) }
        }
        if let subwords {
            // Subword skip-gram reads the center's rows; CBOW the rows of the words of the window.
            let word = skipGram ? sentence[position] : (entering < n ? sentence[entering] : -1)
            if word >= 0 {
                for k in subwords.start(word)..<subwords.end(word) { lexis_prefetch(input.row(Int(subwords.rows[k])), rowBytes) }
            }
        } else if entering < n {
            lexis_prefetch(input.row(Int(sentence[entering])), rowBytes)
        }
        return reach
    }

    /// CBOW over the whole sentence with each position's input rows read once and written once:
    /// a position's rows are summed when it first enters a window and kept in a ring; every center
    /// averages its window's sums, and the gradient each context position receives is added to its
    /// sum at once (so the next windows see it, as the rows would) and to its rows when it leaves
    /// the last window that can hold it. A word of ~15 subword rows sits in ~6 windows: its rows
    /// are read and written once instead of 6 times. The difference to updating the rows at once:
    /// a row that two positions of one window share (a repeated word, a common n-gram) gets the
    /// other position's change late, by at most two windows' span, as another Hogwild thread's.
    mutating func trainCBOWSentence() {
        let n = length
        guard n > 0 else { return }
        let stride = input.stride, ring = 2 * window + 2
        let sums = buffers.windowSums, pending = buffers.windowPending, counts = buffers.windowRowCounts
        let hidden = buffers.hiddenRow, gradient = scratch.inputGradients
        var zero: Int32 = 0
        let kernelRows = KernelRows(input: hidden, output: output.base, stride: stride)
        // Plain pointers in the loop: no class is touched (and retained) per row. The sums run
        // on the dispatched C kernels (AVX-512 here; Swift's SIMD compiles to the portable baseline).
        let subwordTable = subwords!, offsets = subwordTable.offsets, rowList = subwordTable.rows
        let base = input.base, sentence = self.sentence
        var low = 0, high = 0   // positions low..<high are in the ring
        func load(_ p: Int) {
            let slot = p % ring, word = Int(sentence[p])
            let sum = sums + slot * stride
            sum.update(repeating: 0, count: stride)
            (pending + slot * stride).update(repeating: 0, count: stride)
            let first = Int(offsets[word]), last = Int(offsets[word + 1])
            for k in first..<last { lexis_kernels.axpy(1, base + Int(rowList[k]) * stride, sum, stride) }
            counts[slot] = last - first
        }
        func flush(_ p: Int) {
            let change = pending + (p % ring) * stride, word = Int(sentence[p])
            for k in Int(offsets[word])..<Int(offsets[word + 1]) { lexis_kernels.axpy(1, change, base + Int(rowList[k]) * stride, stride) }
        }
        nextReach = drawAhead(0, n, drawingNegatives: true)
        for i in 0..<n {
            let reach = nextReach
            for k in 0..<upcomingCount { drawn[k] = upcoming[k] }
            if i + 1 < n { nextReach = drawAhead(i + 1, n, drawingNegatives: true) }
            // No center from i on reaches back past i - window: those positions are done.
            while low < i - window { flush(low); low &+= 1 }
            let from = max(0, i - reach), to = min(n - 1, i + reach)
            while high <= to { load(high); high &+= 1 }
            hidden.update(repeating: 0, count: stride)
            var rows = 0
            for p in from...to where p != i {
                lexis_kernels.axpy(1, sums + (p % ring) * stride, hidden, stride)
                rows &+= counts[p % ring]
            }
            guard rows > 0 else { continue }
            lexis_kernels.scale(hidden, stride, 1 / Float(rows))
            let t = sharedTargets(center: sentence[i])
            // The kernel's CBOW step over one "row", the window's mean: it leaves the gradient of
            // the mean in `gradient` (and adds it to `hidden`, which is not used again).
            loss += Word2VecKernels.cbow(contexts: &zero, contextCount: 1, targets: targets, targetCount: t,
                                         rows: kernelRows, alpha: alpha, scratch: scratch, table: table)
            examples += 1
            for p in from...to where p != i {
                let slot = p % ring
                lexis_kernels.axpy(Float(counts[slot]), gradient, sums + slot * stride, stride)
                lexis_kernels.axpy(1, gradient, pending + slot * stride, stride)
            }
        }
        while low < high { flush(low); low &+= 1 }
    }

    /// `targets`: the center, then its drawn negatives that are not the center. Returns the count.
    @inline(__always)
    func sharedTargets(center: Int32) -> Int {
        targets[0] = center
        var t = 1
        for k in 0..<negative where drawn[k] != center {
            targets[t] = drawn[k]
            t &+= 1
        }
        return t
    }

    /// Skip-gram with one draw of negatives shared by all the window's context words (Ji et al.
    /// 2016; Word2VecKernels.swift says why).
    mutating func trainSkipGram(center: Int32, contextCount b: Int) {
        let t = sharedTargets(center: center)
        let m = rows(inputs: contexts, b, outputs: targets, t)
        loss += Word2VecKernels.skipGram(contexts: m.inputs, contextCount: b, targets: m.outputs, targetCount: t,
                                         rows: m.matrices, alpha: alpha, scratch: scratch, table: table)
        examples += Double(b)
    }

    /// CBOW: the mean of the window's context words predicts the center.
    mutating func trainCBOW(center: Int32, contextCount b: Int) {
        let t = sharedTargets(center: center)
        if let privateRows {
            // Pointers only into the closure: capturing the scratch object retained it per call.
            let (contexts, targets, alpha) = (contexts, targets, alpha)
            let (hidden, gradient, scales, kernelTable) = (scratch.hidden, scratch.inputGradients, scratch.g, table.kernelTable)
            loss += privateRows._withUnsafeGuaranteedRef {
                $0.trainCBOW(contexts: contexts, b, targets: targets, t, alpha: alpha, hidden: hidden, gradient: gradient,
                             scales: scales, table: kernelTable)
            }
            examples += 1
            return
        }
        let m = rows(inputs: contexts, b, outputs: targets, t)
        loss += Word2VecKernels.cbow(contexts: m.inputs, contextCount: b, targets: m.outputs, targetCount: t,
                                     rows: m.matrices, alpha: alpha, scratch: scratch, table: table)
        examples += 1
    }

    /// word2vec.c's skip-gram: fresh negatives for every (context, center) pair.
    mutating func trainPairs(center: Int32, contextCount b: Int) {
        targets[0] = center
        for c in 0..<b {
            var t = 1
            for _ in 0..<negative {
                let w = noise.sample(rng.next())
                if w != center { targets[t] = w; t &+= 1 }
            }
            let m = rows(inputs: contexts + c, 1, outputs: targets, t)
            loss += Word2VecKernels.skipGramPair(context: m.inputs[0], targets: m.outputs, targetCount: t,
                                                 rows: m.matrices, alpha: alpha, scratch: scratch, table: table)
        }
        examples += Double(b)
    }

    // MARK: Subwords (fastText's model)

    /// Subword skip-gram, fastText's direction: the center's rows (its own and its n-grams') predict
    /// all the window's context words in one step, each context word with its own negatives (drawn
    /// ahead, a negative equal to its context word left out, as fastText does), all scored against
    /// the one mean of the center's rows: the pairs of fastText's window, with the center's rows
    /// read and written once per window instead of once per pair.
    mutating func trainSubwordSkipGram(center: Int32, contextCount b: Int) {
        guard let subwords else { return }
        for j in 0..<b { targets[j] = contexts[j] }
        var t = b
        for j in 0..<b {
            let context = contexts[j]
            for k in 0..<negative {
                let w = drawn[j * negative + k]
                if w != context { targets[t] = w; t &+= 1 }
            }
        }
        let start = subwords.start(center)
        let m = rows(inputs: subwords.rows + start, subwords.end(center) - start, outputs: targets, t)
        loss += Word2VecKernels.subwordSkipGram(rows: m.inputs, rowCount: subwords.end(center) - start,
                                                targets: m.outputs, targetCount: t, positives: b, matrices: m.matrices,
                                                alpha: alpha, scratch: scratch, table: table)
        examples += Double(b)
    }

    /// fastText's own skip-gram: one update per (center, context) pair with fresh negatives, the
    /// center's mean recomputed for each.
    mutating func trainSubwordPairs(center: Int32, contextCount b: Int) {
        guard let subwords else { return }
        let start = subwords.start(center), count = subwords.end(center) - start
        for c in 0..<b {
            let context = contexts[c]
            targets[0] = context
            var t = 1
            for _ in 0..<negative {
                let w = noise.sample(rng.next())
                if w != context { targets[t] = w; t &+= 1 }
            }
            let m = rows(inputs: subwords.rows + start, count, outputs: targets, t)
            loss += Word2VecKernels.subwordSkipGram(rows: m.inputs, rowCount: count, targets: m.outputs,
                                                    targetCount: t, positives: 1, matrices: m.matrices,
                                                    alpha: alpha, scratch: scratch, table: table)
        }
        examples += Double(b)
    }

    /// Subword CBOW (fastText's): the mean of every row of every context word (their own and their
    /// n-grams') predicts the center; each of those rows gets the full gradient.
    mutating func trainSubwordCBOW(center: Int32, contextCount b: Int) {
        guard let subwords else { return }
        var count = 0
        for j in 0..<b {
            let word = contexts[j]
            for k in subwords.start(word)..<subwords.end(word) { pooled[count] = subwords.rows[k]; count &+= 1 }
        }
        let t = sharedTargets(center: center)
        let m = rows(inputs: pooled, count, outputs: targets, t)
        loss += Word2VecKernels.cbow(contexts: m.inputs, contextCount: count, targets: m.outputs, targetCount: t,
                                     rows: m.matrices, alpha: alpha, scratch: scratch, table: table)
        examples += 1
    }
}

