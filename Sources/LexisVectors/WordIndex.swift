// Word -> row lookup: an open-addressing table of rows keyed by a hash of the word's UTF-8 bytes.
// Swift's Dictionary<String, Int> hashed 100k words in about two thirds of a `.lexis` load;
// this FNV-1a byte hash is several times cheaper. Words match byte for byte (like gensim's Python
// strings), not by Unicode canonical equivalence as String == would.

struct WordIndex: Sendable {
    private var slots: [Int]      // a row, or -1 for empty
    private let mask: Int

    init(expectedCount: Int) {
        var size = 16
        while size < 2 * expectedCount { size <<= 1 }
        slots = [Int](repeating: -1, count: size)
        mask = size - 1
    }

    /// Records `row` for `word` unless the same word is already present; then returns that row
    /// and records nothing. `words[row]` must be the words inserted so far.
    mutating func insert(_ word: String, row: Int, words: [String]) -> Int? {
        var slot = Int(truncatingIfNeeded: wordHash(word)) & mask
        while slots[slot] >= 0 {
            if sameBytes(words[slots[slot]], word) { return slots[slot] }
            slot = (slot + 1) & mask
        }
        slots[slot] = row
        return nil
    }

    func row(of word: String, in words: [String]) -> Int? {
        var slot = Int(truncatingIfNeeded: wordHash(word)) & mask
        while slots[slot] >= 0 {
            if sameBytes(words[slots[slot]], word) { return slots[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }
}

@inline(__always)
private func sameBytes(_ a: String, _ b: String) -> Bool {
    a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
}

/// FNV-1a over the UTF-8 bytes, then a final mix so the low bits (the slot) depend on every byte.
@inline(__always)
func wordHash(_ word: String) -> UInt64 {
    var word = word
    return word.withUTF8 { bytes in
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        return h ^ (h >> 32)
    }
}
