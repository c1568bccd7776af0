// A vocabulary of words, each with a dense Float vector: what word2vec, gensim, word2vec.c and
// fastText produce. Rows are stored row-major (`count x dimension`); the unit-normalized copy used
// by searches is computed once, on first use.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels
import LexisText

/// Words with dense Float vectors, as word2vec, gensim, fastText and GloVe produce them: load,
/// query, evaluate and save.
///
/// Rows are stored row-major (`count x dimension`); the unit-normalized copy that searches use is
/// computed once, on first use. A `WordVectors` is immutable and can be queried from several
/// threads at once.
///
/// ```swift
/// let vectors = try WordVectors.load(path: "vectors.bin")
/// let close = vectors.neighbors(for: "king", maximumCount: 5) ?? []
/// let answer = vectors.analogy(a: "man", b: "king", c: "woman")?.first?.word
/// try vectors.save(to: "vectors.lexis")
/// ```
public final class WordVectors: @unchecked Sendable {
    /// The words in file order (for trained vectors: most frequent first).
    public let words: [String]
    /// Floats per vector.
    public let dimension: Int
    /// Corpus counts per word where the file records them (`.lexis` files from the trainer).
    public let counts: [Int64]?
    /// The tokenizer settings the vectors were trained with, where the file records them.
    public let tokenizer: TokenizerOptions?
    /// The character n-grams of a subword (fastText) model, which give any word a vector; nil for
    /// plain word vectors. Rows of the matrix are then each word's full vector (its own row and its
    /// n-grams averaged), as fastText's get_word_vector gives them.
    public let subwords: SubwordModel?

    let storage: MatrixStorage
    let wordIndex: ByteStringTable
    private let normalizedLock = Lock()
    private var normalizedStorage: MatrixStorage?
    #if !(os(macOS) && arch(x86_64))
    private var halfStorage: UnsafeMutablePointer<Float16>?
    #endif

    /// The number of words.
    public var count: Int { words.count }

    /// Vectors from memory. `vectors` is row-major, `words.count x dimension`.
    ///
    /// - Parameters:
    ///   - words: Distinct, non-empty words; row `i` is `words[i]`.
    ///   - dimension: Floats per vector, at least 1.
    ///   - vectors: `words.count * dimension` finite values, row-major; they are copied.
    ///   - counts: Corpus counts, one per word, if known.
    ///   - tokenizer: The tokenizer settings the vectors were trained with, if known.
    ///   - subwords: The n-gram model of a subword model (its ``SubwordModel/wordCount`` equal to
    ///     `words.count`), if any.
    /// - Throws: `LexisError/emptyVocabulary(_:)` when `words` is empty,
    ///   `LexisError/invalidArgument(_:)` when the sizes do not match or a word is empty, duplicated
    ///   or has a non-finite value.
    public convenience init(words: [String], dimension: Int, vectors: [Float], counts: [Int64]? = nil,
                            tokenizer: TokenizerOptions? = nil, subwords: SubwordModel? = nil) throws(LexisError) {
        guard dimension > 0 else { throw .invalidArgument("word vectors need a dimension of at least 1, got \(dimension)") }
        guard words.count.multipliedReportingOverflow(by: dimension) == (vectors.count, false) else {
            throw .invalidArgument("\(words.count) words of dimension \(dimension) need \(words.count * dimension) values, got \(vectors.count)")
        }
        let storage = vectors.withUnsafeBufferPointer { MatrixStorage(copying: $0) }
        try self.init(words: words, dimension: dimension, storage: storage, counts: counts, tokenizer: tokenizer,
                      subwords: subwords)
    }

    /// Checks everything user data could get wrong; loaders report file positions before this.
    /// `index`, when a loader already built it, maps every word to its row.
    init(words: [String], dimension: Int, storage: MatrixStorage, counts: [Int64]?,
         tokenizer: TokenizerOptions?, index prebuilt: ByteStringTable? = nil, checkValues: Bool = true,
         subwords: SubwordModel? = nil) throws(LexisError) {
        guard !words.isEmpty else { throw .emptyVocabulary("word vectors need at least one word") }
        if let subwords, subwords.wordCount != words.count || subwords.dimension != dimension {
            throw .invalidArgument("the subword model has \(subwords.wordCount) word rows of dimension \(subwords.dimension), "
                + "the vectors \(words.count) words of dimension \(dimension)")
        }
        precondition(storage.count == words.count * dimension, "storage does not match words x dimension")
        if let counts, counts.count != words.count {
            throw .invalidArgument("\(words.count) words but \(counts.count) counts")
        }
        let index: ByteStringTable
        if let prebuilt {
            index = prebuilt
        } else {
            index = ByteStringTable(minimumCapacity: words.count)
            for (i, word) in words.enumerated() {
                guard !word.isEmpty else { throw .invalidArgument("word \(i + 1) is empty") }
                if let first = index.insertUnlessPresent(word, value: Int64(i)) {
                    throw .invalidArgument("the word '\(word)' appears twice (rows \(first + 1) and \(i + 1))")
                }
            }
        }
        if checkValues, let bad = firstNonFinite(storage.buffer) {
            throw .invalidArgument("the vector of '\(words[bad / dimension])' contains \(storage.buffer[bad]); "
                + "training diverged (try a lower learning rate)")
        }
        self.words = words
        self.dimension = dimension
        self.storage = storage
        self.counts = counts
        self.tokenizer = tokenizer
        self.subwords = subwords
        wordIndex = index
    }

    // MARK: - Lookup

    /// The word's row; words match byte for byte.
    public func index(of word: String) -> Int? { wordIndex.value(for: word).map { Int($0) } }

    /// Whether `word` has a vector (byte-for-byte match).
    public func contains(_ word: String) -> Bool { index(of: word) != nil }

    /// The raw (not normalized) vector of a word. For a word outside the vocabulary of a subword
    /// model, the vector its character n-grams give (see ``lookup(_:)``, which says which); nil
    /// when the word is unknown and there are no n-grams to build it from.
    public func vector(for word: String) -> [Float]? {
        guard let row = index(of: word) else { return subwords?.vector(forUnknown: word) }
        return vector(at: row)
    }

    /// The raw (not normalized) vector of row `row`.
    ///
    /// - Precondition: `0 <= row < count`.
    public func vector(at row: Int) -> [Float] {
        precondition(row >= 0 && row < count, "row \(row) out of range 0..<\(count)")
        return Array(UnsafeBufferPointer(start: storage.base + row * dimension, count: dimension))
    }

    /// The raw matrix, row-major `count x dimension`.
    /// The buffer is valid only during the call to `body`.
    public func withUnsafeMatrix<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(storage.buffer)
    }

    // MARK: - Normalized rows

    /// Unit-length rows (zero rows stay zero), computed on first use and kept.
    var normalized: UnsafePointer<Float> {
        normalizedLock.withLock {
            if let normalizedStorage { return normalizedStorage.base }
            let d = dimension
            let made = MatrixStorage(capacity: count * d)
            let memory = made.mutableBase
            for row in 0..<count {
                let source = storage.base + row * d
                let target = memory + row * d
                let norm = l2Norm(source, d)
                let scale: Float = norm > 0 ? 1 / norm : 0
                for j in 0..<d { target[j] = source[j] * scale }
            }
            normalizedStorage = made
            return made.base
        }
    }

    #if !(os(macOS) && arch(x86_64))
    /// The normalized rows in half precision, for the first pass of single-query search.
    var halfNormalized: UnsafePointer<Float16> {
        let n = normalized
        return normalizedLock.withLock {
            if let halfStorage { return UnsafePointer(halfStorage) }
            let total = count * dimension
            let memory = UnsafeMutablePointer<Float16>.allocate(capacity: max(total, 1))
            // The C kernel: with F16C one instruction per 8 or 16 values; Swift's Float16(x)
            // calls compiler-rt per value (22% of a first `lexis neighbors` on 68k words).
            memory.withMemoryRebound(to: UInt16.self, capacity: max(total, 1)) {
                lexis_kernels.floats_to_halves(n, total, $0)
            }
            halfStorage = memory
            return UnsafePointer(memory)
        }
    }
    #endif

    deinit {
        #if !(os(macOS) && arch(x86_64))
        halfStorage?.deallocate()
        #endif
    }

    /// The unit-normalized rows, row-major `count x dimension`.
    /// Zero rows stay zero. The buffer is valid only during the call to `body`.
    public func withUnsafeNormalizedMatrix<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: normalized, count: count * dimension))
    }
}

// MARK: - Helpers

func firstNonFinite(_ values: UnsafeBufferPointer<Float>) -> Int? {
    for i in values.indices where !values[i].isFinite { return i }
    return nil
}

/// A pthread mutex; Synchronization.Mutex would need macOS 15.
final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(mutex, nil) }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
