// The n-gram half of a subword (fastText) model: fastText's input matrix, word rows first, then
// one row per hash bucket. A word's vector is the mean of its own row and its n-grams' rows; an
// unknown word's vector is the mean of its n-grams' rows (fastText's getWordVector: the rows summed
// in order in Float, then multiplied by Float(1 / n), so the results match fastText bit for bit).
//
// The matrix is memory-mapped where the file allows: rows of a fastText .bin start at whatever
// offset its dictionary ends at, so they are read with unaligned loads; a .lexis n-gram section is
// 64-byte aligned.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CKernels
import Dispatch
import LexisText

/// The character n-gram rows of a subword (fastText) model and the rule that hashes words into
/// them: what builds a vector for any word.
///
/// The input matrix is fastText's: ``wordCount`` word rows (in the order of
/// `WordVectors/words`), then ``SubwordHashing/buckets`` n-gram rows, all of ``dimension`` floats.
public final class SubwordModel: @unchecked Sendable {  // immutable after init
    /// How words are cut into n-grams and hashed.
    public let hashing: SubwordHashing
    /// Floats per row.
    public let dimension: Int
    /// Word rows before the bucket rows.
    public let wordCount: Int
    /// The first byte of row 0; row `i` starts `i * dimension * 4` bytes later (maybe unaligned).
    let rows: UnsafeRawPointer
    /// Whether every row is 4-byte aligned (then rows are read in place).
    let aligned: Bool
    /// Keeps the memory of `rows` alive: a mapped file or owned storage.
    let owner: AnyObject

    /// Rows in the input matrix: words, then buckets.
    public var rowCount: Int { wordCount + hashing.buckets }

    init(hashing: SubwordHashing, dimension: Int, wordCount: Int, rows: UnsafeRawPointer, owner: AnyObject) {
        self.hashing = hashing
        self.dimension = dimension
        self.wordCount = wordCount
        self.rows = rows
        aligned = Int(bitPattern: rows) % MemoryLayout<Float>.alignment == 0
        self.owner = owner
    }

    /// A model over a copy of `input`, row-major `(wordCount + buckets) x dimension`.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when the sizes do not match or a value is not finite.
    public convenience init(hashing: SubwordHashing, dimension: Int, wordCount: Int,
                            input: UnsafeBufferPointer<Float>) throws(LexisError) {
        let rowCount = wordCount + hashing.buckets
        guard dimension > 0, rowCount.multipliedReportingOverflow(by: dimension) == (input.count, false) else {
            throw .invalidArgument("a subword matrix of \(rowCount) rows x \(dimension) needs \(rowCount * dimension) values, got \(input.count)")
        }
        if let bad = firstNonFinite(input) {
            throw .invalidArgument("row \(bad / dimension) of the subword matrix contains \(input[bad]); training diverged (try a lower learning rate)")
        }
        let storage = MatrixStorage(copying: input)
        self.init(hashing: hashing, dimension: dimension, wordCount: wordCount, rows: UnsafeRawPointer(storage.base), owner: storage)
    }

    /// A model over a copy of the rows `row(0) ..< row(wordCount + buckets)`, each `dimension` floats
    /// (a trainer's padded matrix, copied without an intermediate array). `copied(r)` is told, every
    /// 4,096 rows and at the end, that the rows below `r` are copied (a trainer can free them).
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when a value is not finite.
    public convenience init(hashing: SubwordHashing, dimension: Int, wordCount: Int,
                            copyingRows row: (Int) -> UnsafePointer<Float>,
                            copied: ((Int) -> Void)? = nil) throws(LexisError) {
        let rowCount = wordCount + hashing.buckets
        let storage = MatrixStorage(capacity: rowCount * dimension)
        let out = storage.mutableBase
        defer { copied?(rowCount) }
        for r in 0..<rowCount {
            if r % 4096 == 0 { copied?(r) }
            let source = row(r)
            for j in 0..<dimension {
                guard source[j].isFinite else {
                    throw .invalidArgument("row \(r) of the subword matrix contains \(source[j]); training diverged (try a lower learning rate)")
                }
                out[r * dimension + j] = source[j]
            }
        }
        self.init(hashing: hashing, dimension: dimension, wordCount: wordCount, rows: UnsafeRawPointer(storage.base), owner: storage)
    }

    /// Adds input row `row` to `sum`, in order (as fastText's addRowToVector).
    @inline(__always)
    func addRow(_ row: Int, to sum: UnsafeMutablePointer<Float>) {
        let start = rows + row * dimension * 4
        if aligned {
            let p = start.assumingMemoryBound(to: Float.self)
            for j in 0..<dimension { sum[j] += p[j] }
        } else {
            for j in 0..<dimension { sum[j] += start.loadUnaligned(fromByteOffset: 4 * j, as: Float.self) }
        }
    }

    /// The mean of `wordRow` (when given) and the rows of the n-grams of `word`, into `out`.
    /// Returns how many rows were averaged (0 leaves `out` zero).
    @discardableResult
    func meanVector(word: UnsafeBufferPointer<UInt8>, wordRow: Int?, into out: UnsafeMutablePointer<Float>) -> Int {
        out.initialize(repeating: 0, count: dimension)
        var n = 0
        if let wordRow { addRow(wordRow, to: out); n = 1 }
        let base = wordCount
        hashing.forEachBucket(of: word) { bucket in
            addRow(base + Int(bucket), to: out)
            n += 1
        }
        if n > 0 {
            let scale = Float(1.0 / Double(n))
            for j in 0..<dimension { out[j] *= scale }
        }
        return n
    }

    /// The vector of a word outside the vocabulary: the mean of its n-gram rows, as fastText's
    /// get_word_vector gives it. Nil when the word has no n-gram (fastText's vector is zero then).
    public func vector(forUnknown word: String) -> [Float]? {
        var word = word
        return word.withUTF8 { bytes in
            var result = [Float](repeating: 0, count: dimension)
            let n = result.withUnsafeMutableBufferPointer { meanVector(word: bytes, wordRow: nil, into: $0.baseAddress!) }
            return n > 0 ? result : nil
        }
    }

    /// The raw input row `row` (a word's own row or, from ``wordCount`` on, a bucket's).
    public func inputRow(_ row: Int) -> [Float] {
        precondition(row >= 0 && row < rowCount, "row \(row) out of range 0..<\(rowCount)")
        var result = [Float](repeating: 0, count: dimension)
        result.withUnsafeMutableBufferPointer { addRow(row, to: $0.baseAddress!) }
        return result
    }

    /// Calls `body` with the whole input matrix, row-major, as contiguous Float32 bytes.
    func withInputBytes<R>(_ body: (UnsafeRawBufferPointer) throws(LexisError) -> R) throws(LexisError) -> R {
        try body(UnsafeRawBufferPointer(start: rows, count: rowCount * dimension * 4))
    }

    /// Every vocabulary word's vector (its row and its n-grams' rows averaged), row-major, in
    /// threads: what the search rows of a loaded subword model are.
    func wordVectors(words: [String]) -> MatrixStorage {
        let d = dimension
        let storage = MatrixStorage(capacity: words.count * d)
        // Each thread writes its own rows; the address travels as an integer (pointers are not Sendable).
        let address = Int(bitPattern: storage.mutableBase)
        let chunks = max(1, min(defaultThreadCount, words.count / 1024))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let out = UnsafeMutablePointer<Float>(bitPattern: address)!
            let start = words.count * chunk / chunks, end = words.count * (chunk + 1) / chunks
            for row in start..<end {
                var word = words[row]
                word.withUTF8 { _ = meanVector(word: $0, wordRow: row, into: out + row * d) }
            }
        }
        return storage
    }
}
