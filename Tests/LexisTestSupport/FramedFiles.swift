// Helpers for tests of Lexis's binary files: find a section of a framed file, reseal a file
// after damaging it on purpose (so that the damage, not the checksum, is what a reader meets),
// and write the model layout of the versions before the framing (files today's users hold).
import LexisText

public enum FramedFiles {
    /// The payload ranges of a framed file's sections, by tag, in file order.
    public static func sections(_ bytes: [UInt8]) -> [(tag: String, payload: Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        var at = 12
        while at + 12 <= bytes.count {
            let tag = String(decoding: bytes[at..<(at + 4)], as: UTF8.self)
            if tag == "END." { break }
            var length = 0
            for k in 0..<8 { length |= Int(bytes[at + 4 + k]) << (8 * k) }
            out.append((tag, (at + 12)..<(at + 12 + length)))
            at += 12 + length
        }
        return out
    }

    /// The file with its checksum recomputed, as a deliberately crafted file would have.
    public static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        let end = bytes.count - 12   // "END." and the checksum
        var hash = FNV1a()
        bytes.withUnsafeBytes { hash.add(UnsafeRawBufferPointer(rebasing: $0[12..<end])) }
        var out = Array(bytes[..<(end + 4)])
        withUnsafeBytes(of: hash.value.littleEndian) { out.append(contentsOf: $0) }
        return out
    }

    /// A model file in the layout before the framing (language model version 1, classifier
    /// versions 1 and 2): magic | version | header | [labels] | words | value count | values |
    /// FNV-1a checksum of every byte after the version.
    public static func legacyModel(magic: String, version: UInt32, header: String, labels: [String]?,
                                   words: [String], values: [Float]) -> [UInt8] {
        var body = ByteWriter()
        body.append(header)
        if let labels { body.append(strings: labels) }
        body.append(strings: words)
        body.append(UInt64(values.count))
        body.append(floats: values)
        var file = ByteWriter()
        file.append(bytes: magic.utf8)
        file.append(version)
        file.append(bytes: body.bytes)
        var hash = FNV1a()
        body.bytes.withUnsafeBytes { hash.add($0) }
        file.append(hash.value)
        return file.bytes
    }
}
