// Lexis's one binary file framing, for language models, classifiers, trainer state and word2vec
// checkpoints (all integers little-endian):
//
//   magic (8 bytes) | version UInt32
//   sections, each: tag (4 ASCII bytes) | payload length UInt64 | payload
//   "END." | checksum UInt64: FNV-1a 64 of every byte after the version, up to this tag
//
// Readers find sections by tag, so a later version may add sections that older readers skip.
// Files are written through AtomicFileWriter: a killed run leaves the old file or the new one.
// `.lexis` vectors keep their own memory-mapped layout: a whole-file checksum would read every
// page at load, which is what that format exists to avoid.

/// What identifies one kind of framed file, and what its errors tell a user.
public struct FramedFileFormat: Sendable {
    /// The first 8 bytes.
    public let magic: [UInt8]
    /// The version written.
    public let version: UInt32
    /// The oldest version written in this framing (older versions have their own readers or are
    /// refused with a message naming the version).
    public let firstFramedVersion: UInt32
    /// A noun for messages, such as `language model`.
    public let name: String
    /// What to do with a damaged file, such as "Train it again with `lexis lm train`".
    public let damagedFix: String

    /// Describes a kind of file. `magic` must be 8 bytes.
    public init(magic: String, version: UInt32, firstFramedVersion: UInt32, name: String, damagedFix: String) {
        precondition(magic.utf8.count == 8, "a framed file's magic is 8 bytes")
        self.magic = Array(magic.utf8)
        self.version = version
        self.firstFramedVersion = firstFramedVersion
        self.name = name
        self.damagedFix = damagedFix
    }
}

/// Writes a framed file section by section, atomically, computing the checksum as it goes.
///
/// ```swift
/// let file = try FramedFileWriter(path: "model.bin", format: format)
/// var header = ByteWriter()
/// header.append("dimension=100\n")
/// try file.section("HEAD", header)
/// try file.section("PARM", floats: [parameters])
/// try file.commit()
/// ```
public final class FramedFileWriter {
    private let writer: AtomicFileWriter
    private var checksum = FNV1a()

    /// Creates the temporary file and writes the magic number and version.
    ///
    /// - Throws: ``LexisError/cannotWrite(path:reason:)``.
    public init(path: String, format: FramedFileFormat) throws(LexisError) {
        writer = try AtomicFileWriter(path: path)
        var start = ByteWriter()
        start.append(bytes: format.magic)
        start.append(format.version)
        try writer.write(start.bytes)
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws(LexisError) {
        checksum.add(bytes)
        try writer.write(bytes)
    }

    private func write(_ bytes: [UInt8]) throws(LexisError) {
        bytes.withUnsafeBytes { checksum.add($0) }
        try writer.write(bytes)
    }

    private func sectionStart(_ tag: String, length: Int) throws(LexisError) {
        precondition(tag.utf8.count == 4 && tag != "END.", "section tags are 4 bytes and not END.")
        var head = ByteWriter()
        head.append(bytes: tag.utf8)
        head.append(UInt64(length))
        try write(head.bytes)
    }

    /// Appends a section holding `payload`.
    ///
    /// - Throws: ``LexisError/cannotWrite(path:reason:)``.
    public func section(_ tag: String, _ payload: ByteWriter) throws(LexisError) {
        try sectionStart(tag, length: payload.bytes.count)
        try write(payload.bytes)
    }

    /// Appends a section holding `blocks` of Float32 values back to back, written straight from
    /// memory (no copy of a large parameter buffer).
    ///
    /// - Throws: ``LexisError/cannotWrite(path:reason:)``.
    public func section(_ tag: String, floats blocks: [UnsafeBufferPointer<Float>]) throws(LexisError) {
        #if _endian(big)
        #error("framed files store floats little-endian; add a byte swap for big-endian machines")
        #endif
        try sectionStart(tag, length: 4 * blocks.reduce(0) { $0 + $1.count })
        for block in blocks { try write(UnsafeRawBufferPointer(block)) }
    }

    /// Writes the end tag and checksum, then renames the file into place.
    ///
    /// - Throws: ``LexisError/cannotWrite(path:reason:)``.
    public func commit() throws(LexisError) {
        var end = ByteWriter()
        end.append(bytes: "END.".utf8)
        end.append(checksum.value)
        try writer.write(end.bytes)
        try writer.commit()
    }
}

/// A framed file read into memory: its version and its sections by tag.
public struct FramedFile: Sendable {
    /// The path, for messages.
    public let path: String
    /// The version the file was written with.
    public let version: UInt32
    /// The whole file.
    public let bytes: [UInt8]
    private let format: FramedFileFormat
    private var sections: [String: Range<Int>] = [:]

    /// True when the file predates the framing (`version < firstFramedVersion`): it has no
    /// sections, and the caller reads ``bytes`` with that version's reader.
    public var isLegacy: Bool { version < format.firstFramedVersion }

    /// Reads `path`, checks the magic number, the version and, for framed versions, the section
    /// layout and the checksum.
    ///
    /// - Throws: ``LexisError/cannotRead(path:reason:)``, or ``LexisError/malformed(path:line:problem:fix:)``
    ///   for another kind of file, a newer version, truncation or a checksum mismatch.
    public init(path: String, format: FramedFileFormat) throws(LexisError) {
        try self.init(bytes: try FileIO.readAll(path), path: path, format: format)
    }

    /// Parses a framed file from memory; `path` is used in messages.
    ///
    /// - Throws: ``LexisError/malformed(path:line:problem:fix:)``, as ``init(path:format:)``.
    public init(bytes: [UInt8], path: String, format: FramedFileFormat) throws(LexisError) {
        self.path = path
        self.bytes = bytes
        self.format = format
        func bad(_ problem: String) -> LexisError {
            .malformed(path: path, line: nil, problem: problem, fix: format.damagedFix)
        }
        guard bytes.count >= 12, bytes[0..<8].elementsEqual(format.magic) else {
            throw bad("not a Lexis \(format.name) file (bad magic number)")
        }
        var reader = ByteReader(bytes, range: 8..<bytes.count, path: path, fix: format.damagedFix)
        version = try reader.integer()
        guard version <= format.version else {
            throw .malformed(path: path, line: nil,
                             problem: "\(format.name) file version \(version) is newer than this Lexis reads (\(format.version))",
                             fix: "Upgrade Lexis")
        }
        guard version >= 1 else { throw bad("\(format.name) file version 0 is not valid") }
        if version < format.firstFramedVersion { return }
        while true {
            let tagStart = reader.offset
            guard let tag = try? reader.take(4) else { throw bad("truncated \(format.name) file (no end tag)") }
            let name = String(decoding: tag, as: UTF8.self)
            if name == "END." {
                let stored: UInt64 = try reader.integer()
                var computed = FNV1a()
                bytes.withUnsafeBytes { computed.add(UnsafeRawBufferPointer(rebasing: $0[12..<tagStart])) }
                guard stored == computed.value else { throw bad("checksum mismatch (the file is corrupt)") }
                guard reader.isAtEnd else { throw bad("bytes after the end of the \(format.name) file") }
                return
            }
            let length: UInt64 = try reader.integer()
            guard length <= UInt64(reader.remaining) else {
                throw bad("truncated \(format.name) file (section \(name) runs past the end)")
            }
            let start = reader.offset
            _ = try reader.take(Int(length))
            guard sections.updateValue(start..<reader.offset, forKey: name) == nil else {
                throw bad("section \(name) appears twice")
            }
        }
    }

    /// Whether the file has a section with this tag.
    public func has(_ tag: String) -> Bool { sections[tag] != nil }

    /// A reader over one section's payload.
    ///
    /// - Throws: ``LexisError/malformed(path:line:problem:fix:)`` when the section is missing.
    public func section(_ tag: String) throws(LexisError) -> ByteReader {
        guard let range = sections[tag] else {
            throw .malformed(path: path, line: nil, problem: "the \(format.name) file has no \(tag) section",
                             fix: format.damagedFix)
        }
        return ByteReader(bytes, range: range, path: path, fix: format.damagedFix)
    }
}

// MARK: - Bytes

/// Builds little-endian binary data.
public struct ByteWriter: Sendable {
    /// The bytes so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Appends an integer, little-endian.
    public mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends raw bytes.
    public mutating func append(bytes more: some Sequence<UInt8>) { bytes.append(contentsOf: more) }

    /// Appends a UInt32 byte length, then the UTF-8 bytes.
    public mutating func append(_ string: String) {
        append(UInt32(string.utf8.count))
        bytes.append(contentsOf: string.utf8)
    }

    /// Appends a UInt32 count, then each string as ``append(_:)-(String)`` does.
    public mutating func append(strings: [String]) {
        append(UInt32(strings.count))
        for s in strings { append(s) }
    }

    /// Appends Float32 values, little-endian.
    public mutating func append(floats: some Sequence<Float>) {
        for f in floats { append(f.bitPattern) }
    }
}

/// Reads little-endian binary data from part of a byte array; running past the end is a
/// "truncated" error naming the file.
public struct ByteReader: Sendable {
    private let bytes: [UInt8]
    private let end: Int
    /// The next byte to read.
    public private(set) var offset: Int
    /// The file the bytes came from, for messages.
    public let path: String
    /// What a message about damage tells the user to do.
    public let fix: String

    /// A reader over `bytes[range]`.
    public init(_ bytes: [UInt8], range: Range<Int>? = nil, path: String, fix: String) {
        self.bytes = bytes
        let range = range ?? 0..<bytes.count
        offset = range.lowerBound
        end = range.upperBound
        self.path = path
        self.fix = fix
    }

    /// Bytes left.
    public var remaining: Int { end - offset }
    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == end }

    /// The error for damaged contents, naming the file.
    public func damaged(_ problem: String) -> LexisError {
        .malformed(path: path, line: nil, problem: problem, fix: fix)
    }

    /// The next `n` bytes.
    ///
    /// - Throws: ``LexisError/malformed(path:line:problem:fix:)`` when fewer are left.
    public mutating func take(_ n: Int) throws(LexisError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else { throw damaged("the file is truncated") }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    /// The next integer, little-endian.
    ///
    /// - Throws: ``LexisError/malformed(path:line:problem:fix:)`` when the bytes run out.
    public mutating func integer<T: FixedWidthInteger>() throws(LexisError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw damaged("the file is truncated") }
        var value: T = 0
        bytes.withUnsafeBytes { raw in
            withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + size)])) }
        }
        offset += size
        return T(littleEndian: value)
    }

    /// A count stored as `T`, checked to need no more than the bytes left at `bytesEach` each, so
    /// that a corrupt count cannot make a reader reserve gigabytes.
    ///
    /// - Throws: ``LexisError/malformed(path:line:problem:fix:)`` for an impossible count.
    public mutating func count<T: FixedWidthInteger>(_: T.Type, bytesEach: Int) throws(LexisError) -> Int {
        let n: T = try integer()
        guard n >= 0, UInt64(n) <= UInt64(remaining / max(bytesEach, 1)) else {
            throw damaged("the file is truncated (a count of \(n) runs past its end)")
        }
        return Int(n)
    }

    /// A UInt32 byte length, then that many bytes of UTF-8 (invalid bytes become U+FFFD).
    ///
    /// - Throws: ``LexisError/malformed(path:line:problem:fix:)`` when the bytes run out.
    public mutating func string() throws(LexisError) -> String {
        let length = try count(UInt32.self, bytesEach: 1)
        return String(decoding: try take(length), as: UTF8.self)
    }

    /// A UInt32 count, then that many strings as ``string()`` reads them.
    ///
    /// - Throws: ``LexisError/malformed(path:line:problem:fix:)`` when the bytes run out.
    public mutating func strings() throws(LexisError) -> [String] {
        let n = try count(UInt32.self, bytesEach: 4)
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string()) }
        return out
    }

    /// Copies the next `count` Float32 values to `destination`.
    ///
    /// - Throws: ``LexisError/malformed(path:line:problem:fix:)`` when the bytes run out.
    public mutating func floats(_ count: Int, into destination: UnsafeMutablePointer<Float>) throws(LexisError) {
        guard count >= 0, count <= remaining / 4 else { throw damaged("the file is truncated") }
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                let bits = raw.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self)
                destination[i] = Float(bitPattern: UInt32(littleEndian: bits))
            }
        }
        offset += 4 * count
    }

    /// The next `count` Float32 values.
    ///
    /// - Throws: ``LexisError/malformed(path:line:problem:fix:)`` when the bytes run out.
    public mutating func floats(_ count: Int) throws(LexisError) -> [Float] {
        guard count >= 0, count <= remaining / 4 else { throw damaged("the file is truncated") }
        var values = [Float](repeating: 0, count: count)
        try values.withUnsafeMutableBufferPointer { (p) throws(LexisError) in
            if let base = p.baseAddress { try floats(count, into: base) }
        }
        return values
    }
}

/// FNV-1a, 64 bits: the checksum of framed files (and of the model files before them).
public struct FNV1a: Sendable {
    /// The hash so far.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The hash of nothing.
    public init() {}

    /// Adds bytes.
    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var h = value
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        value = h
    }
}

/// `key=value` lines (the text headers of framed files) as a dictionary; lines without `=` are
/// skipped.
public func keyValueFields(_ text: String) -> [String: String] {
    var fields: [String: String] = [:]
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
        if parts.count == 2 { fields[parts[0]] = parts[1] }
    }
    return fields
}
