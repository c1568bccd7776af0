// The user dictionary: words the tokenizer keeps whole on top of ICU's segmentation, in every
// script (names ICU's modern-Chinese dictionary splits, such as 玄德; terms such as c++). The words
// travel inside `TokenizerOptions`, so every file that records the tokenizer records them too.
//
// Matching (in `Tokenizer`): inside each run that goes to ICU, at every character, the longest
// dictionary word that starts there is taken, and ICU breaks only the text between matches. In
// scripts written with spaces a match must not start or end inside a word ("ice" never splits
// "iced"); in Chinese, Japanese, Thai and other scripts written without spaces it may. Matching
// is on the text as written, before NFKC; with case folding, ASCII letters match either case.

/// Loading and checking user-dictionary words (`--dictionary words.txt`, one word per line).
public enum UserDictionary {
    /// Reads a dictionary file: UTF-8, one word per line; blank lines and lines starting with `#`
    /// are skipped. Words come back sorted, without duplicates.
    ///
    /// - Throws: ``LexisError/cannotRead(path:reason:)``, or ``LexisError/malformed(path:line:problem:fix:)``
    ///   for invalid UTF-8, a word with white space inside, or one longer than
    ///   ``Tokenizer/maximumTokenBytes``; ``LexisError/invalidArgument(_:)`` for a file with no word.
    public static func load(path: String) throws(LexisError) -> [String] {
        let reader = try CorpusReader(corpus: try Corpus(paths: [path]))
        var words: [String] = []
        while let segment = try reader.next() {
            if reader.invalidBytes > 0 {
                throw .malformed(path: path, line: segment.line, problem: "invalid UTF-8",
                                 fix: "Save the dictionary as UTF-8 text, one word per line")
            }
            guard segment.endsLine else {
                throw .malformed(path: path, line: segment.line, problem: "the line is longer than a megabyte",
                                 fix: "Put one word per line")
            }
            let line = String(decoding: segment.bytes, as: UTF8.self)
            let word = line.trimmingASCIISpace()
            if word.isEmpty || word.hasPrefix("#") { continue }
            if let problem = problem(with: word) {
                throw .malformed(path: path, line: segment.line, problem: problem, fix: "Put one word per line")
            }
            words.append(word)
        }
        guard !words.isEmpty else {
            throw .invalidArgument("the dictionary \(path) has no word: put one word per line")
        }
        return normalized(words)
    }

    /// Sorted words without duplicates, the form ``TokenizerOptions/dictionary`` holds.
    public static func normalized(_ words: [String]) -> [String] {
        Array(Set(words)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Why `word` cannot be a dictionary word, or nil when it can.
    public static func problem(with word: String) -> String? {
        if word.isEmpty { return "an empty word" }
        if word.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            return "'\(word)' has white space inside (a dictionary word is one token; multi-word units are phrases: lexis phrases build)"
        }
        if word.utf8.count > Tokenizer.maximumTokenBytes {
            return "a word longer than \(Tokenizer.maximumTokenBytes) bytes"
        }
        return nil
    }

    /// The words as one settings value: comma-separated, with `%` and `,` percent-escaped.
    static func encode(_ words: [String]) -> String {
        words.map { $0.replacingOccurrences("%", "%25").replacingOccurrences(",", "%2C") }.joined(separator: ",")
    }

    /// Parses ``encode(_:)``'s form.
    static func decode(_ value: String) throws(LexisError) -> [String] {
        var words: [String] = []
        for part in value.split(separator: ",", omittingEmptySubsequences: false) {
            let word = String(part).replacingOccurrences("%2C", ",").replacingOccurrences("%25", "%")
            if let problem = problem(with: word) { throw .invalidArgument("bad tokenizer dictionary: \(problem)") }
            words.append(word)
        }
        return normalized(words)
    }
}

extension String {
    /// The string with every `target` replaced by `replacement` (Foundation-free).
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }

    /// The string without leading and trailing ASCII white space.
    package func trimmingASCIISpace() -> String {
        let bytes = Array(utf8)
        var start = 0, end = bytes.count
        while start < end && isASCIISpace(bytes[start]) { start += 1 }
        while end > start && isASCIISpace(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// The tokenizer's matcher over dictionary words: every prefix of every word (at character
/// boundaries) is a key, so that the longest match grows one character at a time and stops at
/// the first prefix no word has.
final class DictionaryMatcher {
    private static let isPrefix: Int64 = 1, isWord: Int64 = 2
    private let table = ByteStringTable(minimumCapacity: 1024)
    /// First bytes of words: most characters start no word and cost one load.
    private let firstByte: UnsafeMutablePointer<Bool>
    private let foldASCII: Bool
    private let scratch = ByteBuffer(capacity: 256)

    init(words: [String], foldASCII: Bool) {
        self.foldASCII = foldASCII
        firstByte = .allocate(capacity: 256)
        firstByte.initialize(repeating: false, count: 256)
        for word in words {
            var bytes = Array(word.utf8)
            if foldASCII { for i in bytes.indices where bytes[i] &- 65 < 26 { bytes[i] |= 0x20 } }
            firstByte[Int(bytes[0])] = true
            if foldASCII && bytes[0] &- 97 < 26 { firstByte[Int(bytes[0] & 0xDF)] = true }
            bytes.withUnsafeBufferPointer { b in
                var end = 0
                while end < b.count {
                    end += utf8Length(b[end])
                    let flag = end >= b.count ? Self.isWord : Self.isPrefix
                    let old = table.value(b.baseAddress!, min(end, b.count)) ?? 0
                    _ = table.insert(b.baseAddress!, min(end, b.count), value: old | flag)
                }
            }
        }
    }

    deinit { firstByte.deallocate() }

    /// Whether a word may start with byte `b`.
    @inline(__always) func mayStart(_ b: UInt8) -> Bool { firstByte[Int(b)] }

    /// The end of the longest dictionary word that starts at `p[i]` and ends by `end`, or nil.
    func longestMatch(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int? {
        scratch.count = 0
        var j = i
        var best: Int?
        while j < end {
            let n = min(utf8Length(p[j]), end - j)
            for k in 0..<n {
                let b = p[j + k]
                scratch.append(foldASCII && b &- 65 < 26 ? b | 0x20 : b)
            }
            j += n
            guard let flags = table.value(scratch.base, scratch.count) else { break }
            if flags & Self.isWord != 0 { best = j }
            if flags & Self.isPrefix == 0 { break }
        }
        return best
    }
}

/// The byte length of the UTF-8 character that starts with `b` (1 for a stray continuation byte).
@inline(__always) func utf8Length(_ b: UInt8) -> Int {
    b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
}
