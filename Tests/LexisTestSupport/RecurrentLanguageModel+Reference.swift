// A naive forward pass in Double over the same parameters, inputs, state and dropout masks as
// `forward`: scalar loops, no BLAS, no fused kernels. Tests use it to check the optimized forward
// and, by finite differences, the optimized backward.
//
// Gate order (i, f, g, o). Shapes: B batch, T steps, H hidden, E embedding, V vocabulary.
import LexisRecurrent
import LexisTensor

extension RecurrentLanguageModel {
    /// Summed cross-entropy of the segment in `ws` (first `steps` steps), from the state in block 0.
    ///
    /// A naive Double-precision forward (scalar loops, no BLAS) over the same parameters, state and
    /// dropout masks as ``forward(_:steps:training:gradientScale:)``, for tests.
    public func referenceLoss(_ ws: LMWorkspace, steps T: Int, training: Bool) -> Double {
        let B = ws.batch, H = config.hidden, E = config.embedding, V = config.vocabularySize
        let G = config.cell.gates
        let dropout = training && config.dropout > 0
        let w = store.values
        func param(_ view: ParameterView, _ r: Int, _ c: Int) -> Double { Double(w[view.offset + r * view.cols + c]) }

        var hState = (0..<config.layers).map { l in (0..<(B * H)).map { Double(ws.h[l].pointer[$0]) } }
        var cState = (0..<config.layers).map { l in
            config.cell == .lstm ? (0..<(B * H)).map { Double(ws.c[l].pointer[$0]) } : []
        }
        var total = 0.0
        for t in 0..<T {
            for b in 0..<B {
                let n = t * B + b
                let id = Int(ws.inputs[n])
                var x = (0..<E).map { param(embedding.table, id, $0) }
                if dropout { for e in 0..<E { x[e] *= Double(ws.embeddingMask.pointer[n * E + e]) } }
                for (l, layer) in layers.enumerated() {
                    var a = [Double](repeating: 0, count: G * H)
                    for r in 0..<(G * H) {
                        var s = param(layer.bias, 0, r)
                        for k in 0..<layer.inputSize { s += param(layer.inputWeight, r, k) * x[k] }
                        for k in 0..<H { s += param(layer.recurrentWeight, r, k) * hState[l][b * H + k] }
                        a[r] = s
                    }
                    var hNew = [Double](repeating: 0, count: H)
                    for j in 0..<H {
                        switch config.cell {
                        case .lstm:
                            let i = Reference.sigmoid(a[j]), f = Reference.sigmoid(a[H + j])
                            let g = Reference.tanh(a[2 * H + j]), o = Reference.sigmoid(a[3 * H + j])
                            let c = f * cState[l][b * H + j] + i * g
                            cState[l][b * H + j] = c
                            hNew[j] = o * Reference.tanh(c)
                        case .rnn:
                            hNew[j] = Reference.tanh(a[j])
                        }
                        hState[l][b * H + j] = hNew[j]
                    }
                    x = hNew
                    if dropout { for j in 0..<H { x[j] *= Double(ws.masks[l].pointer[n * H + j]) } }
                }
                var logits = [Double](repeating: 0, count: V)
                for v in 0..<V {
                    var s = param(output.bias!, 0, v)
                    for k in 0..<H { s += param(output.weight, v, k) * x[k] }
                    logits[v] = s
                }
                total += Reference.crossEntropy(logits, target: Int(ws.targets[n]))
            }
        }
        return total
    }
}
