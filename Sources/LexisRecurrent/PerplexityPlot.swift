// An SVG line chart of train and validation perplexity per epoch (log scale), no dependencies.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An SVG line chart of training and validation perplexity per epoch, on a log scale.
public enum PerplexityPlot {
    /// A standalone SVG document plotting `history` (such as
    /// ``RecurrentLanguageModel/training``'s ``TrainingState/history``).
    public static func svg(_ history: [EpochRecord], title: String = "Perplexity per epoch") -> String {
        let width = 640.0, height = 400.0, left = 60.0, right = 20.0, top = 40.0, bottom = 50.0
        let values = history.flatMap { [$0.trainPerplexity, $0.validPerplexity] }.filter { $0.isFinite && $0 > 0 }
        let lo = log((values.min() ?? 1) * 0.9), hi = log((values.max() ?? 10) * 1.1)
        let epochs = max(1, (history.map(\.epoch).max() ?? 1))
        func x(_ e: Int) -> Double { left + (width - left - right) * (epochs == 1 ? 0.5 : Double(e - 1) / Double(epochs - 1)) }
        func y(_ v: Double) -> Double { top + (height - top - bottom) * (1 - (log(v) - lo) / max(hi - lo, 1e-9)) }
        func f(_ v: Double) -> String { String(Int((v * 10).rounded())) .withDecimal }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"\(Int(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">\(title)</text>\n"
        s += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - right)\" y2=\"\(height - bottom)\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"black\"/>\n"
        for e in 1...epochs {
            s += "<text x=\"\(f(x(e)))\" y=\"\(Int(height - bottom + 18))\" text-anchor=\"middle\">\(e)</text>\n"
        }
        s += "<text x=\"\(Int(width / 2))\" y=\"\(Int(height - 10))\" text-anchor=\"middle\">epoch</text>\n"
        for k in 0...5 {
            let v = exp(lo + (hi - lo) * Double(k) / 5)
            s += "<text x=\"\(Int(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(Int(v.rounded()))</text>\n"
            s += "<line x1=\"\(left)\" y1=\"\(f(y(v)))\" x2=\"\(width - right)\" y2=\"\(f(y(v)))\" stroke=\"#ddd\"/>\n"
        }
        for (name, color, key) in [("train", "#1f77b4", \EpochRecord.trainPerplexity), ("validation", "#d62728", \EpochRecord.validPerplexity)] {
            let points = history.filter { $0[keyPath: key].isFinite && $0[keyPath: key] > 0 }
                .map { "\(f(x($0.epoch))),\(f(y($0[keyPath: key])))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points)\"/>\n"
            for r in history where r[keyPath: key].isFinite && r[keyPath: key] > 0 {
                s += "<circle cx=\"\(f(x(r.epoch)))\" cy=\"\(f(y(r[keyPath: key])))\" r=\"3\" fill=\"\(color)\"/>\n"
            }
            let ly = name == "train" ? top + 10 : top + 28
            s += "<line x1=\"\(width - right - 120)\" y1=\"\(ly)\" x2=\"\(width - right - 100)\" y2=\"\(ly)\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            s += "<text x=\"\(width - right - 95)\" y=\"\(ly + 4)\">\(name)</text>\n"
        }
        s += "</svg>\n"
        return s
    }
}

private extension String {
    /// "1234" (tenths) -> "123.4"
    var withDecimal: String {
        let negative = hasPrefix("-")
        var digits = negative ? String(dropFirst()) : self
        while digits.count < 2 { digits = "0" + digits }
        return (negative ? "-" : "") + digits.dropLast() + "." + digits.suffix(1)
    }
}
