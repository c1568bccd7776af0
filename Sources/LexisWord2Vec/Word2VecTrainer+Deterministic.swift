// Deterministic multi-threaded training (`config.deterministic`): the same vectors for a seed at
// any thread count.
//
// The corpus is cut into a fixed number of parts (`Word2VecConfig.virtualWorkers`), each read by
// a virtual worker with its own random generator, whatever the thread count. Training goes in
// short rounds: in a round every virtual worker trains the next `deterministicRoundTokens` kept
// tokens of its part against the shared matrices as they stood when the round began, plus its own updates of
// the round. It writes only to private copies of the rows it touches (copied on first touch;
// word-level CBOW logs its changes to output rows instead, and copies one only when it touches it
// again: see `PrivateRows.log`).
// When every worker is done, the copies are merged row by row in worker order: a row one worker
// touched takes its copy, a row several touched gets the sum of their changes. Which thread ran
// which worker never matters, so 1, 2, 4 or 16 threads give bit-identical vectors (on the same
// kernels: AVX-512, AVX2 and the baseline round differently).
//
// Summing the changes is Hogwild's sum with a delay of one round. The delay must stay short:
// training diverged once the most frequent word's input row took about 20 updates per worker and
// round, as it then takes hundreds of steps from the same stale values; the round length is
// chosen from the vocabulary to stay well below that, and a round may end inside a sentence (the
// next round goes on from there, with the windows as one piece would draw them). Averaging the changes instead is stable but starves the words
// several workers touch: on enwiki it lost most of the analogy accuracy.
import CKernels
import Dispatch
import LexisText
import LexisVocab

extension Word2VecTrainer {
    /// Updates of the most updated input row a virtual worker may make in one round, at the
    /// model's default learning rate (proportionally fewer above it). Measured (16 workers):
    /// skip-gram and CBOW diverged at about 20 on the Gutenberg demo text (sample 1e-3) and on
    /// enwiki (sample 1e-4), and trained as Hogwild does at 12 and below.
    static let roundHotRowUpdates = 10.0
    /// The same for the updates of the average row, weighted by updates: it binds when every row
    /// is hot (a 16-word corpus diverged at 9.5 and trained well at 4.75).
    static let roundMeanRowUpdates = 4.0

    /// Kept (subsampled) tokens each virtual worker trains per round: as many as keep the expected
    /// updates of the most frequently updated input row (a frequent word's, or with subwords a
    /// common n-gram's) within ``roundHotRowUpdates``, and those of the average row within
    /// ``roundMeanRowUpdates``. Each kept token updates the input rows of the window's words
    /// (window + 1 of them on average).
    var deterministicRoundTokens: Int {
        let counts = vocabulary.counts
        var hits = [Double](repeating: 0, count: input.rows)
        var total = 0.0
        for w in 0..<vocabulary.count {
            let kept = Double(counts[w]) * Double(min(1, keepProbabilities[w]))
            total += kept
            if let subwords {
                for k in subwords.start(Int32(w))..<subwords.end(Int32(w)) { hits[Int(subwords.rows[k])] += kept }
            } else {
                hits[w] += kept
            }
        }
        var sum = 0.0, squares = 0.0
        for h in hits { sum += h; squares += h * h }
        // Expected updates per kept token: a row's share of the kept tokens x the window's rows.
        let perRow = Double(config.window + 1) / max(total, 1)
        let hottest = (hits.max() ?? 0) * perRow
        let average = (sum > 0 ? squares / sum : 0) * perRow
        var defaults = config
        defaults.alpha = nil
        let scale = defaults.startingAlpha / config.startingAlpha
        let tokens = min(Self.roundHotRowUpdates * scale / max(hottest, 1e-9),
                         Self.roundMeanRowUpdates * scale / max(average, 1e-9))
        return Int(min(4096, max(1, tokens)))
    }

    /// Deterministic training of the remaining epochs (see the file's header).
    func trainDeterministic(corpus: Corpus, onProgress: (@Sendable (Word2VecProgress) -> Void)?,
                            afterEpoch: ((Word2VecTrainer) throws(LexisError) -> Void)?) throws(LexisError) -> Word2VecSummary {
        guard corpus.isSeekable else {
            throw .invalidArgument("--deterministic reads the corpus in fixed parts: train from a file, not stdin")
        }
        // Fixed parts whatever the thread count; a tiny corpus may give fewer.
        let ranges = try corpus.ranges(Word2VecConfig.virtualWorkers)
        let workers = try (0..<ranges.count).map { (k) throws(LexisError) in
            try VirtualWorker(worker: Word2VecWorker(trainer: self, corpus: corpus, range: ranges[k], random: randomStates[k],
                                                     keepingIDs: keptIDsPerPart(ranges.count)),
                              trainer: self)
        }
        let threads = min(config.threads, workers.count)
        let mergers = (0..<threads).map { _ in RowMerger(trainer: self) }
        if roundTokens == nil { roundTokens = deterministicRoundTokens }
        let started = monotonicSeconds()
        let startWords = wordsDone
        var lastReport = -1.0
        var epochsTrainedAgain = 0
        while epochsDone < config.epochs {
            let epoch = epochsDone
            var tokens = roundTokens!
            // The epoch's start, to train it again with shorter rounds if it diverges: one more
            // copy of both matrices while the epoch runs (README: the cost of --deterministic).
            let startInput = input.unpadded(), startOutput = output.unpadded()
            while true {
                let healthy = try trainEpoch(workers, threads: threads, mergers: mergers, roundTokens: tokens) { alpha, epochWords in
                    let seconds = monotonicSeconds() - started
                    guard let onProgress, seconds - lastReport >= 0.1 else { return }
                    lastReport = seconds
                    let done = self.wordsDone + epochWords
                    onProgress(Word2VecProgress(
                        epoch: epoch + 1, epochs: self.config.epochs, wordsDone: done, wordsTotal: self.wordsPerEpoch * self.config.epochs,
                        alpha: Double(alpha), loss: Self.averageLoss(workers), seconds: seconds,
                        wordsPerSecond: seconds > 0 ? Double(done - startWords) / seconds : 0))
                }
                if healthy { break }
                guard tokens > 1 else {
                    throw .diverged("training diverged in epoch \(epoch + 1) even with deterministic rounds of one token. Lower the "
                        + "learning rate (--alpha, now \(config.startingAlpha)); nothing was written from this epoch")
                }
                // Deterministic too: the decision depends only on the losses, not on the threads.
                tokens /= 2
                roundTokens = tokens
                epochsTrainedAgain += 1
                startInput.withUnsafeBufferPointer { input.load($0) }
                startOutput.withUnsafeBufferPointer { output.load($0) }
                for k in 0..<workers.count { workers[k].restart(random: randomStates[k]) }
            }
            let epochWords = workers.reduce(0) { $0 + $1.loop!.words }
            if epochWords == 0 {
                throw .emptyVocabulary("the corpus has no word of the vocabulary: check that --vocab was built from this corpus with the same tokenizer")
            }
            let loss = Self.averageLoss(workers)
            wordsDone += epochWords
            epochsDone += 1
            epochLosses.append(loss)
            for k in 0..<workers.count { randomStates[k] = workers[k].loop!.rng }
            try afterEpoch?(self)
        }
        let invalidBytes = workers.reduce(0) { $0 + $1.worker.reader.invalidBytes }
        return Word2VecSummary(words: wordsDone - startWords, seconds: monotonicSeconds() - started,
                               epochLosses: epochLosses, invalidBytes: invalidBytes,
                               wordIDBytes: workers.reduce(0) { $0 + $1.worker.words.keptBytes },
                               epochsTrainedAgain: epochsTrainedAgain)
    }

    /// One epoch in rounds of `roundTokens` per worker. Returns false as soon as a round's loss per
    /// example is not finite or above four times the loss of untrained output rows: training is
    /// diverging (the matrices are then spoilt).
    private func trainEpoch(_ workers: [VirtualWorker], threads: Int, mergers: [RowMerger], roundTokens: Int,
                            progress: (Float, Int) -> Void) throws(LexisError) -> Bool {
        for worker in workers { try worker.startEpoch() }
        // Output rows start at zero: every example starts at (1 + negative) log 2.
        let untrained = Double(1 + config.negative) * 0.6931471805599453
        let limit = 4 * untrained
        var epochWords = 0
        var (loss, examples) = (0.0, 0.0)
        let next = AtomicCounter()
        let mergeShares = threads == 1 ? 1 : min(MergeShares.maximumShares, 4 * threads)
        while workers.contains(where: { !$0.finished }) {
            let active = workers.filter { !$0.finished }
            let alpha = alpha(after: wordsDone + epochWords)
            let results = ThreadResults<Void>(count: threads)
            // Each thread takes the next untrained part: which thread trains a part never
            // matters, and a thread done early helps instead of waiting at the merge.
            next.reset()
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                do {
                    while case let k = next.take(), k < active.count {
                        try active[k].trainRound(tokens: roundTokens, alpha: alpha, map: mergers[t].map, mergeShares: mergeShares)
                    }
                    results.set(t, .success(()))
                } catch {
                    results.set(t, .failure(error))
                }
            }
            for t in 0..<threads { try results.get(t) }
            // Shares taken in turn as well, more of them than threads: a share of hot rows does
            // not keep the other threads waiting.
            let round = RoundRows(active)
            next.reset()
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                while case let share = next.take(), share < mergeShares { mergers[t].merge(round, share: share) }
            }
            epochWords = workers.reduce(0) { $0 + $1.loop!.words }
            // Summed in worker order: the same value at any thread count.
            var (newLoss, newExamples) = (0.0, 0.0)
            for worker in workers { newLoss += worker.loop!.loss; newExamples += worker.loop!.examples }
            if newExamples > examples {
                let roundLoss = (newLoss - loss) / (newExamples - examples)
                if !roundLoss.isFinite || roundLoss > limit { return false }
            }
            (loss, examples) = (newLoss, newExamples)
            progress(alpha, epochWords)
        }
        return true
    }

    private static func averageLoss(_ workers: [VirtualWorker]) -> Double {
        var loss = 0.0, examples = 0.0
        for worker in workers { loss += worker.loop?.loss ?? 0; examples += worker.loop?.examples ?? 0 }
        return examples > 0 ? loss / examples : 0
    }
}

/// One virtual worker of deterministic training: a fixed part of the corpus, its own random
/// generator and epoch state, the kept tokens of its current segment and the private rows of the
/// current round.
final class VirtualWorker: @unchecked Sendable {  // one thread at a time, rounds separated by joins
    let worker: Word2VecWorker
    let rows: PrivateRows
    let queue = TokenQueue()
    let maxLength: Int
    @exclusivity(unchecked) var loop: EpochLoop?
    /// The segment whose tokens are queued ends a line: its sentence ends with them.
    private var lineEnds = false
    /// The collected sentence is being trained; `position` is its next center.
    private var training = false
    private var position = 0
    private(set) var finished = false

    init(worker: Word2VecWorker, trainer: Word2VecTrainer) {
        self.worker = worker
        let config = trainer.config
        maxLength = config.maxSentenceLength
        let maximumRows = trainer.subwords?.maximumRows ?? 1
        rows = PrivateRows(input: trainer.input, output: trainer.output,
                           maxInputs: max(2 * config.window * maximumRows, maximumRows),
                           maxOutputs: 2 * config.window * (config.negative + 1) + 1)
    }

    /// Forgets the epoch in progress: the next `startEpoch` begins again with `random`.
    func restart(random: RandomGenerator) {
        worker.random = random
        loop = nil
    }

    func startEpoch() throws(LexisError) {
        try worker.words.rewind()
        // The generator carries over from the previous epoch (or the checkpoint).
        if let loop { worker.random = loop.rng }
        loop = EpochLoop(worker: worker, alpha: 0)
        queue.removeAll()
        lineEnds = false
        training = false
        position = 0
        finished = false
    }

    /// Trains the next `tokens` centers into private rows, reading segments as needed; a sentence
    /// may take several rounds. `map` is the running thread's; the round is merged in `mergeShares` shares.
    func trainRound(tokens: Int, alpha: Float, map: RowMap, mergeShares: Int) throws(LexisError) {
        rows.begin(map: map)
        loop!.privateRows = Unmanaged.passUnretained(rows)
        loop!.rowMaps = (map.input, map.output)
        loop!.alpha = alpha
        var left = tokens
        while left > 0 {
            if training {
                let start = position, end = min(loop!.length, position + left)
                loop!.trainCenters(start, end)
                left -= end - start
                position = end
                if end == loop!.length { loop!.length = 0; position = 0; training = false }
                continue
            }
            // Collect the next sentence: up to a line end or the longest sentence.
            if queue.isEmpty {
                if lineEnds {
                    lineEnds = false
                    training = loop!.length > 0
                    continue
                }
                guard let segment = try worker.words.next() else {
                    if loop!.length > 0 { training = true; continue }
                    finished = true
                    break
                }
                queue.removeAll()
                loop!.collect(segment.ids, into: queue)
                lineEnds = segment.endsLine
                continue
            }
            let take = min(queue.count, maxLength - loop!.length)
            loop!.append(queue.next, take)
            queue.drop(take)
            if loop!.length == maxLength { training = true }
        }
        loop!.privateRows = nil
        loop!.rowMaps = nil
        rows.end(mergeShares: mergeShares)
    }
}

/// Rows copied out of a matrix, in a buffer that grows as needed: the copies (64-byte aligned,
/// the matrix's stride) and the row each came from.
struct CopiedRows {
    let stride: Int
    private(set) var base: UnsafeMutablePointer<Float>
    private(set) var sources: UnsafeMutablePointer<Int32>
    private var capacity = 256
    var count = 0

    init(stride: Int) {
        self.stride = stride
        base = Self.allocateRows(capacity, stride)
        sources = .allocate(capacity: capacity)
    }

    func deallocate() {
        base.deallocate()
        sources.deallocate()
    }

    private static func allocateRows(_ rows: Int, _ stride: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: rows * stride * 4, alignment: 64).bindMemory(to: Float.self, capacity: rows * stride)
    }

    @inline(__always)
    func row(_ slot: Int) -> UnsafeMutablePointer<Float> { base + slot * stride }

    /// Copies `values` (one row of `stride` floats) as the copy of row `id`; returns its slot.
    mutating func append(copying values: UnsafePointer<Float>, from id: Int32) -> Int32 {
        if count == capacity {
            let larger = Self.allocateRows(capacity * 2, stride)
            larger.moveInitialize(from: base, count: count * stride)
            base.deallocate()
            base = larger
            grow(&sources, count, capacity * 2)
            capacity *= 2
        }
        copyRow(values, to: row(count), blocks: stride / 16)
        sources[count] = id
        count += 1
        return Int32(count - 1)
    }
}

/// Where each shared row sits among copied rows (-1: not copied), one per thread for each
/// matrix: a worker uses its thread's map during its round and clears it at the end; the merge
/// then uses it for its own copies.
final class RowMap: @unchecked Sendable {  // one thread's
    let input: UnsafeMutablePointer<Int32>
    let output: UnsafeMutablePointer<Int32>
    private let inputRows: Int, outputRows: Int

    init(inputRows: Int, outputRows: Int) {
        self.inputRows = max(1, inputRows)
        self.outputRows = max(1, outputRows)
        input = .allocate(capacity: self.inputRows)
        input.initialize(repeating: -1, count: self.inputRows)
        output = .allocate(capacity: self.outputRows)
        output.initialize(repeating: -1, count: self.outputRows)
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }
}

/// The next of a round's parts (or of its merge's shares), taken one at a time by whichever
/// thread is free.
final class AtomicCounter: @unchecked Sendable {  // changed atomically only (lexis_take_next)
    private let next = UnsafeMutablePointer<Int>.allocate(capacity: 1)

    init() { next.initialize(to: 0) }
    deinit { next.deallocate() }

    /// Before the threads start (on one thread).
    func reset() { next.pointee = 0 }

    /// The next index, counting from 0 after ``reset()``.
    func take() -> Int { lexis_take_next(next) }
}

/// Moves the first `count` elements of `buffer` into a new one of `capacity`.
func grow<T>(_ buffer: inout UnsafeMutablePointer<T>, _ count: Int, _ capacity: Int) {
    let larger = UnsafeMutablePointer<T>.allocate(capacity: capacity)
    larger.moveInitialize(from: buffer, count: count)
    buffer.deallocate()
    buffer = larger
}

/// Copies one padded row (`blocks` x 16 floats, 64-byte aligned) without a call to memmove.
@inline(__always)
func copyRow(_ source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, blocks: Int) {
    let from = UnsafeRawPointer(source).assumingMemoryBound(to: SIMD16<Float>.self)
    let to = UnsafeMutableRawPointer(target).assumingMemoryBound(to: SIMD16<Float>.self)
    for b in 0..<blocks { to[b] = from[b] }
}

/// A virtual worker's logged changes to output rows it did not copy, in the current round: each
/// entry is scale x one of the kept hidden vectors, chained to the row's previous entry.
struct ChangeLog {
    let stride: Int
    private(set) var scales: UnsafeMutablePointer<Float>
    private(set) var hiddenOf: UnsafeMutablePointer<Int32>
    private(set) var previous: UnsafeMutablePointer<Int32>
    private(set) var entryCount = 0
    private var entryCapacity = 0
    /// The kept hidden vectors (64-byte aligned rows of `stride` floats).
    private(set) var hidden: CopiedRows
    /// The rows with entries, and after the round's end each one's latest entry (-1: none left).
    private(set) var rows: UnsafeMutablePointer<Int32>
    private(set) var heads: UnsafeMutablePointer<Int32>
    private(set) var rowCount = 0
    private var rowCapacity = 0

    init(stride: Int) {
        self.stride = stride
        entryCapacity = 1024
        scales = .allocate(capacity: entryCapacity)
        hiddenOf = .allocate(capacity: entryCapacity)
        previous = .allocate(capacity: entryCapacity)
        rowCapacity = 1024
        rows = .allocate(capacity: rowCapacity)
        heads = .allocate(capacity: rowCapacity)
        hidden = CopiedRows(stride: stride)
    }

    func deallocate() {
        scales.deallocate(); hiddenOf.deallocate(); previous.deallocate()
        rows.deallocate(); heads.deallocate()
        hidden.deallocate()
    }

    mutating func clear() {
        entryCount = 0
        rowCount = 0
        hidden.count = 0
    }

    /// Keeps a hidden vector; returns its index.
    mutating func keep(_ vector: UnsafePointer<Float>) -> Int32 { hidden.append(copying: vector, from: 0) }

    mutating func append(scale: Float, hidden index: Int32, previous entry: Int32) -> Int32 {
        if entryCount == entryCapacity {
            entryCapacity *= 2
            grow(&scales, entryCount, entryCapacity)
            grow(&hiddenOf, entryCount, entryCapacity)
            grow(&previous, entryCount, entryCapacity)
        }
        scales[entryCount] = scale
        hiddenOf[entryCount] = index
        previous[entryCount] = entry
        entryCount += 1
        return Int32(entryCount - 1)
    }

    mutating func addRow(_ id: Int32) {
        if rowCount == rowCapacity {
            rowCapacity *= 2
            grow(&rows, rowCount, rowCapacity)
            grow(&heads, rowCount, rowCapacity)
        }
        rows[rowCount] = id
        rowCount += 1
    }

    /// Adds the changes of the chain that ends at `entry` to `row`, latest first.
    func apply(from entry: Int32, to row: UnsafeMutablePointer<Float>) {
        var e = entry
        while e >= 0 {
            lexis_kernels.axpy(scales[Int(e)], hidden.row(Int(hiddenOf[Int(e)])), row, stride)
            e = previous[Int(e)]
        }
    }
}

/// A virtual worker's copies of the shared rows it touched in the current round.
final class PrivateRows: @unchecked Sendable {
    let sharedInput: UnsafeMutablePointer<Float>
    let sharedOutput: UnsafeMutablePointer<Float>
    let stride: Int
    @exclusivity(unchecked) var input: CopiedRows
    @exclusivity(unchecked) var output: CopiedRows
    /// The private ids of one kernel call's rows.
    let mappedInputs: UnsafeMutablePointer<Int32>
    let mappedOutputs: UnsafeMutablePointer<Int32>
    /// The running thread's maps, set by begin(map:). In the output map a value of -2 - e means
    /// the row is not copied but has logged changes, the latest in entry `e` (``latestEntry(_:)``).
    private var inputMap: UnsafeMutablePointer<Int32>!
    private var outputMap: UnsafeMutablePointer<Int32>!

    @inline(__always) private static func logged(_ entry: Int32) -> Int32 { -2 - entry }
    /// The latest log entry of an output map value, or -1 (a copy, or not touched).
    @inline(__always) private static func latestEntry(_ value: Int32) -> Int32 { value <= -2 ? -2 - value : -1 }
    /// Word-level CBOW's output rows are not copied on first touch: the kernel reads the shared
    /// row and the change (scale x the center's hidden vector) is logged, to be added to the
    /// shared row by the merge; a row touched again is copied then, with its logged changes. Most
    /// output rows are negatives a part touches once in a round, and copying them was most of the
    /// cost of deterministic CBOW (BENCHMARKS.md round 9).
    @exclusivity(unchecked) var log: ChangeLog
    /// The input copies, the output copies and the logged rows, by merge share.
    private(set) var inputShares = MergeShares(), outputShares = MergeShares(), logShares = MergeShares()
    /// Per target of the current kernel call: the private copy's slot, or -1 for the shared row.
    private let targetSlots: UnsafeMutablePointer<Int32>
    private let targetRows: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>

    init(input shared: EmbeddingMatrix, output sharedOut: EmbeddingMatrix, maxInputs: Int, maxOutputs: Int) {
        sharedInput = shared.base
        sharedOutput = sharedOut.base
        stride = shared.stride
        input = CopiedRows(stride: stride)
        output = CopiedRows(stride: stride)
        mappedInputs = .allocate(capacity: max(1, maxInputs))
        mappedOutputs = .allocate(capacity: max(1, maxOutputs))
        targetSlots = .allocate(capacity: max(1, maxOutputs))
        targetRows = .allocate(capacity: max(1, maxOutputs))
        log = ChangeLog(stride: stride)
    }

    deinit {
        input.deallocate()
        output.deallocate()
        log.deallocate()
        inputShares.deallocate(); outputShares.deallocate(); logShares.deallocate()
        mappedInputs.deallocate()
        mappedOutputs.deallocate()
        targetSlots.deallocate()
        targetRows.deallocate()
    }

    /// Starts a round with no rows copied, on the thread that owns `map`.
    func begin(map: RowMap) {
        inputMap = map.input
        outputMap = map.output
        input.count = 0
        output.count = 0
        log.clear()
    }

    /// Ends the round: the thread's map is clear again (the copies and the log stay for the merge),
    /// and the rows are sorted into `mergeShares` merge shares.
    func end(mergeShares: Int) {
        for s in 0..<input.count { inputMap[Int(input.sources[s])] = -1 }
        for s in 0..<output.count { outputMap[Int(output.sources[s])] = -1 }
        for k in 0..<log.rowCount {
            let id = Int(log.rows[k]), m = outputMap[id]
            log.heads[k] = Self.latestEntry(m)  // -1: copied later, its changes are in the copy
            outputMap[id] = -1
        }
        inputShares.sort(input.sources, input.count, shares: mergeShares) { _ in true }
        outputShares.sort(output.sources, output.count, shares: mergeShares) { _ in true }
        let heads = log.heads
        logShares.sort(log.rows, log.rowCount, shares: mergeShares) { heads[$0] >= 0 }
    }

    /// Word-level CBOW into private input rows and logged or private output rows (see ``log``).
    @inline(__always)
    func trainCBOW(contexts: UnsafePointer<Int32>, _ b: Int, targets: UnsafePointer<Int32>, _ t: Int,
                   alpha: Float, hidden: UnsafeMutablePointer<Float>, gradient: UnsafeMutablePointer<Float>,
                   scales: UnsafeMutablePointer<Float>, table: UnsafeMutablePointer<lexis_sigmoid_table>) -> Double {
        for k in 0..<b { mappedInputs[k] = Self.slot(contexts[k], map: inputMap, copies: &input, shared: sharedInput) }
        // Copies first (a copy may move the copies' buffer), then the rows' addresses.
        for k in 0..<t {
            let id = targets[k], m = outputMap[Int(id)]
            if m >= 0 {
                targetSlots[k] = m
            } else if m == -1 {
                targetSlots[k] = -1
            } else {
                let slot = output.append(copying: sharedOutput + Int(id) * stride, from: id)
                log.apply(from: Self.latestEntry(m), to: output.row(Int(slot)))
                outputMap[Int(id)] = slot
                targetSlots[k] = slot
            }
        }
        for k in 0..<t {
            let slot = targetSlots[k]
            targetRows[k] = slot >= 0 ? output.row(Int(slot)) : sharedOutput + Int(targets[k]) * stride
        }
        let loss = lexis_kernels.w2v_cbow_deferred(mappedInputs, b, targetRows, t, input.base, stride, alpha, hidden,
                                                   gradient, scales, table)
        var hiddenIndex: Int32 = -1
        for k in 0..<t {
            if targetSlots[k] >= 0 {
                lexis_kernels.axpy(scales[k], hidden, targetRows[k], stride)
                continue
            }
            if hiddenIndex < 0 { hiddenIndex = log.keep(hidden) }
            let id = targets[k], m = outputMap[Int(id)]
            let entry = log.append(scale: scales[k], hidden: hiddenIndex, previous: Self.latestEntry(m))
            if m == -1 { log.addRow(id) }
            outputMap[Int(id)] = Self.logged(entry)
        }
        return loss
    }

    /// The private row of shared row `id` among `copies`, copied from `shared` on first touch.
    @inline(__always)
    private static func slot(_ id: Int32, map: UnsafeMutablePointer<Int32>, copies: inout CopiedRows,
                             shared: UnsafeMutablePointer<Float>) -> Int32 {
        let s = map[Int(id)]
        if s >= 0 { return s }
        let slot = copies.append(copying: shared + Int(id) * copies.stride, from: id)
        map[Int(id)] = slot
        return slot
    }

    /// The private matrices and the private ids of the given shared rows (copied on first touch).
    @inline(__always)
    func resolve(inputs: UnsafePointer<Int32>, _ inputCount: Int, outputs: UnsafePointer<Int32>, _ outputCount: Int)
        -> (matrices: KernelRows, inputs: UnsafePointer<Int32>, outputs: UnsafePointer<Int32>) {
        for k in 0..<inputCount { mappedInputs[k] = Self.slot(inputs[k], map: inputMap, copies: &input, shared: sharedInput) }
        for k in 0..<outputCount { mappedOutputs[k] = Self.slot(outputs[k], map: outputMap, copies: &output, shared: sharedOutput) }
        return (KernelRows(input: input.base, output: output.base, stride: stride),
                UnsafePointer(mappedInputs), UnsafePointer(mappedOutputs))
    }
}

/// A part's rows of one kind (input copies, output copies or logged rows) sorted by merge share:
/// share p is the indices `order[start[p] ..< start[p + 1]]`. Sorting them as the round ends, on
/// the part's thread, spares the merge a scan of every part's rows for each share (a branch on
/// each row that most of them fail).
struct MergeShares {
    private(set) var order: UnsafeMutablePointer<Int32>
    private var capacity = 1024
    /// shares + 1 entries (at most ``maximumShares`` shares).
    let start: UnsafeMutablePointer<Int>
    static let maximumShares = 256

    init() {
        order = .allocate(capacity: capacity)
        start = .allocate(capacity: Self.maximumShares + 1)
        start.initialize(repeating: 0, count: Self.maximumShares + 1)
    }

    func deallocate() {
        order.deallocate()
        start.deallocate()
    }

    /// The share (of `shares`) that row `id` belongs to: a multiplicative hash, as frequent
    /// words have the low ids and appear in every part's list (contiguous blocks would leave one
    /// share most of the work); a multiply and a shift (a division per row cost more).
    @inline(__always)
    static func share(of id: Int32, shares: Int) -> Int {
        Int((UInt64(UInt32(id) &* 2_654_435_761) &* UInt64(shares)) >> 32)
    }

    /// Sorts the indices k < count with `included(k)` by the share of `ids[k]`.
    mutating func sort(_ ids: UnsafePointer<Int32>, _ count: Int, shares: Int, _ included: (Int) -> Bool) {
        precondition(shares >= 1 && shares <= Self.maximumShares)
        if count > capacity {
            order.deallocate()
            capacity = max(count, 2 * capacity)
            order = .allocate(capacity: capacity)
        }
        for p in 0...shares { start[p] = 0 }
        for k in 0..<count where included(k) { start[Self.share(of: ids[k], shares: shares) + 1] += 1 }
        for p in 0..<shares { start[p + 1] += start[p] }
        // start[p] is the next free place of share p until the scatter ends, then share p's end:
        // shift back by one share afterwards.
        for k in 0..<count where included(k) {
            let p = Self.share(of: ids[k], shares: shares)
            order[start[p]] = Int32(k)
            start[p] += 1
        }
        for p in Swift.stride(from: shares, to: 0, by: -1) { start[p] = start[p - 1] }
        start[0] = 0
    }

    /// The indices of share `p`.
    @inline(__always)
    func indices(of p: Int) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: order + start[p], count: start[p + 1] - start[p])
    }
}

/// The rows a round's workers touched, in worker order, with their merge shares: gathered once
/// per round for every share's merge.
struct RoundRows: @unchecked Sendable {  // read only while the shares merge
    let inputs: [(CopiedRows, MergeShares)]
    let outputs: [(CopiedRows, MergeShares)]
    let logs: [(ChangeLog, MergeShares)]

    init(_ workers: [VirtualWorker]) {
        inputs = workers.map { ($0.rows.input, $0.rows.inputShares) }
        outputs = workers.map { ($0.rows.output, $0.rows.outputShares) }
        logs = workers.map { ($0.rows.log, $0.rows.logShares) }
    }
}

/// One thread's merging of a round: share by share (``MergeShares``), each share's rows taken
/// worker by worker in worker order, so that each row's result does not depend on the thread
/// count or on which thread merged it.
final class RowMerger: @unchecked Sendable {  // one thread's
    let map: RowMap
    /// Per row: how many of the round's workers touched it (rows of the share being merged only).
    private let inputTouches: UnsafeMutablePointer<UInt16>
    private let outputTouches: UnsafeMutablePointer<UInt16>
    /// The values at the round's start of the rows several workers touched.
    private var originals: CopiedRows
    private let input: EmbeddingMatrix
    private let output: EmbeddingMatrix

    init(trainer: Word2VecTrainer) {
        input = trainer.input
        output = trainer.output
        map = RowMap(inputRows: input.rows, outputRows: output.rows)
        inputTouches = .allocate(capacity: max(1, input.rows))
        inputTouches.initialize(repeating: 0, count: max(1, input.rows))
        outputTouches = .allocate(capacity: max(1, output.rows))
        outputTouches.initialize(repeating: 0, count: max(1, output.rows))
        originals = CopiedRows(stride: input.stride)
    }

    deinit {
        inputTouches.deallocate()
        outputTouches.deallocate()
        originals.deallocate()
    }

    /// Rows ahead whose cache lines the merge asks for: the rows it adds to or copies into are
    /// random and cold (the round touched many more since), and a loop that waits on each in turn
    /// is bound by memory latency.
    static let prefetchDistance = 4

    /// Merges share `share` of the rows the round's workers touched.
    func merge(_ round: RoundRows, share: Int) {
        merge(round.inputs, logs: [], into: input, touches: inputTouches, map: map.input, share: share)
        merge(round.outputs, logs: round.logs, into: output, touches: outputTouches, map: map.output, share: share)
    }

    /// A row one worker touched takes its copy; a row several touched becomes its value at the
    /// round's start plus each worker's change (copy - start), added in worker order.
    private func merge(_ copies: [(CopiedRows, MergeShares)], logs: [(ChangeLog, MergeShares)], into shared: EmbeddingMatrix,
                       touches: UnsafeMutablePointer<UInt16>, map: UnsafeMutablePointer<Int32>, share: Int) {
        for (rows, shares) in copies {
            for s in shares.indices(of: share) { touches[Int(rows.sources[Int(s)])] &+= 1 }
        }
        // A row is either copied or logged by a worker (a logged row touched again is copied).
        for (log, shares) in logs {
            for k in shares.indices(of: share) { touches[Int(log.rows[Int(k)])] &+= 1 }
        }
        let blocks = shared.stride / 16
        let rowBytes = shared.stride * 4
        originals.count = 0
        for (w, (rows, shares)) in copies.enumerated() {
            if w < logs.count {
                let (log, logShares) = logs[w]
                let logged = logShares.indices(of: share)
                for i in 0..<logged.count {
                    if i + Self.prefetchDistance < logged.count {
                        let ahead = Int(logged[i + Self.prefetchDistance])
                        lexis_prefetch(shared.row(Int(log.rows[ahead])), rowBytes)
                        let head = log.heads[ahead]
                        if head >= 0 { lexis_prefetch(log.hidden.row(Int(log.hiddenOf[Int(head)])), rowBytes) }
                    }
                    let k = Int(logged[i])
                    let id = Int(log.rows[k])
                    let target = shared.row(id)
                    if touches[id] == 1 {
                        touches[id] = 0
                    } else if map[id] < 0 {
                        map[id] = originals.append(copying: target, from: Int32(id))
                    }
                    log.apply(from: log.heads[k], to: target)
                }
            }
            let copied = shares.indices(of: share)
            for i in 0..<copied.count {
                if i + Self.prefetchDistance < copied.count {
                    let ahead = Int(copied[i + Self.prefetchDistance])
                    lexis_prefetch(shared.row(Int(rows.sources[ahead])), rowBytes)
                    lexis_prefetch(rows.row(ahead), rowBytes)
                }
                let s = Int(copied[i])
                let id = Int(rows.sources[s])
                let target = shared.row(id)
                if touches[id] == 1 {
                    copyRow(rows.row(s), to: target, blocks: blocks)
                    touches[id] = 0
                    continue
                }
                let o = map[id]
                if o < 0 {
                    map[id] = originals.append(copying: target, from: Int32(id))
                    copyRow(rows.row(s), to: target, blocks: blocks)
                } else {
                    let row = UnsafeMutableRawPointer(target).assumingMemoryBound(to: SIMD16<Float>.self)
                    let copy = UnsafeRawPointer(rows.row(s)).assumingMemoryBound(to: SIMD16<Float>.self)
                    let start = UnsafeRawPointer(originals.row(Int(o))).assumingMemoryBound(to: SIMD16<Float>.self)
                    for b in 0..<blocks { row[b] += copy[b] - start[b] }
                }
            }
        }
        for s in 0..<originals.count {
            let id = Int(originals.sources[s])
            map[id] = -1
            touches[id] = 0
        }
    }
}
