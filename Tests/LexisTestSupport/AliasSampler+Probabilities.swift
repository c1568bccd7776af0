// The exact distribution an alias table draws from, for the tests that check it.
import LexisVocab

extension AliasSampler {
    /// Exact probability of each outcome under this table (for tests).
    public func probabilities() -> [Double] {
        let n = thresholds.count
        var p = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let accept = Double(thresholds[i]) / 4_294_967_296.0
            let acceptAll = thresholds[i] == UInt32.max
            p[i] += (acceptAll ? 1 : accept) / Double(n)
            if !acceptAll { p[Int(aliases[i])] += (1 - accept) / Double(n) }
        }
        return p
    }
}
