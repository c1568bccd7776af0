// Fused element-wise kernels for one time step of a recurrent layer, vectorized over H.
//
// Gate order (i, f, g, o). Shapes: B batch rows, H hidden; a gate row is [i | f | g | o], 4H wide.
// LSTM:  i = sigmoid(a_i), f = sigmoid(a_f), g = tanh(a_g), o = sigmoid(a_o)
//        c' = f * c + i * g,  h' = o * tanh(c')
// RNN:   h' = tanh(a)
// `CellReference` below holds the plain scalar versions the tests compare against.
import LexisTensor

enum CellKernels {
    /// In: `gates` holds pre-activations for one step [B x 4H], `c` the previous cell [B x H].
    /// Out: gates replaced by activations, cNew, tanhC, hNew [B x H].
    static func lstmForward(gates: UnsafeMutablePointer<Float>, c: UnsafePointer<Float>,
                            cNew: UnsafeMutablePointer<Float>, tanhC: UnsafeMutablePointer<Float>,
                            hNew: UnsafeMutablePointer<Float>, batch: Int, hidden H: Int) {
        for b in 0..<batch {
            let gi = gates + b * 4 * H, gf = gi + H, gg = gi + 2 * H, go = gi + 3 * H
            let cp = c + b * H, cn = cNew + b * H, tc = tanhC + b * H, hn = hNew + b * H
            var j = 0
            while j < H {
                let n = min(8, H - j)
                @inline(__always) func ld(_ p: UnsafePointer<Float>) -> Vec8 { n == 8 ? load8(p + j) : loadPartial(p + j, n) }
                @inline(__always) func st(_ v: Vec8, _ p: UnsafeMutablePointer<Float>) {
                    if n == 8 { store8(v, p + j) } else { storePartial(v, p + j, n) }
                }
                let i = VectorMath.sigmoid(ld(gi)), f = VectorMath.sigmoid(ld(gf))
                let g = VectorMath.tanh(ld(gg)), o = VectorMath.sigmoid(ld(go))
                let cv = f * ld(cp) + i * g
                let t = VectorMath.tanh(cv)
                st(i, gi); st(f, gf); st(g, gg); st(o, go)
                st(cv, cn); st(t, tc); st(o * t, hn)
                j += 8
            }
        }
    }

    /// In: activations i, f, g, o of the step, the previous cell c, tanh(c'), dh (total gradient
    /// on h', from above and from the next step), dcNext (gradient on c' from the next step).
    /// Out: dGates [B x 4H] (pre-activation gradients, overwritten) and dcNext replaced by the
    /// gradient on c for the previous step.
    static func lstmBackward(gates: UnsafePointer<Float>, c: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                             dh: UnsafePointer<Float>, dcNext: UnsafeMutablePointer<Float>,
                             dGates: UnsafeMutablePointer<Float>, batch: Int, hidden H: Int) {
        for b in 0..<batch {
            let gi = gates + b * 4 * H, gf = gi + H, gg = gi + 2 * H, go = gi + 3 * H
            let di = dGates + b * 4 * H, df = di + H, dg = di + 2 * H, dout = di + 3 * H
            let cp = c + b * H, tc = tanhC + b * H, dhb = dh + b * H, dcb = dcNext + b * H
            var j = 0
            while j < H {
                let n = min(8, H - j)
                @inline(__always) func ld(_ p: UnsafePointer<Float>) -> Vec8 { n == 8 ? load8(p + j) : loadPartial(p + j, n) }
                @inline(__always) func st(_ v: Vec8, _ p: UnsafeMutablePointer<Float>) {
                    if n == 8 { store8(v, p + j) } else { storePartial(v, p + j, n) }
                }
                let i = ld(gi), f = ld(gf), g = ld(gg), o = ld(go), t = ld(tc), d = ld(dhb)
                let one = Vec8(repeating: 1)
                let dc = ld(dcb) + d * o * (one - t * t)
                st(d * t * o * (one - o), dout)
                st(dc * g * i * (one - i), di)
                st(dc * i * (one - g * g), dg)
                st(dc * ld(cp) * f * (one - f), df)
                st(dc * f, dcb)
                j += 8
            }
        }
    }

    /// RNN: gates [B x H] pre-activations replaced by h' = tanh(a), also written to hNew.
    static func rnnForward(gates: UnsafeMutablePointer<Float>, hNew: UnsafeMutablePointer<Float>, count: Int) {
        VectorMath.tanh(gates, gates, count)
        hNew.update(from: gates, count: count)
    }

    /// RNN: dGates = dh * (1 - h'^2).
    static func rnnBackward(h: UnsafePointer<Float>, dh: UnsafePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                            count: Int) {
        var j = 0
        while j + 8 <= count {
            let y = load8(h + j)
            store8(load8(dh + j) * (1 - y * y), dGates + j)
            j += 8
        }
        while j < count { dGates[j] = dh[j] * (1 - h[j] * h[j]); j += 1 }
    }
}

/// Scalar versions of the LSTM step kernels (Double arithmetic), for tests.
public enum CellReference {
    public static func lstmForward(preactivations a: [Float], c: [Float], batch: Int, hidden H: Int)
        -> (gates: [Float], c: [Float], tanhC: [Float], h: [Float]) {
        var gates = a, cn = c, tc = c, hn = c
        for b in 0..<batch {
            for j in 0..<H {
                let r = b * 4 * H
                let i = Reference.sigmoid(Double(a[r + j])), f = Reference.sigmoid(Double(a[r + H + j]))
                let g = Reference.tanh(Double(a[r + 2 * H + j])), o = Reference.sigmoid(Double(a[r + 3 * H + j]))
                let cv = f * Double(c[b * H + j]) + i * g
                gates[r + j] = Float(i); gates[r + H + j] = Float(f); gates[r + 2 * H + j] = Float(g); gates[r + 3 * H + j] = Float(o)
                cn[b * H + j] = Float(cv); tc[b * H + j] = Float(Reference.tanh(cv)); hn[b * H + j] = Float(o * Reference.tanh(cv))
            }
        }
        return (gates, cn, tc, hn)
    }

    /// Runs the optimized LSTM step kernel on arrays (for tests).
    public static func optimizedLSTMForward(preactivations a: [Float], c: [Float], batch: Int, hidden H: Int)
        -> (gates: [Float], c: [Float], tanhC: [Float], h: [Float]) {
        var gates = a, cn = c, tc = c, hn = c
        gates.withUnsafeMutableBufferPointer { g in
            cn.withUnsafeMutableBufferPointer { cnp in
                tc.withUnsafeMutableBufferPointer { tcp in
                    hn.withUnsafeMutableBufferPointer { hnp in
                        CellKernels.lstmForward(gates: g.baseAddress!, c: c, cNew: cnp.baseAddress!, tanhC: tcp.baseAddress!,
                                                hNew: hnp.baseAddress!, batch: batch, hidden: H)
                    }
                }
            }
        }
        return (gates, cn, tc, hn)
    }
}
