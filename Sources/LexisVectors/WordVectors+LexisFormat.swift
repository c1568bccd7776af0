// The `.lexis` vector format: memory-mapped on load, nothing parsed but the words.
// All integers little-endian.
//   0  "LEXISVEC"                   8 bytes
//   8  version                      UInt32 (1; 2 when the n-gram section is present)
//  12  flags                        UInt32 (bit 0: counts present; bit 1: n-gram section, version 2)
//  16  count                        UInt64
//  24  dimension                    UInt64
//  32  matrix offset                UInt64 (a multiple of 64)
//  40  words offset                 UInt64
//  48  words length in bytes        UInt64
//  56  counts offset                UInt64 (0 without counts; a multiple of 8)
//  64  tokenizer settings length    UInt32 (0: none), then the settings (UTF-8, TokenizerOptions.description)
//      ... zero padding ...
//  matrix offset: count x dimension Float32, row-major
//  words offset: per word a UInt32 byte length and the UTF-8 bytes
//  counts offset: count x Int64
//  n-gram section (version 2, flag bit 1), at the first multiple of 64 after the words (or counts):
//      "LEXISSUB" 8 bytes, minn UInt32, maxn UInt32, buckets UInt64, word rows UInt64 (= count),
//      dimension UInt64, zero padding to 64 bytes; then fastText's input matrix: (count + buckets) x
//      dimension Float32, the words' own rows first, then one row per bucket (SubwordModel)
// Files without n-grams are still written as version 1, so that older Lexis versions read them;
// version 1 readers refuse version 2 files rather than drop their n-grams silently.
// Values are not re-checked on load (the writer only holds finite ones): checking would touch every page.
// For the same reason this format keeps its own layout instead of the framing of model files
// (FramedFile), whose whole-file checksum would read every page at load; it shares ByteWriter.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LexisText

let lexisFormatVersion: UInt32 = 2
let lexisSubwordMagic: [UInt8] = Array("LEXISSUB".utf8)

extension WordVectors {
    // MARK: - Load

    static func loadLexis(_ file: MappedFile) throws(LexisError) -> WordVectors {
        let path = file.path
        let size = file.size
        func corrupt(_ problem: String) -> LexisError {
            .malformed(path: path, line: nil, problem: problem, fix: "The file is truncated or damaged; write it again with lexis convert or save")
        }
        guard size >= 68, let raw = file.base else { throw corrupt("the file is too short for a .lexis header (\(size) bytes)") }
        guard file.bytes[0..<8].elementsEqual(lexisMagic) else {
            throw .malformed(path: path, line: nil, problem: "not a .lexis vector file (no LEXISVEC magic)",
                             fix: "Leave out --format to detect the format from the file")
        }
        func u32(_ offset: Int) -> UInt32 { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
        func u64(_ offset: Int) -> Int? {
            let value = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            return value <= UInt64(Int.max / 8) ? Int(value) : nil
        }
        let version = u32(8)
        guard version <= lexisFormatVersion else {
            throw .malformed(path: path, line: nil, problem: "written by a newer Lexis (format version \(version), this one reads \(lexisFormatVersion))",
                             fix: "Upgrade lexis, or export the vectors to word2vec format with the newer version")
        }
        guard version >= 1 else { throw corrupt("format version 0 is not valid") }
        let hasCounts = u32(12) & 1 != 0
        guard let count = u64(16), let d = u64(24), let matrixOffset = u64(32), let wordsOffset = u64(40),
              let wordsLength = u64(48), let countsOffset = u64(56) else { throw corrupt("the header holds impossible sizes") }
        guard count > 0, d > 0 else { throw corrupt("the header says \(count) words of dimension \(d)") }
        let (floats, overflow1) = count.multipliedReportingOverflow(by: d)
        let (matrixBytes, overflow2) = floats.multipliedReportingOverflow(by: 4)
        guard !overflow1, !overflow2, matrixOffset % 64 == 0, matrixOffset >= 68, matrixOffset <= size,
              matrixBytes <= size - matrixOffset else {
            throw corrupt("the file ends inside the \(count) x \(d) matrix (\(size) bytes)")
        }
        guard wordsOffset >= matrixOffset + matrixBytes, wordsOffset <= size, wordsLength <= size - wordsOffset else {
            throw corrupt("the file ends inside the word list")
        }
        if hasCounts {
            guard countsOffset % 8 == 0, countsOffset >= wordsOffset + wordsLength, countsOffset <= size,
                  count <= (size - countsOffset) / 8 else { throw corrupt("the file ends inside the word counts") }
        }
        // Tokenizer settings.
        let settingsLength = Int(u32(64))
        guard settingsLength <= matrixOffset - 68 else { throw corrupt("the tokenizer settings overrun the header") }
        var tokenizer: TokenizerOptions? = nil
        if settingsLength > 0 {
            let settings = String(decoding: UnsafeRawBufferPointer(start: raw + 68, count: settingsLength), as: UTF8.self)
            do {
                tokenizer = try TokenizerOptions(settings: settings)
            } catch {
                throw .malformed(path: path, line: nil, problem: "its tokenizer settings cannot be read (\(error))",
                                 fix: "Upgrade lexis if a newer version wrote the file")
            }
        }
        // Words.
        var words: [String] = []
        words.reserveCapacity(count)
        let index = ByteStringTable(minimumCapacity: count)
        let wordBytes = (raw + wordsOffset).assumingMemoryBound(to: UInt8.self)
        var at = 0
        for row in 0..<count {
            guard wordsLength - at >= 4 else { throw corrupt("the word list ends after \(row) of \(count) words") }
            let length = Int(UInt32(littleEndian: (raw + wordsOffset + at).loadUnaligned(as: UInt32.self)))
            at += 4
            guard length > 0, length <= wordsLength - at else { throw corrupt("word \(row + 1) has a bad length") }
            let word = String(decoding: UnsafeBufferPointer(start: wordBytes + at, count: length), as: UTF8.self)
            at += length
            words.append(word)
            if let first = index.insertUnlessPresent(word, value: Int64(row)) {
                throw corrupt("the word '\(word)' appears twice (rows \(first + 1) and \(row + 1))")
            }
        }
        var counts: [Int64]? = nil
        if hasCounts {
            counts = [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
                memcpy(buffer.baseAddress!, raw + countsOffset, 8 * count)
                initialized = count
            }
            #if _endian(big)
            counts = counts!.map { Int64(littleEndian: $0) }
            #endif
        }
        var subwords: SubwordModel? = nil
        if version >= 2 && u32(12) & 2 != 0 {
            let end = hasCounts ? countsOffset + 8 * count : wordsOffset + wordsLength
            let start = (end + 63) / 64 * 64
            guard start <= size - 64, file.bytes[start..<start + 8].elementsEqual(lexisSubwordMagic) else {
                throw corrupt("the n-gram section is missing")
            }
            let minn = Int(u32(start + 8)), maxn = Int(u32(start + 12))
            guard let buckets = u64(start + 16), let wordRows = u64(start + 24), let dimension = u64(start + 32),
                  wordRows == count, dimension == d else { throw corrupt("the n-gram section's header does not match the vectors") }
            let hashing: SubwordHashing
            do { hashing = try SubwordHashing(minn: minn, maxn: maxn, buckets: buckets) } catch {
                throw corrupt("the n-gram section holds impossible settings (\(error))")
            }
            let (cells, overflow3) = (count + buckets).multipliedReportingOverflow(by: d)
            guard !overflow3, cells <= (size - start - 64) / 4 else { throw corrupt("the file ends inside the n-gram matrix") }
            subwords = SubwordModel(hashing: hashing, dimension: d, wordCount: count, rows: raw + start + 64, owner: file)
        }
        let storage = MatrixStorage(mapping: file, offset: matrixOffset, count: floats)
        return try WordVectors(words: words, dimension: d, storage: storage, counts: counts, tokenizer: tokenizer,
                               index: index, checkValues: false, subwords: subwords)
    }

    // MARK: - Save

    func writeLexis(to writer: AtomicFileWriter) throws(LexisError) {
        let settings = tokenizer.map { Array($0.description.utf8) } ?? []
        let matrixOffset = (68 + settings.count + 63) / 64 * 64
        let matrixBytes = count * dimension * 4
        let wordsOffset = matrixOffset + matrixBytes
        let wordsLength = words.reduce(0) { $0 + 4 + $1.utf8.count }
        let countsOffset = counts == nil ? 0 : (wordsOffset + wordsLength + 7) / 8 * 8

        var header = ByteWriter()
        header.append(bytes: lexisMagic)
        header.append(subwords == nil ? UInt32(1) : lexisFormatVersion)
        header.append(UInt32(counts == nil ? 0 : 1) | UInt32(subwords == nil ? 0 : 2))
        for field in [count, dimension, matrixOffset, wordsOffset, wordsLength, countsOffset] { header.append(UInt64(field)) }
        header.append(UInt32(settings.count))
        header.append(bytes: settings)
        try writer.write(header.bytes)
        try writer.pad(toMultipleOf: 64)
        precondition(writer.bytesWritten == matrixOffset)
        #if _endian(big)
        #error("the .lexis writer assumes a little-endian machine")
        #endif
        try writer.write(UnsafeRawBufferPointer(storage.buffer))
        var block = ByteWriter()
        for word in words {
            block.append(word)   // UInt32 length, UTF-8 bytes
            if block.bytes.count >= 1 << 16 {
                try writer.write(block.bytes)
                block = ByteWriter()
            }
        }
        try writer.write(block.bytes)
        if let counts {
            try writer.pad(toMultipleOf: 8)
            precondition(writer.bytesWritten == countsOffset)
            let bytes = counts.withUnsafeBytes { Array($0) }
            try writer.write(bytes)
        }
        if let subwords {
            try writer.pad(toMultipleOf: 64)
            var section = ByteWriter()
            section.append(bytes: lexisSubwordMagic)
            section.append(UInt32(subwords.hashing.minn))
            section.append(UInt32(subwords.hashing.maxn))
            for field in [subwords.hashing.buckets, count, dimension] { section.append(UInt64(field)) }
            try writer.write(section.bytes)
            try writer.pad(toMultipleOf: 64)
            try subwords.withInputBytes { (bytes) throws(LexisError) in try writer.write(bytes) }
        }
    }
}
