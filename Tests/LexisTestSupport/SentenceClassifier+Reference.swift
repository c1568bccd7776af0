// A naive Double-precision forward pass, one sentence at a time with no padding and no batching,
// for tests: gradient checks difference it, and the batched Float forward must agree with it.
import Foundation
import LexisRecurrent
import LexisTensor

extension SentenceClassifier {
    /// Logits of one sentence, computed in Double with plain loops. Without `masks` there is no
    /// dropout; with them, the dropout masks the last training forward left in `workspace` for
    /// row `row` of `batch` are applied where the batched forward applies them.
    public func referenceLogits(_ ids: [Int32], masks: (batch: ClassifierBatch, workspace: ClassifierWorkspace, row: Int)? = nil) -> [Double] {
        let w = store.values
        func value(_ v: ParameterView, _ r: Int, _ c: Int) -> Double { Double(w[v.offset + r * v.cols + c]) }
        let E = config.embedding, H = config.hidden, T = ids.count
        var seq: [[Double]] = ids.map { id in (0..<E).map { value(embedding.table, Int(id), $0) } }
        func applyMask(_ mask: FloatBuffer) {
            guard let (batch, _, row) = masks else { return }
            for t in 0..<T { for k in seq[t].indices { seq[t][k] *= Double(mask[(t * batch.rows + row) * seq[t].count + k]) } }
        }
        if let masks, config.dropsEmbeddings { applyMask(masks.workspace.xMask) }
        for (l, layer) in layers.enumerated() {
            if l > 0, let masks { applyMask(masks.workspace.layerInMask[l]) }
            var outputs = [[Double]](repeating: [], count: T)
            for (d, cell) in layer.enumerated() {
                var h = [Double](repeating: 0, count: H), c = h
                let order = d == 0 ? Array(0..<T) : Array((0..<T).reversed())
                for t in order {
                    let G = config.cell.gates
                    var a = [Double](repeating: 0, count: G * H)
                    for r in 0..<(G * H) {
                        var s = value(cell.bias, 0, r)
                        for k in 0..<cell.inputSize { s += value(cell.inputWeight, r, k) * seq[t][k] }
                        for k in 0..<H { s += value(cell.recurrentWeight, r, k) * h[k] }
                        a[r] = s
                    }
                    if config.cell == .lstm {
                        for j in 0..<H {
                            let i = Reference.sigmoid(a[j]), f = Reference.sigmoid(a[H + j])
                            let g = Reference.tanh(a[2 * H + j]), o = Reference.sigmoid(a[3 * H + j])
                            c[j] = f * c[j] + i * g
                            h[j] = o * Reference.tanh(c[j])
                        }
                    } else {
                        for j in 0..<H { h[j] = Reference.tanh(a[j]) }
                    }
                    outputs[t] += h
                }
            }
            seq = outputs
        }
        let F = config.featureSize
        var pooled = [Double](repeating: 0, count: F)
        if config.model == .cnn {
            pooled = referenceConvolutionFeatures(seq)
        } else if T > 0 {
            switch config.pool {
            case .max: for j in 0..<F { pooled[j] = seq.map { $0[j] }.max()! }
            case .mean: for j in 0..<F { pooled[j] = seq.reduce(0) { $0 + $1[j] } / Double(T) }
            case .last:
                for j in 0..<H { pooled[j] = seq[T - 1][j] }
                if config.directions == 2 { for j in H..<(2 * H) { pooled[j] = seq[0][j] } }
            }
        }
        if let (_, ws, row) = masks { for j in 0..<F { pooled[j] *= Double(ws.pooledMask[row * F + j]) } }
        return (0..<config.classes).map { k in
            var s = value(output.bias!, 0, k)
            for j in 0..<F { s += value(output.weight, k, j) * pooled[j] }
            return s
        }
    }

    /// Kim's CNN features of one embedded sentence: per width w, for every window position p in
    /// -(w-1) ..< T (zero outside the sentence), relu(b + sum_j W[f, j, :] . x[p + j]), then the
    /// maximum over p; an empty sentence gives zeros.
    func referenceConvolutionFeatures(_ seq: [[Double]]) -> [Double] {
        let w = store.values, E = config.embedding, T = seq.count
        var out: [Double] = []
        for conv in convolutions {
            for f in 0..<conv.filters {
                var best = T > 0 ? -Double.infinity : 0
                for p in (T > 0 ? -(conv.width - 1) : 0)..<T {
                    var s = Double(w[conv.bias.offset + f])
                    for j in 0..<conv.width where p + j >= 0 && p + j < T {
                        for e in 0..<E { s += Double(w[conv.weight.offset + f * conv.weight.cols + j * E + e]) * seq[p + j][e] }
                    }
                    best = max(best, max(s, 0))
                }
                out.append(best)
            }
        }
        return out
    }

    /// The loss of one example's logits: cross-entropy, or for the ova loss the binary
    /// cross-entropies of every label summed.
    public func referenceExampleLoss(_ logits: [Double], _ e: EncodedExample) -> Double {
        guard config.loss == .ova else { return Reference.crossEntropy(logits, target: Int(e.label)) }
        return logits.indices.reduce(0.0) { total, k in
            let x = logits[k], t = e.hasLabel(k) ? 1.0 : 0.0
            let p = 1 / (1 + Foundation.exp(-x))
            return total - t * Foundation.log(p) - (1 - t) * Foundation.log(1 - p)
        }
    }

    /// Mean cross-entropy over the rows of a batch with the workspace's dropout masks, in Double.
    public func referenceLoss(_ examples: [EncodedExample], batch: ClassifierBatch, maskedBy ws: ClassifierWorkspace) -> Double {
        (0..<batch.rows).reduce(0.0) { total, b in
            let e = examples[batch.indices[b]]
            return total + referenceExampleLoss(referenceLogits(e.ids, masks: (batch, ws, b)), e)
        } / Double(batch.rows)
    }

    /// Mean cross-entropy over examples, in Double.
    public func referenceLoss(_ examples: [EncodedExample]) -> Double {
        examples.reduce(0.0) { $0 + referenceExampleLoss(referenceLogits($1.ids), $1) }
            / Double(examples.count)
    }
}
