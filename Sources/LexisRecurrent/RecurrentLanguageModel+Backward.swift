// Backward pass through one segment (truncated BPTT): gradients on the carried-in state are
// dropped, everything else ADDS into the model's gradient buffer (zeroed once per step by the
// caller). Weight gradients of a layer are one gemm each over the whole segment.
//
// Gate order (i, f, g, o). Shapes: B batch, T steps, H hidden, E embedding, V vocabulary, G gates.
import LexisTensor

extension RecurrentLanguageModel {
    /// Adds the gradients of the last forward's loss to ``store``'s gradient buffer; the gradient on
    /// the carried-in state is dropped (truncated BPTT).
    ///
    /// Call after `forward(..., gradientScale:)` on the same workspace.
    public func backward(_ ws: LMWorkspace) {
        let T = ws.lastSteps, B = ws.batch, H = config.hidden, E = config.embedding
        let GH = config.cell.gates * H, N = T * B
        let dropout = ws.lastTraining && config.dropout > 0
        var dOut = ws.gradA.pointer, dIn = ws.gradB.pointer

        // Output layer: d logits are in ws.logits.
        dOut.update(repeating: 0, count: N * H)
        output.backward(store, x: topOutput(ws), dy: ws.logits.pointer, rows: N, dx: dOut)

        for l in stride(from: config.layers - 1, through: 0, by: -1) {
            let layer = layers[l]
            let gates = ws.gates[l].pointer, h = ws.h[l].pointer, dG = ws.gateGradients.pointer
            if dropout { VectorMath.multiply(dOut, ws.masks[l].pointer, dOut, N * H) }
            // dOut now holds d loss / d h for steps 1...T (block t is step t+1's output).
            let dhNext = ws.hNext.pointer, dcNext = ws.cNext.pointer
            dcNext.update(repeating: 0, count: B * H)
            let whh = store.value(layer.recurrentWeight)
            for t in stride(from: T - 1, through: 0, by: -1) {
                let dh = dOut + t * B * H
                if t < T - 1 { VectorMath.axpy(1, dhNext, dh, B * H) }
                let dg = dG + t * B * GH
                switch config.cell {
                case .lstm:
                    CellKernels.lstmBackward(gates: gates + t * B * GH, c: ws.c[l].pointer + t * B * H,
                                             tanhC: ws.tanhC[l].pointer + t * B * H, dh: dh, dcNext: dcNext,
                                             dGates: dg, batch: B, hidden: H)
                case .rnn:
                    CellKernels.rnnBackward(h: h + (t + 1) * B * H, dh: dh, dGates: dg, count: B * H)
                }
                // The state carried in from the previous segment gets no gradient (truncation).
                if t > 0 && B <= Matmul.fewRowsLimit {
                    Matmul.gemmFewRows(m: B, n: H, k: GH, a: dg, lda: GH, b: whh, ldb: H, beta: 0, c: dhNext, ldc: H)
                } else if t > 0 {
                    Matmul.gemm(m: B, n: H, k: GH, a: dg, lda: GH, b: whh, ldb: H, beta: 0, c: dhNext, ldc: H)
                }
            }
            // Weight gradients over the whole segment.
            let input = layerInput(ws, l)
            Matmul.gemm(transA: true, m: GH, n: H, k: N, a: dG, lda: GH, b: h, ldb: H, beta: 1,
                        c: store.gradient(layer.recurrentWeight), ldc: H)
            Matmul.gemm(transA: true, m: GH, n: layer.inputSize, k: N, a: dG, lda: GH, b: input, ldb: layer.inputSize,
                        beta: 1, c: store.gradient(layer.inputWeight), ldc: layer.inputSize)
            Matmul.addColumnSums(dG, rows: N, cols: GH, into: store.gradient(layer.bias))
            if l > 0 || embedding.table.trainable {
                Matmul.gemm(m: N, n: layer.inputSize, k: GH, a: dG, lda: GH, b: store.value(layer.inputWeight),
                            ldb: layer.inputSize, beta: 0, c: dIn, ldc: layer.inputSize)
                swap(&dOut, &dIn)
            } else {
                return
            }
        }
        // dOut: d loss / d (embedding output after dropout).
        if dropout { VectorMath.multiply(dOut, ws.embeddingMask.pointer, dOut, N * E) }
        embedding.backward(store, ids: ws.inputs, count: N, dy: dOut)
    }
}
