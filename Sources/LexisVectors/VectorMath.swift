// Small vector kernels. `Relaxed.multiplyAdd` lets the compiler reorder the sum so these loops
// vectorize (a plain loop stays scalar: strict FP order; see TECH-NOTES).
import RealModule

@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var sum: Float = 0
    for i in 0..<n { sum = Relaxed.multiplyAdd(a[i], b[i], sum) }
    return sum
}

@inline(__always)
func l2Norm(_ a: UnsafePointer<Float>, _ n: Int) -> Float {
    dot(a, a, n).squareRoot()
}

/// Scales `v` to unit length in place; a zero vector stays zero. Returns the old norm.
@discardableResult
func normalize(_ v: inout [Float]) -> Float {
    let norm = v.withUnsafeBufferPointer { l2Norm($0.baseAddress!, $0.count) }
    if norm > 0 {
        let scale = 1 / norm
        for i in v.indices { v[i] *= scale }
    }
    return norm
}
