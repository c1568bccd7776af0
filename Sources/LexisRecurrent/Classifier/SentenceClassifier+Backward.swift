// Backward pass, mirroring the forward: linear -> dropout -> pooling (gradient only to the steps
// that were pooled) -> recurrent layers in reverse time over the same active prefixes ->
// embedding rows of real tokens. Everything ADDS into the store's gradients (zeroed by the
// caller once per step); workspace gradient buffers are zeroed here before use.
import LexisTensor

extension SentenceClassifier {
    /// Adds the gradients of the last training forward's loss to ``store``'s gradient buffer.
    ///
    /// Call after a training `forward` of the same batch (its logits hold d loss / d logits).
    public func backward(_ batch: ClassifierBatch, workspace ws: ClassifierWorkspace) {
        let (B, T, E, F) = (batch.rows, batch.steps, config.embedding, config.featureSize)
        let p = ws.lastTraining ? config.dropout : 0
        // Linear and dropout on the pooled vector.
        let head = p > 0 ? ws.pooledDropped.pointer : ws.pooled.pointer
        ws.dPooled.pointer.update(repeating: 0, count: B * F)
        if p > 0 {
            ws.dPooledDropped.pointer.update(repeating: 0, count: B * F)
            output.backward(store, x: head, dy: ws.logits.pointer, rows: B, dx: ws.dPooledDropped.pointer)
            Dropout.backward(dy: ws.dPooledDropped.pointer, mask: ws.pooledMask.pointer, dx: ws.dPooled.pointer, count: B * F)
        } else {
            output.backward(store, x: head, dy: ws.logits.pointer, rows: B, dx: ws.dPooled.pointer)
        }
        if config.model == .cnn {
            convolutionBackward(batch, ws: ws)
            embeddingBackward(batch, ws: ws, dropout: false)
            return
        }
        // Pooling: gradient on the features the pool read, zero elsewhere (padding included).
        let L = layers.count
        let dFeatures = L > 0 ? ws.dY[L - 1].pointer : ws.dX.pointer
        let width = L > 0 ? config.directions * config.hidden : E
        dFeatures.update(repeating: 0, count: T * B * width)
        poolBackward(ws.dPooled.pointer, width: width, batch: batch, argmax: ws.argmax, into: dFeatures)
        if L > 0 {
            ws.dX.pointer.update(repeating: 0, count: T * B * E)
            for l in stride(from: L - 1, through: 0, by: -1) {
                let n = T * B * width
                let input = l == 0 ? UnsafePointer(ws.x.pointer) : UnsafePointer(ws.layerIn[l].pointer)
                let dInput = l == 0 ? ws.dX.pointer : ws.dLayerIn[l].pointer
                if l > 0 { dInput.update(repeating: 0, count: n) }
                for d in 0..<config.directions {
                    directionBackward(layer: l, direction: d, input: input, dInput: dInput, batch: batch, ws: ws)
                }
                if l > 0 {
                    let dPrev = ws.dY[l - 1].pointer
                    if p > 0 {
                        dPrev.update(repeating: 0, count: n)
                        Dropout.backward(dy: dInput, mask: ws.layerInMask[l].pointer, dx: dPrev, count: n)
                    } else {
                        dPrev.update(from: dInput, count: n)
                    }
                }
            }
        }
        embeddingBackward(batch, ws: ws, dropout: p > 0)
    }

    /// Embedding dropout (when it was applied), then the rows of the real tokens.
    func embeddingBackward(_ batch: ClassifierBatch, ws: ClassifierWorkspace, dropout: Bool) {
        let (B, T, E) = (batch.rows, batch.steps, config.embedding)
        if dropout { VectorMath.multiply(ws.dX.pointer, ws.xMask.pointer, ws.dX.pointer, T * B * E) }
        batch.ids.withUnsafeBufferPointer { ids in
            for t in 0..<T {
                embedding.backward(store, ids: ids.baseAddress! + t * B, count: batch.active[t], dy: ws.dX.pointer + t * B * E)
            }
        }
    }

    /// d features += d pooled, routed to the steps the pool read.
    func poolBackward(_ dp: UnsafePointer<Float>, width W: Int, batch: ClassifierBatch, argmax: UnsafePointer<Int32>,
                      into dr: UnsafeMutablePointer<Float>) {
        let B = batch.rows
        for b in 0..<B {
            let len = batch.lengths[b]
            guard len > 0 else { continue }
            let g = dp + b * W
            switch config.pool {
            case .max:
                let a = argmax + b * W
                for j in 0..<W { dr[(Int(a[j]) * B + b) * W + j] += g[j] }
            case .mean:
                let s = 1 / Float(len)
                for t in 0..<len { VectorMath.axpy(s, g, dr + (t * B + b) * W, W) }
            case .last:
                let H = config.hidden
                VectorMath.axpy(1, g, dr + ((len - 1) * B + b) * W, H)
                if config.directions == 2 { VectorMath.axpy(1, g + H, dr + b * W + H, H) }
            }
        }
    }

    /// Backpropagation through time for one direction of one layer: reads dY[l] (its half),
    /// adds into the layer's weight gradients and into dInput [T*B x in].
    func directionBackward(layer l: Int, direction d: Int, input: UnsafePointer<Float>, dInput: UnsafeMutablePointer<Float>,
                           batch: ClassifierBatch, ws: ClassifierWorkspace) {
        let cell = layers[l][d]
        let (B, T, H, GH, D) = (batch.rows, batch.steps, config.hidden, config.cell.gates * config.hidden, config.directions)
        let lstm = config.cell == .lstm
        let gates = ws.gates[l][d].pointer, h = ws.h[l][d].pointer, dY = ws.dY[l].pointer
        let dG = ws.dGates.pointer, dh = ws.dh.pointer, dhRec = ws.dhRecurrent.pointer, dc = ws.dc.pointer
        // Rows that have not started (in reverse time) must see zero recurrent gradients, and
        // padding rows of dG must be zero for the segment-wide weight-gradient products below.
        dG.update(repeating: 0, count: T * B * GH)
        dhRec.update(repeating: 0, count: B * H)
        dc.update(repeating: 0, count: B * H)
        let wh = store.value(cell.recurrentWeight)
        for step in 0..<T {
            let t = d == 0 ? T - 1 - step : step
            let (prev, cur) = d == 0 ? (t, t + 1) : (t + 1, t)
            let n = batch.active[t]
            for b in 0..<n {
                let src = dY + (t * B + b) * D * H + d * H, rec = dhRec + b * H, out = dh + b * H
                for j in 0..<H { out[j] = src[j] + rec[j] }
            }
            let g = dG + t * B * GH
            if lstm {
                let c = ws.c[l][d].pointer
                CellKernels.lstmBackward(gates: gates + t * B * GH, c: c + prev * B * H, tanhC: ws.tanhC[l][d].pointer + t * B * H,
                                         dh: dh, dcNext: dc, dGates: g, batch: n, hidden: H)
            } else {
                CellKernels.rnnBackward(h: h + cur * B * H, dh: dh, dGates: g, count: n * H)
            }
            Matmul.gemm(m: n, n: H, k: GH, a: g, lda: GH, b: wh, ldb: H, beta: 0, c: dhRec, ldc: H)
        }
        // Weight gradients over the whole batch at once (padding rows of dG are zero).
        let hPrev = d == 0 ? h : h + B * H
        Matmul.gemm(transA: true, m: GH, n: H, k: T * B, a: dG, lda: GH, b: hPrev, ldb: H,
                    beta: 1, c: store.gradient(cell.recurrentWeight), ldc: H)
        Matmul.gemm(transA: true, m: GH, n: cell.inputSize, k: T * B, a: dG, lda: GH, b: input, ldb: cell.inputSize,
                    beta: 1, c: store.gradient(cell.inputWeight), ldc: cell.inputSize)
        Matmul.addColumnSums(dG, rows: T * B, cols: GH, into: store.gradient(cell.bias))
        Matmul.gemm(m: T * B, n: cell.inputSize, k: GH, a: dG, lda: GH, b: store.value(cell.inputWeight), ldb: cell.inputSize,
                    beta: 1, c: dInput, ldc: cell.inputSize)
    }
}
