// Vectorized element-wise kernels on SIMD8<Float> (AVX2 with -target-cpu haswell). `exp` is a
// Cephes-style polynomial after range reduction (about 2 ulp); sigmoid and tanh are built on it.
// Naive counterparts live in `Reference` and the tests compare the two.

public typealias Vec8 = SIMD8<Float>

@inline(__always) public func load8(_ p: UnsafePointer<Float>) -> Vec8 {
    UnsafeRawPointer(p).loadUnaligned(as: Vec8.self)
}

@inline(__always) public func store8(_ v: Vec8, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec8.self)
}

/// Loads `count` (< 8) floats, padding with `fill`.
@inline(__always) public func loadPartial(_ p: UnsafePointer<Float>, _ count: Int, fill: Float = 0) -> Vec8 {
    var v = Vec8(repeating: fill)
    for k in 0..<count { v[k] = p[k] }
    return v
}

@inline(__always) public func storePartial(_ v: Vec8, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
    for k in 0..<count { p[k] = v[k] }
}

public enum VectorMath {
    /// e^x for 8 lanes. Inputs are clamped to [-87.3, 88.37] (exp underflows to ~1e-38, never inf).
    @inline(__always)
    public static func exp(_ x: Vec8) -> Vec8 {
        // Masked selects instead of `clamped` (whose pointwiseMin/Max were not inlined: 5% of training).
        let lo = Vec8(repeating: -87.3), hi = Vec8(repeating: 88.37)
        var x = x.replacing(with: lo, where: x .< lo)
        x.replace(with: hi, where: x .> hi)
        // Round x*log2(e) to the nearest integer n with the 1.5*2^23 trick (no library call).
        let magic = Vec8(repeating: 12_582_912)
        let t = x * 1.442_695_04 + magic
        let n = t - magic
        var r = x - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        var p = Vec8(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_1e-1
        p = p * (r * r) + r + 1
        // 2^n from the exponent bits: n sits in the low mantissa bits of t.
        let bits = unsafeBitCast(t, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        let scale = unsafeBitCast((bits &+ 127) &<< 23, to: Vec8.self)
        return p * scale
    }

    @inline(__always)
    public static func sigmoid(_ x: Vec8) -> Vec8 { 1 / (1 + exp(-x)) }

    /// tanh(x) = 2 sigmoid(2x) - 1; absolute error ~1e-7.
    @inline(__always)
    public static func tanh(_ x: Vec8) -> Vec8 { 2 / (1 + exp(-2 * x)) - 1 }

    // MARK: - Array kernels (y may alias x)

    /// Applies `f` to n floats 8 at a time.
    @inline(__always)
    public static func map(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                           _ f: (Vec8) -> Vec8) {
        var i = 0
        while i + 8 <= n {
            store8(f(load8(x + i)), y + i)
            i += 8
        }
        if i < n { storePartial(f(loadPartial(x + i, n - i)), y + i, n - i) }
    }

    public static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        map(x, y, n) { exp($0) }
    }

    public static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        map(x, y, n) { sigmoid($0) }
    }

    public static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        map(x, y, n) { tanh($0) }
    }

    public static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        map(x, y, n) { $0.replacing(with: 0, where: $0 .< 0) }
    }

    // MARK: - Backward, from the saved outputs y; dx += dy * f'(x)

    public static func sigmoidBackward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                       dx: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { dx[i] += dy[i] * y[i] * (1 - y[i]) }
    }

    public static func tanhBackward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                    dx: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { dx[i] += dy[i] * (1 - y[i] * y[i]) }
    }

    public static func reluBackward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                    dx: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n where y[i] > 0 { dx[i] += dy[i] }
    }

    // MARK: - Reductions and BLAS-1 style helpers

    @inline(__always)
    public static func max(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var m = Vec8(repeating: -.infinity)
        var i = 0
        while i + 8 <= n {
            let v = load8(x + i)
            m.replace(with: v, where: v .> m)
            i += 8
        }
        var result = m.max()
        while i < n { result = Swift.max(result, x[i]); i += 1 }
        return result
    }

    /// y[i] = exp(x[i] - shift); returns the sum (Double across 8 float lanes).
    @inline(__always)
    public static func expShiftedSum(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int,
                                     shift: Float) -> Double {
        var acc = Vec8(repeating: 0)
        var total = 0.0
        var i = 0
        let s = Vec8(repeating: shift)
        while i + 8 <= n {
            let e = exp(load8(x + i) - s)
            store8(e, y + i)
            acc += e
            i += 8
            // Flush the float lanes regularly so long rows keep Double accuracy.
            if i & 1023 == 0 { total += Double(acc.sum()); acc = .zero }
        }
        total += Double(acc.sum())
        if i < n {
            let e = exp(loadPartial(x + i, n - i) - s)
            for k in 0..<(n - i) { y[i + k] = e[k]; total += Double(e[k]) }
        }
        return total
    }

    /// x[i] *= a
    @inline(__always)
    public static func scale(_ x: UnsafeMutablePointer<Float>, _ n: Int, by a: Float) {
        var i = 0
        let av = Vec8(repeating: a)
        while i + 8 <= n { store8(load8(x + i) * av, x + i); i += 8 }
        while i < n { x[i] *= a; i += 1 }
    }

    /// y[i] = x[i] * m[i]
    @inline(__always)
    public static func multiply(_ x: UnsafePointer<Float>, _ m: UnsafePointer<Float>,
                                _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n { store8(load8(x + i) * load8(m + i), y + i); i += 8 }
        while i < n { y[i] = x[i] * m[i]; i += 1 }
    }

    /// y[i] += x[i] * m[i]
    @inline(__always)
    public static func multiplyAdd(_ x: UnsafePointer<Float>, _ m: UnsafePointer<Float>,
                                   _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n { store8(load8(y + i) + load8(x + i) * load8(m + i), y + i); i += 8 }
        while i < n { y[i] += x[i] * m[i]; i += 1 }
    }

    /// y[i] += a * x[i]
    @inline(__always)
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let av = Vec8(repeating: a)
        while i + 8 <= n { store8(load8(y + i) + av * load8(x + i), y + i); i += 8 }
        while i < n { y[i] += a * x[i]; i += 1 }
    }
}
