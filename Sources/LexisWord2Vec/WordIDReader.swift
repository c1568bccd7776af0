// A training thread's corpus range as word ids, read from the text once and replayed after.
import LexisText
import LexisVocab

/// A worker's corpus range as in-vocabulary word ids (before subsampling), one segment at a time.
///
/// The first epoch reads and tokenizes the text and, while the ids fit in `limit`, keeps them
/// with the segment boundaries; later epochs replay them from memory, segment by segment, so
/// training sees exactly what reading the text again would give. Reading, tokenizing and looking
/// up words took 15-18% of a CBOW epoch on enwiki (perf); the ids cost 4 bytes per word.
final class WordIDReader {
    let reader: CorpusReader
    let tokenizer: Tokenizer
    let vocabulary: Vocabulary
    /// Most ids kept for replay (0: every epoch reads the text).
    let limit: Int
    /// The recorded range so far, or only the current segment's ids when not recording.
    private let ids = TokenQueue()
    /// Where each recorded segment ends in `ids`, and whether it ends its line.
    private var segmentEnds: [Int] = []
    private var segmentEndsLine: [Bool] = []
    /// The epoch being read keeps its ids (none was given up on).
    private var recording: Bool
    /// A whole range is recorded: epochs replay it.
    private var replaying = false
    /// The epoch being read reached the end of the range.
    private var readToEnd = false
    /// The next segment to replay.
    private var nextSegment = 0

    init(reader: CorpusReader, tokenizer: Tokenizer, vocabulary: Vocabulary, limit: Int) {
        self.reader = reader
        self.tokenizer = tokenizer
        self.vocabulary = vocabulary
        self.limit = limit
        recording = limit > 0
    }

    /// Bytes of ids held for replay (0 when the epochs read the text).
    var keptBytes: Int { replaying ? ids.count * MemoryLayout<Int32>.size : 0 }

    /// Back to the start of the range: replay when the last epoch read all of it into memory.
    func rewind() throws(LexisError) {
        if recording && readToEnd { replaying = true }
        nextSegment = 0
        if replaying { return }
        try reader.rewind()
        readToEnd = false
        ids.removeAll()
        segmentEnds.removeAll(keepingCapacity: true)
        segmentEndsLine.removeAll(keepingCapacity: true)
    }

    /// The next segment's word ids and whether it ends its line; nil after the range's last one.
    func next() throws(LexisError) -> (ids: UnsafeBufferPointer<Int32>, endsLine: Bool)? {
        if replaying {
            guard nextSegment < segmentEnds.count else { return nil }
            let start = nextSegment == 0 ? 0 : segmentEnds[nextSegment - 1]
            defer { nextSegment += 1 }
            return (ids.slice(start, segmentEnds[nextSegment]), segmentEndsLine[nextSegment])
        }
        guard let segment = try reader.next() else {
            readToEnd = true
            return nil
        }
        if !recording { ids.removeAll() }
        let start = ids.count
        tokenizer.forEachToken(in: segment.bytes) { token, _ in
            let id = vocabulary.id(bytes: token)
            if id >= 0 { ids.append(id) }
        }
        if recording && ids.count > limit {
            // Too large to keep: this and later epochs read the text.
            recording = false
            ids.keepLast(ids.count - start)
            segmentEnds = []
            segmentEndsLine = []
        }
        if !recording { return (ids.slice(0, ids.count), segment.endsLine) }
        segmentEnds.append(ids.count)
        segmentEndsLine.append(segment.endsLine)
        return (ids.slice(start, ids.count), segment.endsLine)
    }
}

/// Word ids in a buffer that grows as needed, consumed from the front: a deterministic worker's
/// kept ids of its current segment, or a ``WordIDReader``'s recorded range.
final class TokenQueue {
    private var ids: UnsafeMutablePointer<Int32>
    private var capacity = 4096
    private var start = 0
    private var end = 0

    init() { ids = .allocate(capacity: capacity) }
    deinit { ids.deallocate() }

    var isEmpty: Bool { start == end }
    var count: Int { end - start }
    var next: UnsafePointer<Int32> { UnsafePointer(ids + start) }

    @inline(__always)
    func append(_ id: Int32) {
        if end == capacity { resize(capacity * 2) }
        ids[end] = id
        end &+= 1
    }

    func drop(_ n: Int) { start += n }
    func removeAll() { start = 0; end = 0 }

    /// The ids `from..<to`, counted from the front.
    func slice(_ from: Int, _ to: Int) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: ids + start + from, count: to - from)
    }

    /// Keeps only the last `n` ids, in a buffer no larger than needed.
    func keepLast(_ n: Int) {
        start = end - n
        resize(max(4096, n))
    }

    private func resize(_ newCapacity: Int) {
        let other = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
        other.moveInitialize(from: ids + start, count: end - start)
        ids.deallocate()
        ids = other
        capacity = newCapacity
        end -= start
        start = 0
    }
}
