// word2vec.c interchange formats, as gensim, word2vec.c and fastText (.vec) write them.
//   binary: "V D\n", then per word: the word, a space, D little-endian Float32, "\n".
//   text:   "V D\n" (optional: GloVe has none), then "word v1 ... vD\n".
// Text values are written in the shortest form that reads back to the same Float (Swift's
// `description`), so text round trips are exact, bit for bit.
// Like gensim, a word seen twice keeps its first vector, and leading newlines before a binary
// word are skipped (word2vec.c writes one after each vector, gensim does not).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LexisText

struct Word2VecHeader {
    var count: Int
    var dimension: Int
    /// Offset just after the header's line end.
    var end: Int
}

/// The `V D` first line, or nil when the first line is not two non-negative integers.
func parseHeader(_ bytes: UnsafeBufferPointer<UInt8>) -> Word2VecHeader? {
    var numbers: [Int] = []
    var i = 0
    let limit = min(bytes.count, 200)
    while i < limit && bytes[i] != 10 {
        if bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 13 { i += 1; continue }
        var value = 0
        var sawDigit = false
        while i < limit, bytes[i] &- 48 < 10 {
            sawDigit = true
            if value > Int.max / 100 { return nil }
            value = value * 10 + Int(bytes[i] &- 48)
            i += 1
        }
        guard sawDigit, i < limit, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 13 || bytes[i] == 10 else { return nil }
        numbers.append(value)
    }
    guard numbers.count == 2, i < bytes.count, bytes[i] == 10 else { return nil }
    return Word2VecHeader(count: numbers[0], dimension: numbers[1], end: i + 1)
}

extension WordVectors {
    // MARK: - Binary

    static func loadWord2VecBinary(_ file: MappedFile) throws(LexisError) -> WordVectors {
        let path = file.path
        let bytes = file.bytes
        guard let header = parseHeader(bytes) else {
            throw .malformed(path: path, line: 1, problem: "the first line is not a 'count dimension' header",
                             fix: "Is this a word2vec binary file? For GloVe text use --format text")
        }
        let (count, d) = (header.count, header.dimension)
        try checkHeader(header, path: path, minimumBytesPerRow: 4 * header.dimension + 2, fileSize: bytes.count)
        let base = bytes.baseAddress!
        let end = bytes.count
        var words: [String] = []
        words.reserveCapacity(count)
        let index = ByteStringTable(minimumCapacity: count)
        var i = header.end
        let storage = MatrixStorage(capacity: count * d)
        let memory = storage.mutableBase
        for row in 0..<count {
            while i < end && (base[i] == 10 || base[i] == 13) { i += 1 }
            let wordStart = i
            while i < end && base[i] != 32 {
                if base[i] == 10 {
                    throw .malformed(path: path, line: nil,
                        problem: "the word of vector \(row + 1) contains a line break, so the file is corrupt or the header's dimension \(d) is wrong",
                        fix: "If this is a text file, load it with --format text")
                }
                i += 1
            }
            guard i < end, i + 1 + 4 * d <= end else {
                throw .malformed(path: path, line: nil,
                    problem: "the file ends inside vector \(row + 1) of \(count) (the header says \(count) x \(d))",
                    fix: "The file is truncated or its header is wrong; write it again")
            }
            let word = String(decoding: UnsafeBufferPointer(start: base + wordStart, count: i - wordStart), as: UTF8.self)
            let target = memory + words.count * d
            memcpy(target, base + i + 1, 4 * d)
            i += 1 + 4 * d
            if let bad = firstNonFinite(UnsafeBufferPointer(start: target, count: d)) {
                throw .malformed(path: path, line: nil,
                    problem: "the vector of '\(word)' (number \(row + 1)) contains \(target[bad])",
                    fix: "The vectors are broken (training diverged?); train them again")
            }
            // gensim keeps the first of a repeated word.
            guard !word.isEmpty, index.insertUnlessPresent(word, value: Int64(words.count)) == nil else { continue }
            words.append(word)
        }
        while i < end && (base[i] == 10 || base[i] == 13 || base[i] == 32) { i += 1 }
        if i < end {
            throw .malformed(path: path, line: nil,
                problem: "\(end - i) bytes are left after the \(count) vectors the header announces",
                fix: "The header's count or dimension is wrong; write the file again")
        }
        storage.count = words.count * d
        return try WordVectors(words: words, dimension: d, storage: storage, counts: nil, tokenizer: nil,
                               index: index, checkValues: false)
    }

    private static func checkHeader(_ header: Word2VecHeader, path: String, minimumBytesPerRow: Int,
                                    fileSize: Int) throws(LexisError) {
        guard header.count > 0 else {
            throw .malformed(path: path, line: 1, problem: "the header says the file holds no vectors",
                             fix: "Train or export the vectors again")
        }
        guard header.dimension > 0 else {
            throw .malformed(path: path, line: 1, problem: "the header gives dimension 0",
                             fix: "Train or export the vectors again")
        }
        let (needed, overflow) = header.count.multipliedReportingOverflow(by: minimumBytesPerRow)
        guard !overflow, needed <= fileSize - header.end + 1 else {
            throw .malformed(path: path, line: 1,
                             problem: "the header promises \(header.count) vectors of dimension \(header.dimension), more than the \(fileSize) bytes can hold",
                             fix: "The file is truncated or its header is wrong; write it again")
        }
    }

    // MARK: - Text

    static func loadWord2VecText(_ file: MappedFile) throws(LexisError) -> WordVectors {
        let path = file.path
        let bytes = file.bytes
        let base = bytes.baseAddress!
        let end = bytes.count
        var i = 0
        var line = 1
        var expected: Int
        var d: Int
        let hasHeader: Bool
        if let header = parseHeader(bytes) {
            hasHeader = true
            try checkHeader(header, path: path, minimumBytesPerRow: header.dimension + 1, fileSize: end)
            (expected, d, i) = (header.count, header.dimension, header.end)
            line = 2
        } else {
            // GloVe: no header; the dimension is the first line's number count, one word per line.
            hasHeader = false
            var lineEnd = 0
            while lineEnd < end && base[lineEnd] != 10 { lineEnd += 1 }
            d = bytes[0..<lineEnd].split(whereSeparator: { $0 == 32 || $0 == 9 || $0 == 13 }).count - 1
            guard d > 0 else {
                throw .malformed(path: path, line: 1, problem: "the first line has no numbers after the word",
                                           fix: "Text vectors need 'word v1 ... vD' lines, optionally after a 'count dimension' header")
            }
            expected = 0
            var at = base
            while let newline = memchr(at, 10, end - (at - base)) {
                expected += 1
                at = UnsafePointer(newline.assumingMemoryBound(to: UInt8.self)) + 1
            }
            if base[end - 1] != 10 { expected += 1 }
        }
        var words: [String] = []
        words.reserveCapacity(expected)
        let index = ByteStringTable(minimumCapacity: expected)
        var rows = 0
        let storage = MatrixStorage(capacity: expected * d)
        let memory = storage.mutableBase
        while rows < expected {
            // Blank lines (a trailing one at the end of the file, say) are skipped.
            while i < end && (base[i] == 32 || base[i] == 9 || base[i] == 13 || base[i] == 10) {
                if base[i] == 10 { line += 1 }
                i += 1
            }
            if i >= end { break }
            let wordStart = i
            while i < end && base[i] != 32 && base[i] != 9 && base[i] != 10 && base[i] != 13 { i += 1 }
            let word = String(decoding: UnsafeBufferPointer(start: base + wordStart, count: i - wordStart), as: UTF8.self)
            let target = memory + words.count * d
            for k in 0..<d {
                while i < end && (base[i] == 32 || base[i] == 9) { i += 1 }
                guard i < end && base[i] != 10 && base[i] != 13 else {
                    throw .malformed(path: path, line: line,
                        problem: "'\(word)' has \(k) values but the dimension is \(d)",
                        fix: "Every line needs the word and exactly \(d) numbers; the file is truncated or mixes dimensions")
                }
                let numberStart = i
                guard let value = parseFloat(base, &i, end) else {
                    var tokenEnd = numberStart
                    while tokenEnd < end && !isSeparator(base[tokenEnd]) && tokenEnd - numberStart < 40 { tokenEnd += 1 }
                    let token = String(decoding: UnsafeBufferPointer(start: base + numberStart, count: tokenEnd - numberStart), as: UTF8.self)
                    throw .malformed(path: path, line: line, problem: "'\(token)' is not a number",
                        fix: "Every line needs the word and \(d) numbers; is this a binary file? Try --format bin")
                }
                guard value.isFinite else {
                    throw .malformed(path: path, line: line, problem: "the vector of '\(word)' contains \(value)",
                        fix: "The vectors are broken (training diverged?); train them again")
                }
                target[k] = value
            }
            while i < end && (base[i] == 32 || base[i] == 9 || base[i] == 13) { i += 1 }
            if i < end && base[i] != 10 {
                throw .malformed(path: path, line: line, problem: "'\(word)' has more than \(d) values",
                    fix: "Every line needs the word and exactly \(d) numbers (the dimension comes from the header or the first line)")
            }
            rows += 1
            guard index.insertUnlessPresent(word, value: Int64(words.count)) == nil else { continue }   // gensim keeps the first
            words.append(word)
        }
        if hasHeader && rows < expected {
            throw .malformed(path: path, line: line,
                problem: "the header promises \(expected) vectors but the file ends after \(rows)",
                fix: "The file is truncated or its header is wrong; write it again")
        }
        guard !words.isEmpty else {
            throw .malformed(path: path, line: nil, problem: "the file holds no vectors", fix: "Give a file with at least one word")
        }
        storage.count = words.count * d
        return try WordVectors(words: words, dimension: d, storage: storage, counts: nil, tokenizer: nil,
                               index: index, checkValues: false)
    }

    // MARK: - Writing

    func writeWord2Vec(to writer: AtomicFileWriter, binary: Bool) throws(LexisError) {
        for word in words where word.utf8.contains(where: { $0 == 32 || $0 == 10 || $0 == 9 || $0 == 13 }) {
            throw .invalidArgument("cannot write '\(word)' to a word2vec file: words there cannot contain spaces or line breaks (use the .lexis format)")
        }
        try writer.write("\(count) \(dimension)\n")
        var line: [UInt8] = []
        line.reserveCapacity(binary ? 64 + 4 * dimension : 64 + 14 * dimension)
        for (row, word) in words.enumerated() {
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: word.utf8)
            let values = UnsafeBufferPointer(start: storage.base + row * dimension, count: dimension)
            if binary {
                line.append(32)
                line.append(contentsOf: UnsafeRawBufferPointer(values))
            } else {
                for value in values {
                    line.append(32)
                    line.append(contentsOf: value.description.utf8)
                }
            }
            line.append(10)
            try writer.write(line)
        }
    }
}
