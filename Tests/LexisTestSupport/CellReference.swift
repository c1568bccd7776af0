// Scalar versions of the LSTM step kernels (Double arithmetic), and the optimized kernel run on
// arrays, for the tests that compare the two. Gate order (i, f, g, o); see CellKernels.swift.
import LexisRecurrent
import LexisTensor

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
