// Makes arbitrary bytes valid UTF-8: each byte that is not part of a well-formed sequence
// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF) becomes U+FFFD and is counted.
// Valid input, the common case, is returned as is without a copy.

/// Makes arbitrary bytes valid UTF-8: each byte that is not part of a well-formed sequence
/// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF) becomes U+FFFD and is counted.
public struct UTF8Sanitizer {
    private let scratch = ByteBuffer(capacity: 1 << 16)
    /// Invalid bytes replaced so far.
    public private(set) var replacedBytes = 0

    /// Creates a sanitizer with a zero count.
    public init() {}

    /// Length of the well-formed sequence starting at `p[i]` (a non-ASCII byte), or 0.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        let b0 = p[i]
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < n && p[i + k] >= lo && p[i + k] <= hi
        }
        switch b0 {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    /// Index of the first invalid byte, or nil when all of `bytes` is valid UTF-8.
    public static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let p = bytes.baseAddress else { return nil }
        let n = bytes.count
        var i = 0
        // Wrapping adds: i stays below n + 8 (every input byte is checked once per read).
        while i < n {
            while i &+ 8 <= n,
                  UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i &+= 8
            }
            if i >= n { break }
            if p[i] < 0x80 { i &+= 1; continue }
            let len = sequenceLength(p, i, n)
            if len == 0 { return i }
            i &+= len
        }
        return nil
    }

    /// Returns `bytes` itself when valid, else a repaired copy that stays valid until the next call.
    public mutating func sanitize(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let bad = Self.firstInvalid(bytes), let p = bytes.baseAddress else { return bytes }
        let n = bytes.count
        scratch.count = 0
        scratch.reserve(n + 16)
        scratch.append(p, bad)
        var i = bad
        while i < n {
            let b = p[i]
            if b < 0x80 { scratch.append(b); i += 1; continue }
            let len = Self.sequenceLength(p, i, n)
            if len == 0 {
                scratch.append(0xEF); scratch.append(0xBF); scratch.append(0xBD)
                replacedBytes += 1
                i += 1
            } else {
                scratch.append(p + i, len)
                i += len
            }
        }
        return scratch.bytes
    }
}
