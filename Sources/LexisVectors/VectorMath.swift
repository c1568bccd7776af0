// Small vector kernels for queries, on the dispatched CKernels (see LexisTensor's CPUDispatch).
import CKernels

@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    lexis_kernels.dot(a, b, n)
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
