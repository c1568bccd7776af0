// Counts tokens over a corpus with one hash table per thread, each over its own byte range,
// merged at the end. When a table grows past its limit, rare types are pruned as word2vec.c does
// (drop counts below a threshold that rises by one each time), and the caller is told.
import Dispatch
import LexisText

public struct VocabularyBuilder: Sendable {
    public var tokenizer: TokenizerOptions
    /// Tokens seen fewer times are left out.
    public var minCount: Int64
    /// Keep at most this many tokens (the most frequent), nil for no limit.
    public var maxSize: Int?
    public var threads: Int
    /// Distinct types one thread may hold before pruning rare ones.
    public var pruneLimit: Int

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
        public var corpusTokens: Int64 = 0
        public var distinctTypes = 0
        public var invalidBytes = 0
        public var bytes = 0
        /// Highest pruning threshold used (0 when no pruning happened).
        public var prunedBelow: Int64 = 0
    }

    public enum Event: Sendable {
        /// Bytes read so far by all threads.
        case progress(bytes: Int)
        /// A table hit `pruneLimit`; types with counts below `below` were dropped.
        case pruned(below: Int64, typesBefore: Int, typesAfter: Int)
    }

    /// Counts every token of the corpus (no min-count applied), merged over threads.
    public func count(_ corpus: Corpus, onEvent: (@Sendable (Event) -> Void)? = nil) throws(LexisError)
        -> (ByteStringTable, Report)
    {
        let ranges = try corpus.ranges(corpus.isSeekable ? max(1, threads) : 1)
        let n = ranges.count
        let shared = SharedProgress(count: n)
        let results = ThreadResults<(ByteStringTable, Report)>(count: n)
        let options = tokenizer
        let limit = max(1000, pruneLimit)
        DispatchQueue.concurrentPerform(iterations: n) { t in
            do {
                let tokenizer = try Tokenizer(options: options)
                let reader = try CorpusReader(corpus: corpus, range: ranges[t])
                let table = ByteStringTable(minimumCapacity: 1 << 16)
                var report = Report()
                var tokens: Int64 = 0
                var minimumKept: Int64 = 1
                var segments = 0
                while let segment = try reader.next() {
                    tokenizer.forEachToken(in: segment.bytes) { token, _ in
                        table.add(token.baseAddress!, token.count)
                        tokens += 1
                    }
                    if table.count > limit {
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
            report.invalidBytes += part.invalidBytes
            report.bytes += part.bytes
            report.prunedBelow = max(report.prunedBelow, part.prunedBelow)
            if let merged { merged.merge(table) } else { merged = table }
        }
        onEvent?(.progress(bytes: report.bytes))
        let table = merged ?? ByteStringTable()
        report.distinctTypes = table.count
        return (table, report)
    }

    /// Counts the corpus and keeps tokens with count >= minCount, at most maxSize of them,
    /// ordered by count descending and then by token bytes.
    public func build(_ corpus: Corpus, onEvent: (@Sendable (Event) -> Void)? = nil) throws(LexisError)
        -> (Vocabulary, Report)
    {
        let (table, report) = try count(corpus, onEvent: onEvent)
        return (try vocabulary(from: table), report)
    }

    /// Applies min-count, ordering and max-size to counted tokens.
    public func vocabulary(from table: ByteStringTable) throws(LexisError) -> Vocabulary {
        var entries: [(key: [UInt8], count: Int64)] = []
        entries.reserveCapacity(table.count)
        table.forEach { key, value in
            if value >= minCount { entries.append((Array(key), value)) }
        }
        entries.sort { a, b in
            a.count != b.count ? a.count > b.count : a.key.lexicographicallyPrecedes(b.key)
        }
        if let maxSize, entries.count > maxSize { entries.removeLast(entries.count - maxSize) }
        return try Vocabulary(tokens: entries.map { String(decoding: $0.key, as: UTF8.self) },
                              counts: entries.map(\.count), tokenizer: tokenizer)
    }
}

/// Online cores, the default thread count.
public let defaultThreadCount: Int = {
    #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 2
    #endif
}()

/// Per-thread byte counters that any thread may sum for progress (benign racy reads of Ints).
public final class SharedProgress: @unchecked Sendable {
    private let values: UnsafeMutablePointer<Int>
    public let count: Int
    public init(count: Int) {
        self.count = count
        values = .allocate(capacity: count)
        values.initialize(repeating: 0, count: count)
    }
    deinit { values.deallocate() }
    public func set(_ index: Int, _ value: Int) { values[index] = value }
    public func add(_ index: Int, _ value: Int) { values[index] += value }
    public var total: Int { (0..<count).reduce(0) { $0 + values[$1] } }
    public func value(_ index: Int) -> Int { values[index] }
}

/// One result slot per worker thread; each thread writes only its own slot.
public final class ThreadResults<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Result<T, LexisError>?>
    private let count: Int
    public init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    public func set(_ index: Int, _ result: Result<T, any Error>) {
        switch result {
        case .success(let value): slots[index] = .success(value)
        case .failure(let error as LexisError): slots[index] = .failure(error)
        case .failure(let error): slots[index] = .failure(.invalidArgument("\(error)"))
        }
    }
    public func get(_ index: Int) throws(LexisError) -> T {
        switch slots[index] {
        case .success(let value)?: return value
        case .failure(let error)?: throw error
        case nil: throw .invalidArgument("worker thread \(index) produced no result")
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
