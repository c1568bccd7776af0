// Forward pass: embedding -> recurrent layers over the active prefix of each step -> masked
// pooling -> dropout -> linear. Training forward also fills the loss gradient on the logits.
// See SentenceClassifier.swift for the shape legend and the prefix (sorted batch) convention.
import LexisTensor

extension SentenceClassifier {
    /// Runs the model on a batch; returns the summed cross-entropy (for the ova loss, summed over
    /// labels too). With `training`, dropout masks
    /// are drawn from `rng` and the logits are replaced by d(mean loss)/d logits for `backward`.
    /// Without targets (prediction) pass `computeLoss: false`; the loss is then 0. `holdMasks`
    /// reuses the dropout masks of the previous call (for gradient checks).
    @discardableResult
    public func forward(_ batch: ClassifierBatch, workspace ws: ClassifierWorkspace, training: Bool,
                        rng: inout RandomGenerator, computeLoss: Bool = true, holdMasks: Bool = false) -> Double {
        precondition(ws.fits(batch), "workspace too small for the batch")
        let (B, T, E) = (batch.rows, batch.steps, config.embedding)
        let p = training ? config.dropout : 0
        ws.lastTraining = training
        // Embedding of the real tokens only; padding rows stay zero.
        ws.x.pointer.update(repeating: 0, count: T * B * E)
        batch.ids.withUnsafeBufferPointer { ids in
            for t in 0..<T {
                embedding.forward(store, ids: ids.baseAddress! + t * B, count: batch.active[t], y: ws.x.pointer + t * B * E)
            }
        }
        if p > 0 && config.dropsEmbeddings {
            if !holdMasks { Dropout.makeMask(ws.xMask.pointer, count: T * B * E, probability: p, rng: &rng) }
            Dropout.forward(ws.x.pointer, mask: ws.xMask.pointer, ws.x.pointer, count: T * B * E)
        }
        var features = ws.x.pointer
        var width = E
        for l in 0..<layers.count {
            var input = ws.x.pointer
            if l > 0 {
                let n = T * B * width
                input = ws.layerIn[l].pointer
                input.update(from: ws.y[l - 1].pointer, count: n)
                if p > 0 {
                    if !holdMasks { Dropout.makeMask(ws.layerInMask[l].pointer, count: n, probability: p, rng: &rng) }
                    Dropout.forward(input, mask: ws.layerInMask[l].pointer, input, count: n)
                }
            }
            for d in 0..<config.directions {
                directionForward(layer: l, direction: d, input: input, batch: batch, ws: ws)
            }
            features = ws.y[l].pointer
            width = config.directions * config.hidden
        }
        if config.model == .cnn {
            convolutionForward(batch, ws: ws)
        } else {
            pool(features, width: width, batch: batch, into: ws.pooled.pointer, argmax: ws.argmax)
        }
        let F = config.featureSize
        var head = ws.pooled.pointer
        if p > 0 {
            if !holdMasks { Dropout.makeMask(ws.pooledMask.pointer, count: B * F, probability: p, rng: &rng) }
            Dropout.forward(ws.pooled.pointer, mask: ws.pooledMask.pointer, ws.pooledDropped.pointer, count: B * F)
            head = ws.pooledDropped.pointer
        }
        output.forward(store, x: head, rows: B, y: ws.logits.pointer)
        guard computeLoss else { return 0 }
        if config.loss == .ova {
            let C = config.classes
            ws.multiTargets.pointer.update(repeating: 0, count: B * C)
            for b in 0..<B { for k in batch.targetSets[b] { ws.multiTargets[b * C + Int(k)] = 1 } }
            return SigmoidCrossEntropy.lossSum(logits: ws.logits.pointer, rows: B, cols: C, targets: ws.multiTargets.pointer,
                                               gradientScale: training ? 1 / Float(B) : nil)
        }
        for b in 0..<B { ws.targets[b] = batch.targets[b] }
        return CrossEntropy.lossSum(logits: ws.logits.pointer, rows: B, cols: config.classes, targets: ws.targets,
                                    gradientScale: training ? 1 / Float(B) : nil)
    }

    /// One direction of one layer. Input [T*B x in]; writes its half of y[l] ([T*B x D*H]).
    func directionForward(layer l: Int, direction d: Int, input: UnsafePointer<Float>, batch: ClassifierBatch,
                          ws: ClassifierWorkspace) {
        let cell = layers[l][d]
        let (B, T, H, GH, D) = (batch.rows, batch.steps, config.hidden, config.cell.gates * config.hidden, config.directions)
        let gates = ws.gates[l][d].pointer, h = ws.h[l][d].pointer
        // Input projection of every step at once; padding rows are computed but never read.
        Matmul.broadcastRows(store.value(cell.bias), rows: T * B, cols: GH, into: gates)
        Matmul.gemm(transB: true, m: T * B, n: GH, k: cell.inputSize, a: input, lda: cell.inputSize,
                    b: store.value(cell.inputWeight), ldb: cell.inputSize, beta: 1, c: gates, ldc: GH)
        // Slots of rows not yet started (or already finished) must read as zero state.
        h.update(repeating: 0, count: (T + 1) * B * H)
        let lstm = config.cell == .lstm
        if lstm { ws.c[l][d].pointer.update(repeating: 0, count: (T + 1) * B * H) }
        let wh = store.value(cell.recurrentWeight)
        for step in 0..<T {
            let t = d == 0 ? step : T - 1 - step
            let (prev, cur) = d == 0 ? (t, t + 1) : (t + 1, t)
            let n = batch.active[t]
            let g = gates + t * B * GH
            Matmul.gemm(transB: true, m: n, n: GH, k: H, a: h + prev * B * H, lda: H, b: wh, ldb: H, beta: 1, c: g, ldc: GH)
            if lstm {
                let c = ws.c[l][d].pointer
                CellKernels.lstmForward(gates: g, c: c + prev * B * H, cNew: c + cur * B * H,
                                        tanhC: ws.tanhC[l][d].pointer + t * B * H, hNew: h + cur * B * H, batch: n, hidden: H)
            } else {
                CellKernels.rnnForward(gates: g, hNew: h + cur * B * H, count: n * H)
            }
        }
        // y[t] row b = [h_fwd | h_bwd]; padding rows copy zero states.
        let y = ws.y[l].pointer
        for t in 0..<T {
            let slot = d == 0 ? t + 1 : t
            for b in 0..<B {
                (y + (t * B + b) * D * H + d * H).update(from: h + (slot * B + b) * H, count: H)
            }
        }
    }

    /// Masked pooling of features [T*B x W] into [B x W]: only steps t < length of each row.
    /// An empty sentence (prediction only) pools to zeros.
    func pool(_ r: UnsafePointer<Float>, width W: Int, batch: ClassifierBatch, into out: UnsafeMutablePointer<Float>,
              argmax: UnsafeMutablePointer<Int32>) {
        let B = batch.rows
        out.update(repeating: 0, count: B * W)
        for b in 0..<B {
            let len = batch.lengths[b]
            let o = out + b * W
            guard len > 0 else {
                argmax.advanced(by: b * W).update(repeating: -1, count: W)
                continue
            }
            switch config.pool {
            case .max:
                let a = argmax + b * W
                o.update(from: r + b * W, count: W)
                a.update(repeating: 0, count: W)
                for t in 1..<len {
                    let row = r + (t * B + b) * W
                    for j in 0..<W where row[j] > o[j] { o[j] = row[j]; a[j] = Int32(t) }
                }
            case .mean:
                for t in 0..<len { VectorMath.axpy(1, r + (t * B + b) * W, o, W) }
                VectorMath.scale(o, W, by: 1 / Float(len))
            case .last:
                // Forward half: the state after the last word; backward half: after the first word.
                let H = config.hidden
                o.update(from: r + ((len - 1) * B + b) * W, count: H)
                if config.directions == 2 { (o + H).update(from: r + b * W + H, count: H) }
            }
        }
    }
}
