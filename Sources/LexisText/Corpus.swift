// Corpora: one or many files, directories (every file below, sorted) or stdin ("-"), read as one
// byte stream in bounded memory. A corpus can be cut into N byte ranges for N worker threads, as
// word2vec.c does; each range starts and ends at a token boundary, so every token of the corpus
// belongs to exactly one range.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A list of input files read as one byte stream: files, directories (every file below, sorted) or
/// stdin (`"-"`).
///
/// A seekable corpus can be cut into byte ranges for worker threads with ``ranges(_:)``; read a
/// range with ``CorpusReader``.
public struct Corpus: Sendable {
    /// Files in reading order; "-" is stdin.
    public let files: [String]
    /// Sizes of the files, nil for stdin and pipes.
    public let sizes: [Int?]

    /// Expands directories and checks that every file can be opened.
    ///
    /// - Parameter paths: Files, directories, or `"-"` for stdin, in reading order.
    /// - Throws: ``LexisError/invalidArgument(_:)`` when `paths` is empty,
    ///   ``LexisError/cannotRead(path:reason:)`` when a file cannot be opened or a directory is empty.
    public init(paths: [String]) throws(LexisError) {
        guard !paths.isEmpty else { throw .invalidArgument("no corpus given: name one or more files, a directory, or - for stdin") }
        var files: [String] = []
        for path in paths {
            if path == "-" {
                files.append(path)
            } else if FileIO.isDirectory(path) {
                let inside = try FileIO.listFiles(in: path)
                if inside.isEmpty { throw .cannotRead(path: path, reason: "the directory has no files") }
                files += inside
            } else {
                let fd = open(path, O_RDONLY)
                guard fd >= 0 else { throw .cannotRead(path: path, reason: errnoText()) }
                close(fd)
                files.append(path)
            }
        }
        self.files = files
        sizes = files.map { $0 == "-" ? nil : FileIO.size(of: $0) }
    }

    /// Total bytes, or nil when a part has no known size (stdin, a pipe).
    public var totalBytes: Int? {
        var total = 0
        for size in sizes {
            guard let size else { return nil }
            total += size
        }
        return total
    }

    /// Whether the corpus can be read more than once and cut into ranges.
    public var isSeekable: Bool { totalBytes != nil }

    /// Cuts the corpus into `count` ranges of about equal size, each starting at a token
    /// boundary (or a line start). A corpus that cannot seek (stdin) gives a single range.
    ///
    /// - Parameters:
    ///   - count: The number of ranges wanted (usually the thread count); fewer come back for a
    ///     corpus with fewer bytes than that.
    ///   - atLineStarts: Start every range at the start of a line, so that no line is split
    ///     between two ranges (per-line counts stay exact).
    /// - Returns: Contiguous ranges that together cover the whole corpus.
    /// - Throws: ``LexisError/cannotRead(path:reason:)`` when a file cannot be read to find a boundary.
    public func ranges(_ count: Int, atLineStarts: Bool = false) throws(LexisError) -> [CorpusRange] {
        guard let total = totalBytes else { return [CorpusRange(start: 0, end: Int.max)] }
        let n = max(1, min(count, max(1, total)))
        var starts: [Int] = [0]
        for k in 1..<max(n, 1) where n > 1 {
            starts.append(try tokenBoundary(atOrAfter: total * k / n, lineStart: atLineStarts))
        }
        starts.append(total)
        var result: [CorpusRange] = []
        for k in 0..<n {
            result.append(CorpusRange(start: starts[k], end: max(starts[k], starts[k + 1])))
        }
        return result
    }

    /// The first position p >= offset where p starts a file or follows an ASCII white-space byte
    /// (a line feed, with `lineStart`).
    func tokenBoundary(atOrAfter offset: Int, lineStart: Bool = false) throws(LexisError) -> Int {
        var fileStart = 0
        for (index, size) in sizes.enumerated() {
            let size = size ?? 0
            if offset >= fileStart + size { fileStart += size; continue }
            let local = offset - fileStart
            if local == 0 { return offset }
            let fd = open(files[index], O_RDONLY)
            guard fd >= 0 else { throw .cannotRead(path: files[index], reason: errnoText()) }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var position = local - 1
            while position < size {
                let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(position)) }
                if n <= 0 { break }
                for i in 0..<n where lineStart ? buffer[i] == 0x0A : isASCIISpace(buffer[i]) {
                    return fileStart + position + i + 1
                }
                position += n
            }
            return fileStart + size
        }
        return offset
    }
}

/// Global byte offsets [start, end) over the concatenated files of a corpus.
public struct CorpusRange: Sendable, Equatable {
    /// First byte of the range.
    public let start: Int
    /// One past the last byte of the range; `Int.max` for a corpus of unknown size.
    public let end: Int
    /// Creates the range `[start, end)`.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }
}

@inline(__always) func isASCIISpace(_ b: UInt8) -> Bool {
    b == 0x20 || (b >= 0x09 && b <= 0x0D)
}

/// A piece of a line: a whole line, or a part of a line too long for the buffer (cut at white
/// space where there is some). Bytes are valid UTF-8 and valid until the next `next()` call.
public struct CorpusSegment {
    /// The segment's bytes, without the line terminator (`\n` or `\r\n`).
    public let bytes: UnsafeBufferPointer<UInt8>
    /// True when the segment ends its line (false for the leading parts of an over-long line).
    public let endsLine: Bool
    /// The file the segment came from.
    public let file: String
    /// 1-based line number, counted from the start of the reader's range.
    public let line: Int
}

/// Streams one range of a corpus as segments, in memory bounded by `chunkSize`.
public final class CorpusReader {
    /// The corpus being read.
    public let corpus: Corpus
    /// The byte range this reader covers.
    public let range: CorpusRange
    private let chunkSize: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var low = 0, high = 0
    @exclusivity(unchecked) private var fileIndex = 0
    /// Global offset of the current file's first byte.
    @exclusivity(unchecked) private var fileStart = 0
    @exclusivity(unchecked) private var fd: Int32 = -1
    /// Bytes of the current file still to read for this range.
    @exclusivity(unchecked) private var fileRemaining = 0
    @exclusivity(unchecked) private var fileDone = true
    @exclusivity(unchecked) private var line = 1
    @exclusivity(unchecked) private var sanitizer = UTF8Sanitizer()

    /// Raw bytes consumed so far (for progress).
    @exclusivity(unchecked) public private(set) var bytesRead = 0
    /// Invalid UTF-8 bytes replaced by U+FFFD so far (not reset by ``rewind()``).
    public var invalidBytes: Int { sanitizer.replacedBytes }

    /// Opens a reader at the start of `range`.
    ///
    /// - Parameters:
    ///   - corpus: The corpus to read.
    ///   - range: The part to read; `nil` reads the whole corpus.
    ///   - chunkSize: Read-buffer size in bytes (at least 64). Lines longer than this come out as
    ///     several segments.
    /// - Throws: ``LexisError/cannotRead(path:reason:)`` when the first file cannot be opened.
    public init(corpus: Corpus, range: CorpusRange? = nil, chunkSize: Int = 1 << 20) throws(LexisError) {
        self.corpus = corpus
        self.range = range ?? CorpusRange(start: 0, end: corpus.totalBytes ?? Int.max)
        self.chunkSize = max(chunkSize, 64)
        buffer = .allocate(capacity: self.chunkSize)
        try rewind()
    }

    deinit {
        if fd > 0 { close(fd) }
        buffer.deallocate()
    }

    /// Path of the file being read, or `""` past the last file.
    public var currentFile: String { fileIndex < corpus.files.count ? corpus.files[fileIndex] : "" }

    /// Goes back to the start of the range (stdin cannot).
    ///
    /// - Throws: ``LexisError/cannotRead(path:reason:)`` when the first file cannot be reopened.
    public func rewind() throws(LexisError) {
        if fd > 0 { close(fd) }
        fd = -1
        low = 0; high = 0; bytesRead = 0; line = 1
        fileDone = true
        // Find the first file holding bytes at or after range.start.
        fileStart = 0
        fileIndex = 0
        while fileIndex < corpus.files.count {
            guard let size = corpus.sizes[fileIndex] else { break }  // stdin or a pipe: read it all
            if range.start < fileStart + size { break }
            fileStart += size
            fileIndex += 1
        }
        if fileIndex < corpus.files.count { try openFile(skip: max(0, range.start - fileStart)) }
    }

    private func openFile(skip: Int) throws(LexisError) {
        let path = corpus.files[fileIndex]
        line = 1
        if path == "-" {
            fd = 0
            fileRemaining = Int.max
        } else {
            fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw .cannotRead(path: path, reason: errnoText()) }
            if skip > 0 { lseek(fd, off_t(skip), SEEK_SET) }
            if let size = corpus.sizes[fileIndex] {
                let rangeEnd = range.end == Int.max ? Int.max : range.end - fileStart
                fileRemaining = max(0, min(size, rangeEnd) - skip)
            } else {
                fileRemaining = Int.max  // a pipe or FIFO
            }
        }
        fileDone = fileRemaining == 0
    }

    /// Moves to the next file of the range; false at the end of the range.
    private func advanceFile() throws(LexisError) -> Bool {
        if fd > 0 { close(fd) }
        fd = -1
        guard fileIndex < corpus.files.count else { return false }
        fileStart += corpus.sizes[fileIndex] ?? 0
        fileIndex += 1
        guard fileIndex < corpus.files.count, fileStart < range.end else { return false }
        try openFile(skip: 0)
        return true
    }

    /// The next segment, or nil at the end of the range.
    ///
    /// - Throws: ``LexisError/cannotRead(path:reason:)`` when a file cannot be opened or read.
    public func next() throws(LexisError) -> CorpusSegment? {
        while true {
            if low < high {
                let available = high - low
                if let nl = memchr(buffer + low, 0x0A, available) {
                    let end = UnsafeMutablePointer<UInt8>(nl.assumingMemoryBound(to: UInt8.self)) - buffer
                    var segmentEnd = end
                    if segmentEnd > low && buffer[segmentEnd - 1] == 0x0D { segmentEnd -= 1 }
                    let segment = makeSegment(low, segmentEnd, endsLine: true)
                    low = end + 1
                    line += 1
                    return segment
                }
                if fileDone {
                    let segment = makeSegment(low, high, endsLine: true)
                    low = high
                    line += 1
                    return segment
                }
                if low == 0 && high == chunkSize {
                    return cutLongLine()
                }
            }
            if fileDone {
                if !(try advanceFile()) { return nil }
                continue
            }
            try fill()
        }
    }

    /// A line longer than the buffer: emit up to its last white space, or, if it has none, up to
    /// a character boundary, and keep the rest for the next segment.
    private func cutLongLine() -> CorpusSegment {
        var cut = high
        while cut > low && !isASCIISpace(buffer[cut - 1]) { cut -= 1 }
        if cut > low {
            let segment = makeSegment(low, cut - 1, endsLine: false)
            low = cut
            return segment
        }
        // No white space at all: cut before the last character if it is incomplete.
        cut = high
        var k = high - 1
        var steps = 0
        while k > low && buffer[k] & 0xC0 == 0x80 && steps < 3 { k -= 1; steps += 1 }
        if buffer[k] >= 0xC0 {
            let needed = buffer[k] >= 0xF0 ? 4 : buffer[k] >= 0xE0 ? 3 : 2
            if high - k < needed { cut = k }
        }
        if cut <= low { cut = high }
        let segment = makeSegment(low, cut, endsLine: false)
        low = cut
        return segment
    }

    private func makeSegment(_ from: Int, _ to: Int, endsLine: Bool) -> CorpusSegment {
        let raw = UnsafeBufferPointer(start: buffer + from, count: to - from)
        return CorpusSegment(bytes: sanitizer.sanitize(raw), endsLine: endsLine,
                             file: currentFile, line: line)
    }

    private func fill() throws(LexisError) {
        if low > 0 {
            if high > low { memmove(buffer, buffer + low, high - low) }
            high -= low
            low = 0
        }
        let want = min(chunkSize - high, fileRemaining)
        if want == 0 { fileDone = true; return }
        let n = read(fd, buffer + high, want)
        if n < 0 {
            if errno == EINTR { return }
            throw .cannotRead(path: currentFile, reason: errnoText())
        }
        if n == 0 { fileDone = true; return }
        high += n
        bytesRead += n
        if fileRemaining != Int.max { fileRemaining -= n }
        if fileRemaining == 0 { fileDone = true }
    }
}
