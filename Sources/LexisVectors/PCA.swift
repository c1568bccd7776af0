// Principal components of a few rows, for 2-D plots. Power iteration on XᵀX (X centred) with
// deflation; in Double, deterministic start, signs fixed so the output does not flip between runs.

/// Principal component analysis of a few rows, for 2-D plots.
///
/// Power iteration with deflation in Double, from a fixed start, with signs fixed (largest
/// coordinate positive), so the output is the same on every run.
public enum PCA {
    /// Projects `rows` (each of length d) onto their first `components` principal axes.
    /// Returns one array of `components` coordinates per row.
    ///
    /// - Parameters:
    ///   - rows: Vectors of equal length; they are centred first.
    ///   - components: The number of axes.
    ///   - iterations: The most power iterations per axis.
    public static func project(_ rows: [[Float]], components: Int = 2, iterations: Int = 500) -> [[Double]] {
        guard let d = rows.first?.count, !rows.isEmpty else { return [] }
        let m = rows.count
        var mean = [Double](repeating: 0, count: d)
        for row in rows { for j in 0..<d { mean[j] += Double(row[j]) / Double(m) } }
        let x: [[Double]] = rows.map { row in (0..<d).map { Double(row[$0]) - mean[$0] } }
        var axes: [[Double]] = []
        for component in 0..<components {
            // Start away from the previous axes: a fixed, non-symmetric vector.
            var v = (0..<d).map { Double(($0 * 7919 + component * 104_729) % 1000) / 1000 + 0.1 }
            for _ in 0..<iterations {
                // w = Xᵀ(X v), with the found axes projected out.
                var w = [Double](repeating: 0, count: d)
                for row in x {
                    var s = 0.0
                    for j in 0..<d { s += row[j] * v[j] }
                    for j in 0..<d { w[j] += s * row[j] }
                }
                for axis in axes {
                    var s = 0.0
                    for j in 0..<d { s += w[j] * axis[j] }
                    for j in 0..<d { w[j] -= s * axis[j] }
                }
                var norm = 0.0
                for value in w { norm += value * value }
                norm = norm.squareRoot()
                if norm < 1e-300 { break }   // no variance left in this direction
                v = w.map { $0 / norm }
            }
            // Sign: the largest coordinate positive.
            if let big = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[big] < 0 { v = v.map { -$0 } }
            axes.append(v)
        }
        return x.map { row in axes.map { axis in zip(row, axis).reduce(0) { $0 + $1.0 * $1.1 } } }
    }
}
