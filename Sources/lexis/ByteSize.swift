import ArgumentParser

/// A size in bytes on the command line: `4G`, `512M`, `1.5G`, `800k` or plain bytes (powers of 1024).
struct ByteSize: ExpressibleByArgument, CustomStringConvertible {
    let bytes: Int

    init?(argument: String) {
        let k = 1024.0
        let units: [Character: Double] = ["k": k, "K": k, "m": k * k, "M": k * k, "g": k * k * k, "G": k * k * k,
                                          "t": k * k * k * k, "T": k * k * k * k]
        var text = argument
        if text.hasSuffix("B") || text.hasSuffix("b") { text.removeLast() }
        var scale = 1.0
        if let last = text.last, let unit = units[last] {
            scale = unit
            text.removeLast()
        }
        guard let value = Double(text), value > 0, value * scale < 9e18 else { return nil }
        bytes = Int(value * scale)
    }

    var description: String { "\(bytes) bytes" }
}
