// Decimal float parsing for text vector files. Most values ("-0.123456", "1.5e-03") take a fast
// path that is still correctly rounded: up to 15 significant digits and a power of ten up to
// 10^22 are exact in Double, so one Double multiply/divide rounds correctly (Clinger's fast path);
// the Double -> Float step can only round twice when the Double sits exactly on a Float midpoint,
// and that case (and everything else) falls back to strtof.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let exactPowersOfTen: [Double] = (0...22).map { e in
    var p = 1.0
    for _ in 0..<e { p *= 10 }
    return p
}

/// Parses one number starting at `p[i]` and ending before a space, tab, CR, LF or `end`.
/// Advances `i` past the number. Returns nil when the bytes are not a number.
@inline(__always)
func parseFloat(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) -> Float? {
    let start = i
    var j = i
    var negative = false
    if j < end && (p[j] == UInt8(ascii: "-") || p[j] == UInt8(ascii: "+")) {
        negative = p[j] == UInt8(ascii: "-")
        j += 1
    }
    var mantissa: UInt64 = 0
    var digits = 0          // significant digits kept in `mantissa`
    var exponent = 0        // decimal exponent applied to `mantissa`
    var sawDigit = false
    var tooLong = false
    while j < end, p[j] &- 48 < 10 {
        sawDigit = true
        if mantissa == 0 && p[j] == 48 { j += 1; continue }   // leading zeros
        if digits < 18 { mantissa = mantissa * 10 + UInt64(p[j] &- 48); digits += 1 } else { exponent += 1; tooLong = true }
        j += 1
    }
    if j < end && p[j] == UInt8(ascii: ".") {
        j += 1
        while j < end, p[j] &- 48 < 10 {
            sawDigit = true
            if mantissa == 0 && p[j] == 48 { exponent -= 1; j += 1; continue }
            if digits < 18 { mantissa = mantissa * 10 + UInt64(p[j] &- 48); digits += 1; exponent -= 1 } else { tooLong = true }
            j += 1
        }
    }
    if sawDigit && j < end && (p[j] == UInt8(ascii: "e") || p[j] == UInt8(ascii: "E")) {
        var k = j + 1
        var expNegative = false
        if k < end && (p[k] == UInt8(ascii: "-") || p[k] == UInt8(ascii: "+")) {
            expNegative = p[k] == UInt8(ascii: "-")
            k += 1
        }
        var value = 0
        var sawExpDigit = false
        while k < end, p[k] &- 48 < 10 {
            if value < 100_000 { value = value * 10 + Int(p[k] &- 48) }
            sawExpDigit = true
            k += 1
        }
        if !sawExpDigit { return slowParseFloat(p, &i, end, from: start) }
        exponent += expNegative ? -value : value
        j = k
    }
    if !sawDigit || (j < end && !isSeparator(p[j])) { return slowParseFloat(p, &i, end, from: start) }
    if mantissa == 0 {
        i = j
        return negative ? -0.0 : 0.0
    }
    if tooLong || digits > 15 || exponent < -22 || exponent > 22 {
        return slowParseFloat(p, &i, end, from: start)
    }
    var value = Double(mantissa)
    value = exponent < 0 ? value / exactPowersOfTen[-exponent] : value * exactPowersOfTen[exponent]
    // Float keeps 24 of Double's 53 significand bits: 29 low bits of exactly 1000...0 mean a tie.
    let low = value.bitPattern & ((1 << 29) - 1)
    if low == (1 << 28) || value < Double(Float.leastNormalMagnitude) || value > Double(Float.greatestFiniteMagnitude) {
        return slowParseFloat(p, &i, end, from: start)
    }
    i = j
    let result = Float(value)
    return negative ? -result : result
}

@inline(__always)
func isSeparator(_ byte: UInt8) -> Bool {
    byte == 32 || byte == 10 || byte == 9 || byte == 13
}

/// strtof on a NUL-terminated copy of the token (the mapped file has no terminator).
private func slowParseFloat(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, from start: Int) -> Float? {
    var tokenEnd = start
    while tokenEnd < end && !isSeparator(p[tokenEnd]) { tokenEnd += 1 }
    let length = tokenEnd - start
    guard length > 0, length < 512 else { return nil }
    var copy = [CChar](repeating: 0, count: length + 1)
    for k in 0..<length { copy[k] = CChar(bitPattern: p[start + k]) }
    return copy.withUnsafeMutableBufferPointer { buffer -> Float? in
        var stop: UnsafeMutablePointer<CChar>? = nil
        let value = strtof(buffer.baseAddress!, &stop)
        guard let stop, stop - buffer.baseAddress! == length else { return nil }
        i = tokenEnd
        return value
    }
}
