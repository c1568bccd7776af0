// Phrase detection, as word2vec's word2phrase and gensim's Phrases: count words and adjacent
// pairs in one streaming pass (one table pair per thread, merged), score every pair, keep those
// above a threshold. Each further pass counts the text as the phrases found so far join it, so
// pass 2 finds units of three and four tokens ("new_york" + "times").
//
// Scores are computed as gensim computes them (the same formulas, in the same Double operations),
// so that the same counts give the same phrases; the tokenizer decides the counts.
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import LexisText

/// Detects phrases in a corpus and returns them as a ``PhraseTable``.
public struct PhraseBuilder: Sendable {
    /// How the corpus is tokenized (without phrases); recorded in the table.
    public var tokenizer: TokenizerOptions
    /// Scorer, threshold, min-count, passes and joiners.
    public var settings: PhraseSettings
    /// Worker threads; a corpus that cannot seek (stdin) cannot be read for phrases.
    public var threads: Int
    /// Distinct pairs one thread may hold before pairs seen fewer than a rising number of times
    /// are dropped (gensim's `max_vocab_size`). Counts can then come out low; the report says so.
    public var pairLimit: Int

    /// Creates a builder; by default 40 million pairs in all (gensim's limit), shared by the threads.
    public init(tokenizer: TokenizerOptions = TokenizerOptions(), settings: PhraseSettings = PhraseSettings(),
                threads: Int = defaultThreadCount, pairLimit: Int = 40_000_000) {
        self.tokenizer = tokenizer.withoutPhrases
        self.settings = settings
        self.threads = threads
        self.pairLimit = pairLimit
    }

    /// What one pass counted.
    public struct PassReport: Sendable {
        /// Tokens counted (after the earlier passes' joining).
        public var tokens: Int64 = 0
        /// Distinct words and distinct adjacent pairs.
        public var words = 0, pairs = 0
        /// Phrases the pass found.
        public var phrases = 0
        /// Highest pruning threshold (0 when no pair was dropped).
        public var prunedBelow: Int64 = 0
        /// Corpus bytes read and invalid UTF-8 bytes replaced.
        public var bytes = 0, invalidBytes = 0
    }

    /// Progress while counting, from worker threads.
    public enum Event: Sendable {
        /// Bytes read so far in pass `pass` (from 1).
        case progress(pass: Int, bytes: Int)
        /// A thread's pair table hit its limit; pairs seen fewer than `below` times were dropped.
        case pruned(pass: Int, below: Int64, pairsBefore: Int, pairsAfter: Int)
        /// A pass ended.
        case passDone(pass: Int, report: PassReport)
    }

    /// Runs every pass over the corpus.
    ///
    /// - Throws: ``LexisError/invalidArgument(_:)`` for bad settings or a corpus that cannot be
    ///   read twice (stdin with more than one pass), or a read error.
    public func build(_ corpus: Corpus, onEvent: (@Sendable (Event) -> Void)? = nil) throws(LexisError)
        -> (PhraseTable, [PassReport])
    {
        if let problem = settings.problem { throw .invalidArgument("bad phrase settings: \(problem)") }
        if !corpus.isSeekable && settings.passes > 1 {
            throw .invalidArgument("stdin can be read only once: give the corpus as a file for --passes \(settings.passes)")
        }
        var entries: [PhraseTable.Entry] = []
        var reports: [PassReport] = []
        for pass in 1...settings.passes {
            var partial = settings
            partial.passes = max(1, pass - 1)
            var options = tokenizer
            if pass > 1 {
                let sofar = try PhraseTable(entries: entries, settings: partial, tokenizer: tokenizer)
                options = try options.attaching(phrases: sofar)
            }
            let (found, report) = try runPass(pass, corpus: corpus, options: options, onEvent: onEvent)
            entries += found
            reports.append(report)
            onEvent?(.passDone(pass: pass, report: report))
        }
        let last = reports.last!
        var counted = "tokens=\(last.tokens) words=\(last.words) pairs=\(last.pairs)"
        if let pruned = reports.map(\.prunedBelow).max(), pruned > 0 { counted += " pruned-below=\(pruned)" }
        return (try PhraseTable(entries: entries, settings: settings, tokenizer: tokenizer, counted: counted), reports)
    }

    /// One thread's counts: words by local id, and pairs of local ids.
    private final class Counts: @unchecked Sendable {
        let words = ByteStringTable(minimumCapacity: 1 << 16)
        var counts: [Int64] = []
        let pairs = PairTable(minimumCapacity: 1 << 20)
        var report = PassReport()
    }

    private func runPass(_ pass: Int, corpus: Corpus, options: TokenizerOptions,
                         onEvent: (@Sendable (Event) -> Void)?) throws(LexisError) -> ([PhraseTable.Entry], PassReport) {
        let ranges = try workRanges(corpus)
        let n = ranges.count
        let shared = SharedProgress(count: n)
        let results = ThreadResults<Counts>(count: n)
        let limit = max(1000, pairLimit / n)
        DispatchQueue.concurrentPerform(iterations: n) { t in
            do {
                let tokenizer = try Tokenizer(options: options)
                let reader = try CorpusReader(corpus: corpus, range: ranges[t])
                let c = Counts()
                // Pairs are counted in batches (PairTable.add(pairs:) overlaps their cache misses).
                let batchSize = 4096
                let batch = UnsafeMutablePointer<UInt64>.allocate(capacity: batchSize)
                defer { batch.deallocate() }
                var batchCount = 0
                var minimumKept: Int64 = 1
                var segments = 0
                while let segment = try reader.next() {
                    var previous: UInt32 = .max
                    tokenizer.forEachToken(in: segment.bytes, keepingPunctuation: true) { token, kind in
                        if kind == .punctuation {
                            previous = .max  // a phrase never spans punctuation
                            return
                        }
                        let fresh = Int64(c.counts.count)
                        let id: Int
                        if let old = c.words.insertUnlessPresent(token.baseAddress!, token.count, value: fresh) {
                            id = Int(old)
                            c.counts[id] += 1
                        } else {
                            id = Int(fresh)
                            c.counts.append(1)
                        }
                        if previous != .max {
                            batch[batchCount] = UInt64(previous) << 32 | UInt64(id)
                            batchCount += 1
                            if batchCount == batchSize {
                                c.pairs.add(pairs: UnsafeBufferPointer(start: batch, count: batchCount))
                                batchCount = 0
                            }
                        }
                        previous = UInt32(id)
                        c.report.tokens += 1
                    }
                    c.pairs.add(pairs: UnsafeBufferPointer(start: batch, count: batchCount))
                    batchCount = 0
                    if c.pairs.count > limit {
                        let before = c.pairs.count
                        minimumKept += 1
                        c.pairs.removeAll(below: minimumKept)
                        c.report.prunedBelow = minimumKept
                        onEvent?(.pruned(pass: pass, below: minimumKept, pairsBefore: before, pairsAfter: c.pairs.count))
                    }
                    segments += 1
                    if segments & 255 == 0 {
                        shared.set(t, reader.bytesRead)
                        if t == 0 { onEvent?(.progress(pass: pass, bytes: shared.total)) }
                    }
                }
                c.report.bytes = reader.bytesRead
                c.report.invalidBytes = reader.invalidBytes
                results.set(t, .success(c))
            } catch {
                results.set(t, .failure(error))
            }
        }
        // Merge into thread 0's tables: its ids are the global ids.
        let total = try results.get(0)
        for t in 1..<n {
            let part = try results.get(t)
            var mapping = [UInt32](repeating: 0, count: part.counts.count)
            part.words.forEach { key, local in
                let fresh = Int64(total.counts.count)
                if let old = total.words.insertUnlessPresent(key.baseAddress!, key.count, value: fresh) {
                    mapping[Int(local)] = UInt32(old)
                    total.counts[Int(old)] += part.counts[Int(local)]
                } else {
                    mapping[Int(local)] = UInt32(fresh)
                    total.counts.append(part.counts[Int(local)])
                }
            }
            total.pairs.merge(part.pairs, mapping: mapping)
            total.report.tokens += part.report.tokens
            total.report.bytes += part.report.bytes
            total.report.invalidBytes += part.report.invalidBytes
            total.report.prunedBelow = max(total.report.prunedBelow, part.report.prunedBelow)
        }
        onEvent?(.progress(pass: pass, bytes: total.report.bytes))
        var report = total.report
        report.words = total.words.count
        report.pairs = total.pairs.count
        let entries = score(total, pass: pass, tokens: report.tokens)
        report.phrases = entries.count
        return (entries, report)
    }

    /// Ranges at line starts (so no line is split between threads and every pair is counted),
    /// unless the corpus has too few lines to share out (text8 is one line): then at white space.
    private func workRanges(_ corpus: Corpus) throws(LexisError) -> [CorpusRange] {
        let n = corpus.isSeekable ? max(1, threads) : 1
        let lines = try corpus.ranges(n, atLineStarts: true)
        guard n > 1, let total = corpus.totalBytes, total > 0 else { return lines }
        let largest = lines.map { $0.end - $0.start }.max() ?? 0
        return largest > 2 * total / n ? try corpus.ranges(n) : lines
    }

    /// Scores every pair seen at least min-count times and keeps those above the threshold.
    private func score(_ c: Counts, pass: Int, tokens: Int64) -> [PhraseTable.Entry] {
        var ids: [(UInt32, UInt32, Int64, Double)] = []
        let vocabularySize = Double(c.words.count + c.pairs.count)
        let minCount = settings.minCount, threshold = settings.threshold
        let scorer = settings.scorer
        c.pairs.forEach { a, b, count in
            guard count >= minCount else { return }
            let s = Self.score(scorer, a: c.counts[Int(a)], b: c.counts[Int(b)], pair: count, minCount: minCount,
                               vocabularySize: vocabularySize, tokens: tokens)
            if s > threshold { ids.append((a, b, count, s)) }
        }
        guard !ids.isEmpty else { return [] }
        var words = [String](repeating: "", count: c.counts.count)
        var needed = [Bool](repeating: false, count: c.counts.count)
        for (a, b, _, _) in ids { needed[Int(a)] = true; needed[Int(b)] = true }
        c.words.forEach { key, id in
            if needed[Int(id)] { words[Int(id)] = String(decoding: key, as: UTF8.self) }
        }
        return ids.map { PhraseTable.Entry(pass: pass, left: words[Int($0.0)], right: words[Int($0.1)], count: $0.2, score: $0.3) }
    }

    /// A pair's score, in the operations gensim uses (so that equal counts give equal decisions).
    ///
    /// - default: `(pair - minCount) / (a * b) * vocabularySize`, where `vocabularySize` counts
    ///   distinct words and distinct pairs;
    /// - npmi: `ln(p(ab) / (p(a) p(b))) / -ln(p(ab))` with probabilities over `tokens`; pairs
    ///   rarer than min-count score minus infinity.
    public static func score(_ scorer: PhraseScorer, a: Int64, b: Int64, pair: Int64, minCount: Int64,
                             vocabularySize: Double, tokens: Int64) -> Double {
        switch scorer {
        case .default:
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            let denominator = overflow ? Double(a) * Double(b) : Double(product)
            if denominator == 0 { return -.infinity }
            return Double(pair - minCount) / denominator * vocabularySize
        case .npmi:
            guard pair >= minCount else { return -.infinity }
            let n = Double(tokens)
            let pa = Double(a) / n, pb = Double(b) / n, pab = Double(pair) / n
            return log(pab / (pa * pb)) / -log(pab)
        }
    }
}
