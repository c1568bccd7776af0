// Fused element-wise kernels for one time step of a recurrent layer, vectorized over H (the
// bodies are in CKernels, compiled per instruction set).
//
// Gate order (i, f, g, o). Shapes: B batch rows, H hidden; a gate row is [i | f | g | o], 4H wide.
// LSTM:  i = sigmoid(a_i), f = sigmoid(a_f), g = tanh(a_g), o = sigmoid(a_o)
//        c' = f * c + i * g,  h' = o * tanh(c')
// RNN:   h' = tanh(a)
// The plain scalar versions the tests compare against are `CellReference`, in LexisTestSupport.
import LexisTensor
import CKernels

package enum CellKernels {
    /// In: `gates` holds pre-activations for one step [B x 4H], `c` the previous cell [B x H].
    /// Out: gates replaced by activations, cNew, tanhC, hNew [B x H].
    @inline(__always)
    package static func lstmForward(gates: UnsafeMutablePointer<Float>, c: UnsafePointer<Float>,
                                    cNew: UnsafeMutablePointer<Float>, tanhC: UnsafeMutablePointer<Float>,
                                    hNew: UnsafeMutablePointer<Float>, batch: Int, hidden H: Int) {
        lexis_kernels.lstm_forward(gates, c, cNew, tanhC, hNew, batch, H)
    }

    /// In: activations i, f, g, o of the step, the previous cell c, tanh(c'), dh (total gradient
    /// on h', from above and from the next step), dcNext (gradient on c' from the next step).
    /// Out: dGates [B x 4H] (pre-activation gradients, overwritten) and dcNext replaced by the
    /// gradient on c for the previous step.
    @inline(__always)
    static func lstmBackward(gates: UnsafePointer<Float>, c: UnsafePointer<Float>, tanhC: UnsafePointer<Float>,
                             dh: UnsafePointer<Float>, dcNext: UnsafeMutablePointer<Float>,
                             dGates: UnsafeMutablePointer<Float>, batch: Int, hidden H: Int) {
        lexis_kernels.lstm_backward(gates, c, tanhC, dh, dcNext, dGates, batch, H)
    }

    /// RNN: gates [B x H] pre-activations replaced by h' = tanh(a), also written to hNew.
    static func rnnForward(gates: UnsafeMutablePointer<Float>, hNew: UnsafeMutablePointer<Float>, count: Int) {
        VectorMath.tanh(gates, gates, count)
        hNew.update(from: gates, count: count)
    }

    /// RNN: dGates = dh * (1 - h'^2).
    @inline(__always)
    static func rnnBackward(h: UnsafePointer<Float>, dh: UnsafePointer<Float>, dGates: UnsafeMutablePointer<Float>,
                            count: Int) {
        lexis_kernels.rnn_backward(h, dh, dGates, count)
    }
}
