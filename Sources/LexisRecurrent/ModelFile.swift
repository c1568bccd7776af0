// The framing both model files (language models and classifiers) share:
//
//   magic (8 bytes) | version UInt32 LE | body (model-specific, length-prefixed sections)
//   parameter count UInt64 | Float32 LE values (the flat buffer)
//   checksum UInt64 (FNV-1a of every byte after the magic and version)
//
// Files are written to a temporary name and renamed into place.
import LexisTensor
import LexisText

enum ModelFile {
    // MARK: - Writing

    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
    }

    /// A UInt32 byte length, then the UTF-8 bytes.
    static func append(_ string: String, to bytes: inout [UInt8]) {
        append(UInt32(string.utf8.count), to: &bytes)
        bytes.append(contentsOf: string.utf8)
    }

    /// A UInt32 count, then each string length-prefixed.
    static func append(strings: [String], to bytes: inout [UInt8]) {
        append(UInt32(strings.count), to: &bytes)
        for s in strings { append(s, to: &bytes) }
    }

    /// Writes magic, version, `body`, the parameters and the checksum.
    static func write(to path: String, magic: [UInt8], version: UInt32, body: [UInt8],
                      parameters store: ParameterStore) throws(LexisError) {
        try write(to: path, magic: magic, version: version, body: body, parameters: [store])
    }

    /// The same with several stores' values back to back in one parameter block (an ensemble).
    static func write(to path: String, magic: [UInt8], version: UInt32, body: [UInt8],
                      parameters stores: [ParameterStore]) throws(LexisError) {
        try write(to: path, magic: magic, version: version, body: body,
                  blocks: stores.map { UnsafeBufferPointer(start: $0.values, count: $0.count) })
    }

    /// Writes magic, version, `body`, blocks of Float32 values back to back and the checksum.
    static func write(to path: String, magic: [UInt8], version: UInt32, body: [UInt8],
                      blocks: [UnsafeBufferPointer<Float>]) throws(LexisError) {
        var body = body
        let total = blocks.reduce(0) { $0 + $1.count }
        var count = UInt64(total).littleEndian
        withUnsafeBytes(of: &count) { body.append(contentsOf: $0) }
        var start = body.count
        body.append(contentsOf: repeatElement(0, count: total * 4))
        body.withUnsafeMutableBytes { raw in
            for block in blocks {
                for i in 0..<block.count {
                    raw.storeBytes(of: block[i].bitPattern.littleEndian, toByteOffset: start + i * 4, as: UInt32.self)
                }
                start += block.count * 4
            }
        }
        let checksum = fnv1a(body)
        let writer = try AtomicFileWriter(path: path)
        try writer.write(magic)
        try writer.write((0..<4).map { UInt8(truncatingIfNeeded: version >> (8 * $0)) })
        try writer.write(body)
        try writer.write((0..<8).map { UInt8(truncatingIfNeeded: checksum >> (8 * UInt64($0))) })
        try writer.commit()
    }

    // MARK: - Reading

    /// Checks the magic number and version; returns a reader at the start of the body and the
    /// offset where the body ends (the checksum follows).
    static func open(_ bytes: [UInt8], magic: [UInt8], version supported: UInt32, kind: String, noun: String,
                     foreignFix: String, damagedFix: String,
                     bad: (String, String) -> LexisError) throws(LexisError) -> (ByteReader, Int) {
        guard bytes.count >= 12, Array(bytes[0..<8]) == magic else {
            throw bad("not a Lexis \(kind) (bad magic number)", foreignFix)
        }
        var reader = ByteReader(bytes: bytes, offset: 8)
        let version = reader.uint32()!
        guard version <= supported else {
            throw bad("\(noun) file version \(version) is newer than this lexis understands (\(supported))", "Upgrade lexis")
        }
        guard bytes.count >= 12 + 8 else { throw bad("truncated \(noun) file", damagedFix) }
        return (reader, bytes.count - 8)
    }

    /// The stored vocabulary, checked against the size the header gives.
    static func vocabulary(_ words: [String], count: Int, bad: (String) -> LexisError) throws(LexisError) -> LMVocabulary {
        let vocabulary: LMVocabulary
        do { vocabulary = try LMVocabulary(words: words) } catch { throw bad("bad vocabulary: \(error)") }
        guard vocabulary.count == count else { throw bad("vocabulary size does not match the header") }
        return vocabulary
    }

    /// A header's "key=value" lines as a dictionary (lines without "=" are skipped).
    static func fields(_ header: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in header.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    /// A UInt32 count, then that many length-prefixed strings; nil when they run past `limit`.
    static func strings(_ reader: inout ByteReader, limit: Int) -> [String]? {
        guard let n = reader.uint32(), Int(n) <= limit else { return nil }
        var out: [String] = []
        // A corrupt count must not reserve gigabytes: each string takes at least 4 bytes.
        out.reserveCapacity(min(Int(n), limit / 4))
        for _ in 0..<n {
            guard let length = reader.uint32(), let s = reader.bytes(Int(length), limit: limit) else { return nil }
            out.append(String(decoding: s, as: UTF8.self))
        }
        return out
    }

    /// Reads the parameter count, checks that the values fill the rest of the body and that the
    /// checksum matches. The reader is left at the first value.
    static func parameterCount(_ reader: inout ByteReader, bytes: [UInt8], bodyEnd: Int, noun: String,
                               damagedFix fix: String, bad: (String, String) -> LexisError) throws(LexisError) -> Int {
        guard let count = reader.uint64(), count < UInt64(Int.max / 4),
              reader.offset + Int(count) * 4 == bodyEnd else {
            throw bad("truncated \(noun) file (parameter block has the wrong length)", fix)
        }
        let stored = bytes.withUnsafeBufferPointer { p in
            UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[bodyEnd...]).loadUnaligned(as: UInt64.self)
        }
        let computed = bytes.withUnsafeBufferPointer { fnv1a(UnsafeBufferPointer(rebasing: $0[12..<bodyEnd])) }
        guard UInt64(littleEndian: stored) == computed else { throw bad("checksum mismatch (the file is corrupt)", fix) }
        return Int(count)
    }

    /// Copies little-endian Float32 values starting at `offset` into the store.
    static func readParameters(_ bytes: [UInt8], at offset: Int, into store: ParameterStore) {
        readValues(bytes, at: offset, into: store.values, count: store.count)
    }

    /// Copies `count` little-endian Float32 values starting at `offset` to `destination`.
    static func readValues(_ bytes: [UInt8], at offset: Int, into destination: UnsafeMutablePointer<Float>, count: Int) {
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                let bits = raw.loadUnaligned(fromByteOffset: offset + i * 4, as: UInt32.self)
                destination[i] = Float(bitPattern: UInt32(littleEndian: bits))
            }
        }
    }
}

// MARK: - Byte helpers

func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
    return hash
}

struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    mutating func uint32() -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * k) }
        offset += 4
        return v
    }

    mutating func uint64() -> UInt64? {
        guard offset + 8 <= bytes.count else { return nil }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * k) }
        offset += 8
        return v
    }

    mutating func bytes(_ n: Int, limit: Int) -> ArraySlice<UInt8>? {
        guard n >= 0, offset + n <= limit else { return nil }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }
}
