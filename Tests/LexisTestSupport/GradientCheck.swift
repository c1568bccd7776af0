// Finite-difference gradient checking, shared by every layer's tests. The loss is a Double
// function of the Float parameters (tests compute it with the naive Double kernels); central
// differences use the step actually representable in Float.
import LexisTensor

/// Finite-difference gradient checks, for tests of backward passes.
public enum GradientCheck {
    /// d loss / d x[i] for each index, by central differences. x is restored afterwards.
    ///
    /// - Parameters:
    ///   - loss: The loss as a function of the current values at `x`.
    ///   - x: The parameters, perturbed in place one at a time.
    ///   - indices: The indices to differentiate.
    ///   - step: The perturbation; the difference uses the step actually representable in Float.
    public static func numerical(_ loss: () -> Double, x: UnsafeMutablePointer<Float>, indices: [Int],
                                 step: Float = 1e-3) -> [Double] {
        indices.map { i in
            let saved = x[i]
            x[i] = saved + step
            let plus = loss()
            x[i] = saved - step
            let minus = loss()
            x[i] = saved
            return (plus - minus) / (Double(saved + step) - Double(saved - step))
        }
    }

    /// max over i of |a - n| / max(|a|, |n|, floor). The floor keeps gradients that are zero up to
    /// rounding from dominating the ratio.
    ///
    /// - Precondition: The two arrays have the same length.
    public static func maxRelativeError(analytic: [Double], numerical: [Double], floor: Double = 1e-3) -> Double {
        precondition(analytic.count == numerical.count)
        var worst = 0.0
        for (a, n) in zip(analytic, numerical) {
            worst = max(worst, abs(a - n) / max(abs(a), abs(n), floor))
        }
        return worst
    }

    /// Every index of a view, or an evenly spread sample of `limit` of them.
    public static func sampleIndices(_ view: ParameterView, limit: Int) -> [Int] {
        if view.count <= limit { return Array(view.range) }
        return (0..<limit).map { view.offset + $0 * view.count / limit }
    }
}
