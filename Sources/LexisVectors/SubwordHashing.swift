// fastText's character n-grams, hashed into buckets exactly as fastText does (dictionary.cc:
// `hash` and `computeSubwords`), so that models interoperate: the same word gets the same bucket
// ids here, in fastText and in gensim's FastText.
//
// - A word is wrapped as "<word>" ('<' and '>' inside the word are ordinary characters).
// - n-grams are runs of minn...maxn UTF-8 characters (a character is a lead byte and its
//   continuation bytes 10xxxxxx; invalid UTF-8 is cut the same way fastText cuts it).
// - A 1-character n-gram that is the leading '<' or the trailing '>' is left out; the whole "<word>"
//   is an n-gram like any other when it has at most maxn characters.
// - The hash is 32-bit FNV-1a over the bytes, but each byte is first sign-extended (fastText XORs
//   `uint32_t(int8_t(c))`), so bytes >= 0x80 flip the top 24 bits too; bucket = hash % buckets.
// - fastText's end-of-sentence token "</s>" has no n-grams.
import LexisText

/// How a subword model cuts words into character n-grams and hashes them into buckets, exactly as
/// fastText does.
///
/// ```swift
/// let hashing = try SubwordHashing(minn: 3, maxn: 6, buckets: 2_000_000)
/// hashing.ngrams(of: "cat")        // ["<ca", "<cat", "<cat>", "cat", "cat>", "at>"]
/// hashing.bucketIDs(of: "cat")     // fastText's bucket of each, same order
/// ```
public struct SubwordHashing: Sendable, Equatable {
    /// Shortest n-gram, in characters (at least 1).
    public let minn: Int
    /// Longest n-gram, in characters (at least `minn`).
    public let maxn: Int
    /// Number of hash buckets (rows of the n-gram matrix).
    public let buckets: Int

    /// fastText's end-of-sentence token, which gets no n-grams.
    public static let endOfSentence = "</s>"

    /// - Throws: `LexisError/invalidArgument(_:)` unless `1 <= minn <= maxn <= 100` and
    ///   `1 <= buckets <= 2^31 - 1`.
    public init(minn: Int, maxn: Int, buckets: Int) throws(LexisError) {
        guard minn >= 1 else { throw .invalidArgument("--minn must be at least 1 for subwords (0 turns them off), got \(minn)") }
        guard maxn >= minn && maxn <= 100 else {
            throw .invalidArgument("--maxn must be between --minn (\(minn)) and 100, got \(maxn)")
        }
        guard buckets >= 1 && buckets <= Int(Int32.max) else {
            throw .invalidArgument("--buckets must be between 1 and \(Int32.max), got \(buckets)")
        }
        self.minn = minn
        self.maxn = maxn
        self.buckets = buckets
    }

    /// fastText's hash of some bytes: FNV-1a 32 with each byte sign-extended first.
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for byte in bytes { h = step(h, byte) }
        return h
    }

    @inline(__always)
    static func step(_ h: UInt32, _ byte: UInt8) -> UInt32 {
        (h ^ UInt32(bitPattern: Int32(Int8(bitPattern: byte)))) &* 16_777_619
    }

    /// Calls `body` with the bucket of every n-gram of "<word>", in fastText's order (by start
    /// character, then by length). No n-grams for "</s>". Allocates nothing.
    @inline(__always)
    public func forEachBucket(of word: UnsafeBufferPointer<UInt8>, _ body: (Int32) -> Void) {
        forEachNgram(of: word) { _, _, h in body(Int32(h % UInt32(buckets))) }
    }

    /// Calls `body(start, end, hash)` for every n-gram of "<word>": byte positions in the wrapped
    /// word (0 is '<', word.count + 1 is '>') and the n-gram's fastText hash.
    @inline(__always)
    func forEachNgram(of word: UnsafeBufferPointer<UInt8>, _ body: (Int, Int, UInt32) -> Void) {
        if Self.isEndOfSentence(word) { return }
        let length = word.count + 2
        @inline(__always) func byte(_ k: Int) -> UInt8 {
            k == 0 ? 60 : (k == length - 1 ? 62 : word[k - 1])   // '<' word '>'
        }
        var i = 0
        while i < length {
            if byte(i) & 0xC0 == 0x80 { i += 1; continue }
            var h: UInt32 = 2_166_136_261
            var j = i
            var n = 1
            while j < length && n <= maxn {
                h = Self.step(h, byte(j))
                j += 1
                while j < length && byte(j) & 0xC0 == 0x80 {
                    h = Self.step(h, byte(j))
                    j += 1
                }
                if n >= minn && !(n == 1 && (i == 0 || j == length)) { body(i, j, h) }
                n += 1
            }
            i += 1
        }
    }

    static func isEndOfSentence(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        word.count == 4 && word[0] == 60 && word[1] == 47 && word[2] == 115 && word[3] == 62
    }

    /// The buckets of the n-grams of "<word>", in fastText's order.
    public func bucketIDs(of word: String) -> [Int32] {
        var word = word
        return word.withUTF8 { bytes in
            var ids: [Int32] = []
            forEachBucket(of: bytes) { ids.append($0) }
            return ids
        }
    }

    /// The n-grams of "<word>" as strings, in the order of ``bucketIDs(of:)`` (for display and
    /// tests; invalid UTF-8 pieces are repaired).
    public func ngrams(of word: String) -> [String] {
        var word = word
        return word.withUTF8 { bytes in
            let wrapped = [60] + Array(bytes) + [62]
            var grams: [String] = []
            forEachNgram(of: bytes) { start, end, _ in grams.append(String(decoding: wrapped[start..<end], as: UTF8.self)) }
            return grams
        }
    }
}
