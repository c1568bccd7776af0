// Inverted dropout: kept units are scaled by 1/(1-p) at training time, so evaluation uses the
// plain activations. The mask holds 0 or 1/(1-p) and is kept for backward (and can be held fixed,
// which the gradient checks do).

/// Inverted dropout: kept units are scaled by 1/(1-p) at training time, so evaluation uses the
/// plain activations. The mask is kept for the backward pass.
public enum Dropout {
    /// Fills `mask` with 0 (probability p) or 1/(1-p).
    ///
    /// - Precondition: `0 <= p < 1`.
    public static func makeMask(_ mask: UnsafeMutablePointer<Float>, count: Int, probability p: Float,
                                rng: inout RandomGenerator) {
        precondition(p >= 0 && p < 1)
        if p == 0 {
            mask.update(repeating: 1, count: count)
            return
        }
        let keep = 1 / (1 - p)
        for i in 0..<count { mask[i] = rng.nextFloat() < p ? 0 : keep }
    }

    /// y = x * mask (y may alias x).
    public static func forward(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                               count: Int) {
        VectorMath.multiply(x, mask, y, count)
    }

    /// dx += dy * mask
    public static func backward(dy: UnsafePointer<Float>, mask: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                                count: Int) {
        VectorMath.multiplyAdd(dy, mask, dx, count)
    }
}
