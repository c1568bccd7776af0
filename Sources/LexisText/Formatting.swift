// Fixed-point number text without Foundation: the CLI's output and the summaries stored in model
// files use the same digits.

/// `value` with exactly `digits` decimals (rounded half away from zero); "nan"/"inf" as Swift prints them.
public func formatFixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    // Past 2^53 the digits are not exact anyway, and Int would overflow: Swift's own form (1e+20).
    guard value.isFinite, abs(value) * scale < 9e15 else { return "\(value)" }
    let rounded = (abs(value) * scale).rounded()
    let whole = Int(rounded / scale)
    var text = (value < 0 && rounded > 0 ? "-" : "") + "\(whole)"
    if digits > 0 {
        let frac = Int(rounded) - whole * Int(scale)
        let fracText = String(frac)
        text += "." + String(repeating: "0", count: digits - fracText.count) + fracText
    }
    return text
}
