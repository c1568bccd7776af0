// Counts tokens over a corpus with one hash table per thread, each over its own byte range,
// merged at the end. When a table grows past its limit, rare types are pruned as word2vec.c does
// (drop counts below a threshold that rises by one each time), and the caller is told.
import Dispatch
import LexisText

/// Counts the tokens of a corpus and keeps the frequent ones as a ``Vocabulary``.
///
/// Each thread counts its own byte range of the corpus in its own ``ByteStringTable``; the tables
/// are merged at the end. When a table holds more than ``pruneLimit`` types, rare types are
/// pruned as word2vec.c does (counts below a threshold that rises by one each time), so counts of
/// rare tokens can come out low; ``Report/prunedBelow`` says whether that happened.
public struct VocabularyBuilder: Sendable {
    /// How the corpus is tokenized; recorded in the vocabulary.
    public var tokenizer: TokenizerOptions
    /// Tokens seen fewer times are left out.
    public var minCount: Int64
    /// Keep at most this many tokens (the most frequent), nil for no limit.
    public var maxSize: Int?
    /// Worker threads; a corpus that cannot seek (stdin) is read by one.
    public var threads: Int
    /// Special tokens the vocabulary gets. With ``SpecialTokens/endOfSentence`` every line that has
    /// a token counts one `<eos>`, which is kept whatever ``minCount`` says.
    public var specialTokens: SpecialTokens = []
    /// Distinct types one thread may hold before pruning rare ones.
    ///
    /// Values under 1000 count as 1000.
    public var pruneLimit: Int
    /// Bytes all threads' tables may hold together (slots, keys, counts) before rare types are
    /// pruned, nil for no limit beyond ``pruneLimit``. Each thread keeps to its share, with room
    /// left for the merge; the process also holds the read buffers (1 MB a thread) besides.
    public var memoryLimit: Int?

    /// Creates a builder: by default `minCount` 5 (word2vec.c's), no size limit, one thread per
    /// online core and a prune limit of 10 million types per thread.
    public init(tokenizer: TokenizerOptions = TokenizerOptions(), minCount: Int64 = 5, maxSize: Int? = nil,
                threads: Int = defaultThreadCount, pruneLimit: Int = 10_000_000) {
        self.tokenizer = tokenizer
        self.minCount = minCount
        self.maxSize = maxSize
        self.threads = threads
        self.pruneLimit = pruneLimit
    }

    /// What happened while counting.
    public struct Report: Sendable {
        /// Tokens read, before min-count and pruning.
        public var corpusTokens: Int64 = 0
        /// Distinct tokens after counting (and any pruning), before min-count and max-size.
        public var distinctTypes = 0
        /// Lines with at least one token.
        public var linesWithTokens: Int64 = 0
        /// Invalid UTF-8 bytes replaced by U+FFFD.
        public var invalidBytes = 0
        /// Corpus bytes read.
        public var bytes = 0
        /// Highest pruning threshold used (0 when no pruning happened).
        public var prunedBelow: Int64 = 0

        /// What users should know when pruning happened (nil when it did not): counts are then
        /// approximate.
        public var approximationNote: String? {
            guard prunedBelow > 0 else { return nil }
            return "note: counts are approximate: to stay within the count table's limit, types seen fewer than \(prunedBelow) "
                + "times so far were dropped while counting (word2vec.c's ReduceVocab), so counts up to about that are low and a "
                + "type may miss a --min-count it would reach. Raise the limit (--max-vocab-memory) for exact counts"
        }
    }

    /// Progress reported while counting. Events come from worker threads.
    public enum Event: Sendable {
        /// Bytes read so far by all threads.
        case progress(bytes: Int)
        /// A table hit `pruneLimit`; types with counts below `below` were dropped.
        case pruned(below: Int64, typesBefore: Int, typesAfter: Int)
    }

    /// Counts every token of the corpus (no min-count applied), merged over threads.
    ///
    /// - Parameter onEvent: Called with progress and pruning events, from worker threads.
    /// - Returns: Every counted token with its count, and a report.
    /// - Throws: `LexisError` when the corpus cannot be read or the tokenizer cannot be made.
    public func count(_ corpus: Corpus, onEvent: (@Sendable (Event) -> Void)? = nil) throws(LexisError)
        -> (ByteStringTable, Report)
    {
        // `<eos>` counts lines: then ranges start at line starts, so that no line is counted by two
        // threads. Otherwise at any white space (text8 is one 100 MB line).
        let ranges = try corpus.ranges(corpus.isSeekable ? max(1, threads) : 1,
                                       atLineStarts: specialTokens.contains(.endOfSentence))
        let n = ranges.count
        let shared = SharedProgress(count: n)
        let results = ThreadResults<(ByteStringTable, Report)>(count: n)
        let options = tokenizer
        let limit = max(1000, pruneLimit)
        // 0.4: a table being pruned holds its old and its new storage for a moment, and all
        // threads may prune at once (a share of 0.7 overshot a 1 GB limit by 10%, measured).
        let bytesLimit = memoryLimit.map { Int(Double($0) * 0.4) / n } ?? Int.max
        DispatchQueue.concurrentPerform(iterations: n) { t in
            do {
                let tokenizer = try Tokenizer(options: options)
                let reader = try CorpusReader(corpus: corpus, range: ranges[t])
                // An empty table of 64k keys takes 1 MB of slots: less under a small memory limit,
                // or the first segment would already prune.
                let table = ByteStringTable(minimumCapacity: min(1 << 16, bytesLimit / 64))
                var report = Report()
                var tokens: Int64 = 0, lines: Int64 = 0
                var minimumKept: Int64 = 1
                var segments = 0
                var lineStartTokens: Int64 = 0
                while let segment = try reader.next() {
                    tokenizer.forEachToken(in: segment.bytes) { token, _ in
                        table.add(token.baseAddress!, token.count)
                        tokens += 1
                    }
                    if segment.endsLine {
                        if tokens > lineStartTokens { lines += 1 }
                        lineStartTokens = tokens
                    }
                    if table.count > limit || table.memoryBytes > bytesLimit {
                        let before = table.count
                        minimumKept += 1
                        table.removeAll(below: minimumKept)
                        report.prunedBelow = minimumKept
                        onEvent?(.pruned(below: minimumKept, typesBefore: before, typesAfter: table.count))
                    }
                    segments += 1
                    if segments & 255 == 0 {
                        shared.set(t, reader.bytesRead)
                        if t == 0 { onEvent?(.progress(bytes: shared.total)) }
                    }
                }
                shared.set(t, reader.bytesRead)
                report.corpusTokens = tokens
                report.linesWithTokens = lines
                report.invalidBytes = reader.invalidBytes
                report.bytes = reader.bytesRead
                results.set(t, .success((table, report)))
            } catch {
                results.set(t, .failure(error))
            }
        }
        var merged: ByteStringTable?
        var report = Report()
        for t in 0..<n {
            let (table, part) = try results.get(t)
            report.corpusTokens += part.corpusTokens
            report.linesWithTokens += part.linesWithTokens
            report.invalidBytes += part.invalidBytes
            report.bytes += part.bytes
            report.prunedBelow = max(report.prunedBelow, part.prunedBelow)
            if let merged { merged.merge(table) } else { merged = table }
        }
        onEvent?(.progress(bytes: report.bytes))
        let table = merged ?? ByteStringTable()
        if specialTokens.contains(.endOfSentence) && report.linesWithTokens > 0 {
            table.add(SpecialTokens.endOfSentenceToken, report.linesWithTokens)
        }
        report.distinctTypes = table.count
        return (table, report)
    }

    /// Counts the corpus and keeps tokens with count >= minCount, at most maxSize of them,
    /// ordered by count descending and then by token bytes; special tokens the corpus does not
    /// hold come last.
    ///
    /// - Parameter onEvent: Called with progress and pruning events, from worker threads.
    /// - Returns: The vocabulary (possibly empty) and a report of the counting.
    /// - Throws: `LexisError` when the corpus cannot be read or the tokenizer cannot be made.
    public func build(_ corpus: Corpus, onEvent: (@Sendable (Event) -> Void)? = nil) throws(LexisError)
        -> (Vocabulary, Report)
    {
        let (table, report) = try count(corpus, onEvent: onEvent)
        return (try vocabulary(from: table), report)
    }

    /// The error for a build that kept no token, saying why: the corpus had no token at all, or
    /// none as frequent as ``minCount``.
    public func emptyVocabularyError(_ report: Report, corpus: String) -> LexisError {
        if report.corpusTokens == 0 {
            return .emptyVocabulary("Empty vocabulary: \(corpus) has no tokens (\(report.bytes) bytes read; tokens longer than "
                + "\(Tokenizer.maximumTokenBytes) bytes are dropped). Is it text, tokenized as --tokenizer expects?")
        }
        return .emptyVocabulary("Empty vocabulary: no token of \(corpus) occurs \(minCount) times (\(report.corpusTokens) tokens, "
            + "\(report.distinctTypes) types). Try a smaller --min-count")
    }

    /// Applies min-count, ordering and max-size to counted tokens.
    ///
    /// - Parameter table: Token counts, as from ``count(_:onEvent:)``.
    public func vocabulary(from table: ByteStringTable) throws(LexisError) -> Vocabulary {
        var entries: [(key: [UInt8], count: Int64)] = []
        entries.reserveCapacity(table.count)
        let endOfSentence = specialTokens.contains(.endOfSentence) ? Array(SpecialTokens.endOfSentenceToken.utf8) : nil
        table.forEach { key, value in
            if value >= minCount || (endOfSentence.map { key.elementsEqual($0) } ?? false) {
                entries.append((Array(key), value))
            }
        }
        entries.sort { a, b in
            a.count != b.count ? a.count > b.count : a.key.lexicographicallyPrecedes(b.key)
        }
        if let maxSize, entries.count > maxSize { entries.removeLast(entries.count - maxSize) }
        return try Vocabulary(tokens: entries.map { String(decoding: $0.key, as: UTF8.self) },
                              counts: entries.map(\.count), tokenizer: tokenizer, specialTokens: specialTokens)
    }
}
