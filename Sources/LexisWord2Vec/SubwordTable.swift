// Each vocabulary word's input rows for subword training, computed once before training: the
// word's own row, then V + bucket for each of its n-grams in fastText's order. Flat arrays, so the
// training loop hashes nothing and allocates nothing.
import LexisVectors
import LexisVocab

/// The input rows of every vocabulary word of a subword model, as flat arrays.
final class SubwordTable: @unchecked Sendable {  // read-only after init
    /// Row lists: word `w`'s rows are `rows[offsets[w] ..< offsets[w + 1]]`.
    let offsets: UnsafeMutablePointer<Int32>
    let rows: UnsafeMutablePointer<Int32>
    /// The longest row list (sizes the CBOW buffer of a window's rows).
    let maximumRows: Int

    init(vocabulary: Vocabulary, hashing: SubwordHashing) {
        let words = vocabulary.count
        var flat: [Int32] = []
        flat.reserveCapacity(words * 12)
        var starts: [Int32] = [0]
        starts.reserveCapacity(words + 1)
        var longest = 1
        for (id, token) in vocabulary.tokens.enumerated() {
            let start = flat.count
            flat.append(Int32(id))
            var token = token
            token.withUTF8 { bytes in hashing.forEachBucket(of: bytes) { flat.append(Int32(words) + $0) } }
            longest = max(longest, flat.count - start)
            starts.append(Int32(flat.count))
        }
        offsets = .allocate(capacity: starts.count)
        offsets.initialize(from: starts, count: starts.count)
        rows = .allocate(capacity: max(flat.count, 1))
        rows.initialize(from: flat, count: flat.count)
        maximumRows = longest
    }

    deinit {
        offsets.deallocate()
        rows.deallocate()
    }

    @inline(__always) func start(_ word: Int32) -> Int { Int(offsets[Int(word)]) }
    @inline(__always) func end(_ word: Int32) -> Int { Int(offsets[Int(word) + 1]) }
}
