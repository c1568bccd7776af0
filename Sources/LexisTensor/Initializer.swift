// Weight initializers writing into a view of the flat parameter buffer.

/// Weight initializers that write into a view of a ``ParameterStore``.
public enum Initializer {
    /// Uniform in [-scale, scale] (Zaremba et al. use 0.1 for every weight).
    public static func uniform(_ store: ParameterStore, _ view: ParameterView, scale: Float, rng: inout RandomGenerator) {
        let p = store.value(view)
        for i in 0..<view.count { p[i] = rng.uniform(-scale, scale) }
    }

    /// Sets every value of `view` to `value`.
    public static func constant(_ store: ParameterStore, _ view: ParameterView, _ value: Float) {
        store.value(view).update(repeating: value, count: view.count)
    }

    /// Xavier/Glorot uniform: limit sqrt(6 / (fanIn + fanOut)), fanIn = cols, fanOut = rows.
    public static func xavier(_ store: ParameterStore, _ view: ParameterView, rng: inout RandomGenerator) {
        let limit = Float((6.0 / Double(view.rows + view.cols)).squareRoot())
        uniform(store, view, scale: limit, rng: &rng)
    }

    /// Orthogonal rows (or columns, whichever are fewer) by Gram-Schmidt on a Gaussian matrix,
    /// times `gain`. For square recurrent matrices this keeps the singular values at 1.
    public static func orthogonal(_ store: ParameterStore, _ view: ParameterView, gain: Float = 1,
                                  rng: inout RandomGenerator) {
        let transposed = view.rows > view.cols
        let (r, c) = transposed ? (view.cols, view.rows) : (view.rows, view.cols)
        var m = [Double](repeating: 0, count: r * c)
        for i in 0..<(r * c) { m[i] = rng.normal() }
        for i in 0..<r {
            for j in 0..<i {
                var dot = 0.0
                for k in 0..<c { dot += m[i * c + k] * m[j * c + k] }
                for k in 0..<c { m[i * c + k] -= dot * m[j * c + k] }
            }
            var norm = 0.0
            for k in 0..<c { norm += m[i * c + k] * m[i * c + k] }
            norm = norm.squareRoot()
            for k in 0..<c { m[i * c + k] /= norm }
        }
        let p = store.value(view)
        for i in 0..<r {
            for k in 0..<c {
                let value = Float(m[i * c + k]) * gain
                if transposed { p[k * view.cols + i] = value } else { p[i * view.cols + k] = value }
            }
        }
    }
}
