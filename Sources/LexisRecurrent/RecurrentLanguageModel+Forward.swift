// Forward pass over one truncated-BPTT segment.
//
// Gate order (i, f, g, o). Shapes: B batch, T steps, H hidden, E embedding, V vocabulary, G gates.
// Per layer: the input projection of all T steps is ONE gemm ([T*B x in] x [in x G*H]), then per
// step one gemm for the recurrent part ([B x H] x [H x G*H]) and one fused element-wise pass.
// The output layer is one gemm per segment ([T*B x H] x [H x V]).
import LexisTensor

extension RecurrentLanguageModel {
    /// Runs `steps` steps of the segment whose inputs/targets are in `ws`, starting from the state
    /// in block 0. Returns the summed cross-entropy over the T*B positions (nats).
    ///
    /// `training`: apply the dropout masks currently in `ws`. `gradientScale`: when set, the logits
    /// are replaced by d(loss * scale)/d logits, ready for `backward`.
    ///
    /// - Precondition: `1 <= T <= ws.steps`.
    @discardableResult
    public func forward(_ ws: LMWorkspace, steps T: Int, training: Bool, gradientScale: Float? = nil) -> Double {
        precondition(T >= 1 && T <= ws.steps)
        let B = ws.batch, H = config.hidden, E = config.embedding, V = config.vocabularySize
        let GH = config.cell.gates * H, N = T * B
        let dropout = training && config.dropout > 0
        ws.lastSteps = T
        ws.lastTraining = training

        embedding.forward(store, ids: ws.inputs, count: N, y: ws.embedded.pointer)
        if dropout { Dropout.forward(ws.embedded.pointer, mask: ws.embeddingMask.pointer, ws.embedded.pointer, count: N * E) }

        var input = UnsafePointer(ws.embedded.pointer)
        for (l, layer) in layers.enumerated() {
            let gates = ws.gates[l].pointer, h = ws.h[l].pointer
            let wih = store.value(layer.inputWeight), whh = store.value(layer.recurrentWeight)
            Matmul.broadcastRows(store.value(layer.bias), rows: N, cols: GH, into: gates)
            Matmul.gemm(transB: true, m: N, n: GH, k: layer.inputSize, a: input, lda: layer.inputSize,
                        b: wih, ldb: layer.inputSize, beta: 1, c: gates, ldc: GH)
            let fewRows = B <= Matmul.fewRowsLimit
            let whhT = ws.recurrentWeightTransposed.pointer
            if fewRows { Matmul.transpose(whh, rows: GH, cols: H, into: whhT) }
            for t in 0..<T {
                let g = gates + t * B * GH
                if fewRows {
                    Matmul.gemmFewRows(m: B, n: GH, k: H, a: h + t * B * H, lda: H, b: whhT, ldb: GH, beta: 1, c: g, ldc: GH)
                } else {
                    Matmul.gemm(transB: true, m: B, n: GH, k: H, a: h + t * B * H, lda: H, b: whh, ldb: H,
                                beta: 1, c: g, ldc: GH)
                }
                switch config.cell {
                case .lstm:
                    let c = ws.c[l].pointer
                    CellKernels.lstmForward(gates: g, c: c + t * B * H, cNew: c + (t + 1) * B * H,
                                            tanhC: ws.tanhC[l].pointer + t * B * H, hNew: h + (t + 1) * B * H,
                                            batch: B, hidden: H)
                case .rnn:
                    CellKernels.rnnForward(gates: g, hNew: h + (t + 1) * B * H, count: B * H)
                }
            }
            if dropout {
                Dropout.forward(h + B * H, mask: ws.masks[l].pointer, ws.dropped[l].pointer, count: N * H)
                input = UnsafePointer(ws.dropped[l].pointer)
            } else {
                input = UnsafePointer(h + B * H)
            }
        }

        output.forward(store, x: input, rows: N, y: ws.logits.pointer)
        return CrossEntropy.lossSum(logits: ws.logits.pointer, rows: N, cols: V, targets: ws.targets,
                                    gradientScale: gradientScale)
    }

    /// The top layer's output as seen by the output layer (after dropout when training).
    func topOutput(_ ws: LMWorkspace) -> UnsafePointer<Float> {
        let l = config.layers - 1
        if ws.lastTraining && config.dropout > 0 { return UnsafePointer(ws.dropped[l].pointer) }
        return UnsafePointer(ws.h[l].pointer + ws.batch * config.hidden)
    }

    /// The input of layer `l` as it saw it in the last forward.
    func layerInput(_ ws: LMWorkspace, _ l: Int) -> UnsafePointer<Float> {
        if l == 0 { return UnsafePointer(ws.embedded.pointer) }
        if ws.lastTraining && config.dropout > 0 { return UnsafePointer(ws.dropped[l - 1].pointer) }
        return UnsafePointer(ws.h[l - 1].pointer + ws.batch * config.hidden)
    }
}
