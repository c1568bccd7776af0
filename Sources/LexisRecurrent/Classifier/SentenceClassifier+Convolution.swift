// The convolutional encoder (Kim 2014): for each width, the windows of the embedded sentence
// (Convolution1D's im2col, wide, zero outside the sentence) times the filters in one GEMM, ReLU,
// and the maximum over the sentence's windows; the widths' maxima side by side are the pooled
// vector [B x widths*filters]. Backward routes each pooled gradient to the one window that gave
// the maximum (none when the ReLU was off there) and rebuilds the windows instead of keeping
// them, so one windows buffer serves every width.
import LexisTensor

extension SentenceClassifier {
    /// Pooled features of the embedded batch `ws.x` into `ws.pooled`; `ws.argmax` gets the
    /// window row of each maximum (-1 for an empty sentence).
    func convolutionForward(_ batch: ClassifierBatch, ws: ClassifierWorkspace) {
        let (B, F, P) = (batch.rows, config.filters, config.featureSize)
        ws.pooled.pointer.update(repeating: 0, count: B * P)
        ws.argmax.update(repeating: -1, count: B * P)
        for (i, conv) in convolutions.enumerated() {
            let R = conv.windowCount(lengths: batch.lengths)
            guard R > 0 else { continue }
            conv.im2col(ws.x.pointer, lengths: batch.lengths, into: ws.windows.pointer)
            conv.forward(store, windows: ws.windows.pointer, rows: R, y: ws.filterOutputs.pointer)
            let y = ws.filterOutputs.pointer
            var r = 0
            for b in 0..<B {
                let n = conv.windowCount(length: batch.lengths[b])
                guard n > 0 else { continue }
                let o = ws.pooled.pointer + b * P + i * F, a = ws.argmax + b * P + i * F
                // ReLU then max: the maximum of max(y, 0); the first window wins ties.
                o.update(from: y + r * F, count: F)
                a.update(repeating: Int32(r), count: F)
                for k in 1..<n {
                    let row = y + (r + k) * F
                    for f in 0..<F where row[f] > o[f] { o[f] = row[f]; a[f] = Int32(r + k) }
                }
                for f in 0..<F where o[f] < 0 { o[f] = 0 }
                r += n
            }
        }
    }

    /// Adds the filters' gradients and the embedded words' gradient (into `ws.dX`, padding left
    /// at zero) from d pooled `ws.dPooled`.
    func convolutionBackward(_ batch: ClassifierBatch, ws: ClassifierWorkspace) {
        let (B, T, E, F, P) = (batch.rows, batch.steps, config.embedding, config.filters, config.featureSize)
        ws.dX.pointer.update(repeating: 0, count: T * B * E)
        let wantInput = !config.frozenEmbedding
        for (i, conv) in convolutions.enumerated() {
            let R = conv.windowCount(lengths: batch.lengths)
            guard R > 0 else { continue }
            let dy = ws.filterOutputs.pointer
            dy.update(repeating: 0, count: R * F)
            for b in 0..<B {
                let o = ws.pooled.pointer + b * P + i * F, a = ws.argmax + b * P + i * F, g = ws.dPooled.pointer + b * P + i * F
                for f in 0..<F where a[f] >= 0 && o[f] > 0 { dy[Int(a[f]) * F + f] += g[f] }
            }
            conv.im2col(ws.x.pointer, lengths: batch.lengths, into: ws.windows.pointer)
            conv.backward(store, windows: ws.windows.pointer, dy: dy, rows: R, inputGradient: wantInput)
            if wantInput { conv.col2im(ws.windows.pointer, lengths: batch.lengths, into: ws.dX.pointer) }
        }
    }
}
