// Helpers for tests of Lexis's binary files: find a section of a framed file, reseal a file
// after damaging it on purpose (so that the damage, not the checksum, is what a reader meets),
// and write the model layout of the versions before the framing (files today's users hold).
// It writes and hashes bytes itself, not with LexisText's ByteWriter and FNV1a: an independent
// reading of the format, and this module, which imports Foundation, must not import LexisText
// (ICU's enums in CICU clash with the ICU that Foundation bundles, see docs/TECHNICAL-NOTES.md).

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
        var out = Array(bytes[..<(end + 4)])
        append(fnv1a(bytes[12..<end]), to: &out)
        return out
    }

    /// The file with section `tag`'s payload replaced and the version set to `version` (nil:
    /// kept), resealed: how a file of an earlier framed version looked.
    public static func rewritten(_ bytes: [UInt8], section tag: String, payload: [UInt8], version: UInt32? = nil) -> [UInt8] {
        guard let range = sections(bytes).first(where: { $0.tag == tag })?.payload else { return bytes }
        var out = Array(bytes[..<(range.lowerBound - 8)])
        append(UInt64(payload.count), to: &out)
        out += payload
        out += bytes[range.upperBound...]
        if let version { withUnsafeBytes(of: version.littleEndian) { for k in 0..<4 { out[8 + k] = $0[k] } } }
        return resealed(out)
    }

    /// FNV-1a, 64 bits, as the framing's checksum.
    static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func append(_ string: String, to bytes: inout [UInt8]) {
        append(UInt32(string.utf8.count), to: &bytes)
        bytes.append(contentsOf: string.utf8)
    }

    /// A model file in the layout before the framing (language model version 1, classifier
    /// versions 1 and 2): magic | version | header | [labels] | words | value count | values |
    /// FNV-1a checksum of every byte after the version.
    public static func legacyModel(magic: String, version: UInt32, header: String, labels: [String]?,
                                   words: [String], values: [Float]) -> [UInt8] {
        var body: [UInt8] = []
        append(header, to: &body)
        for list in [labels, words].compactMap({ $0 }) {
            append(UInt32(list.count), to: &body)
            for s in list { append(s, to: &body) }
        }
        append(UInt64(values.count), to: &body)
        for v in values { append(v.bitPattern, to: &body) }
        var file = Array(magic.utf8)
        append(version, to: &file)
        file += body
        append(fnv1a(body[...]), to: &file)
        return file
    }
}
