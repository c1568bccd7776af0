// Finite differences (Double reference forward) against the optimized backward, for every
// parameter view of whole 2-layer models over 5 steps with carried state (truncated BPTT).
import LexisRecurrent
import LexisTensor
import LexisTestSupport
import Testing

@Suite struct GradientCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let cell: CellKind, dropout: Float, tied: Bool
        var testDescription: String { "\(cell) dropout \(dropout)\(tied ? " tied" : "")" }
    }

    static let cases: [Case] = [
        Case(cell: .lstm, dropout: 0, tied: false), Case(cell: .lstm, dropout: 0.3, tied: false),
        Case(cell: .rnn, dropout: 0, tied: false), Case(cell: .rnn, dropout: 0.3, tied: false),
        Case(cell: .lstm, dropout: 0, tied: true),
    ]

    @Test(arguments: cases)
    func bpttGradientsMatchFiniteDifferences(_ c: Case) {
        let model = tinyModel(cell: c.cell, tied: c.tied, dropout: c.dropout)
        let (B, T) = (2, 5)
        let ws = LMWorkspace(config: model.config, batch: B, steps: T)
        var rng = RandomGenerator(seed: 77)
        // A first segment leaves a non-zero state behind; the checked segment starts from it.
        fillRandom(ws, vocabulary: 7, seed: 1)
        ws.drawMasks(probability: c.dropout, rng: &rng)
        model.forward(ws, steps: T, training: true)
        ws.carryState()
        #expect((0..<(B * model.config.hidden)).contains { ws.stateH(1)[$0] != 0 })
        fillRandom(ws, vocabulary: 7, seed: 2)
        ws.drawMasks(probability: c.dropout, rng: &rng)   // masks held fixed from here on
        let training = c.dropout > 0

        // The optimized forward agrees with the naive Double one.
        let reference = model.referenceLoss(ws, steps: T, training: training)
        let fast = model.forward(ws, steps: T, training: training)
        #expect(abs(fast - reference) < 1e-5 * reference, "forward \(fast) vs reference \(reference)")

        model.store.zeroGradients()
        model.forward(ws, steps: T, training: training, gradientScale: 1)
        model.backward(ws)
        for view in model.store.views {
            let indices = GradientCheck.sampleIndices(view, limit: 60)
            let numerical = GradientCheck.numerical({ model.referenceLoss(ws, steps: T, training: training) },
                                                    x: model.store.values, indices: indices, step: 1e-3)
            let analytic = indices.map { Double(model.store.gradients[$0]) }
            let err = GradientCheck.maxRelativeError(analytic: analytic, numerical: numerical)
            #expect(err < 1e-4, "\(view.name): relative error \(err)")
            #expect(analytic.contains { $0 != 0 }, "\(view.name): gradient is all zero")
        }
    }

    @Test func shorterLastSegmentUsesOnlyItsSteps() {
        let model = tinyModel(cell: .lstm)
        let ws = LMWorkspace(config: model.config, batch: 3, steps: 6)
        fillRandom(ws, vocabulary: 7, seed: 5)
        model.store.zeroGradients()
        let loss = model.forward(ws, steps: 3, training: false, gradientScale: 1)
        model.backward(ws)
        #expect(abs(loss - model.referenceLoss(ws, steps: 3, training: false)) < 1e-5 * loss)
        let view = model.layers[0].recurrentWeight
        let indices = GradientCheck.sampleIndices(view, limit: 30)
        let numerical = GradientCheck.numerical({ model.referenceLoss(ws, steps: 3, training: false) },
                                                x: model.store.values, indices: indices)
        let err = GradientCheck.maxRelativeError(analytic: indices.map { Double(model.store.gradients[$0]) }, numerical: numerical)
        #expect(err < 1e-4)
    }

    @Test func lstmStepKernelMatchesReference() {
        let (B, H) = (3, 13)   // 13: a full vector of 8 plus a tail of 5
        var rng = RandomGenerator(seed: 8)
        let a = (0..<(B * 4 * H)).map { _ in rng.uniform(-4, 4) }
        let c = (0..<(B * H)).map { _ in rng.uniform(-2, 2) }
        let fast = CellReference.optimizedLSTMForward(preactivations: a, c: c, batch: B, hidden: H)
        let slow = CellReference.lstmForward(preactivations: a, c: c, batch: B, hidden: H)
        for i in 0..<fast.gates.count { #expect(abs(fast.gates[i] - slow.gates[i]) < 5e-7) }
        for i in 0..<fast.c.count {
            #expect(abs(fast.c[i] - slow.c[i]) < 1e-6)
            #expect(abs(fast.h[i] - slow.h[i]) < 1e-6)
            #expect(abs(fast.tanhC[i] - slow.tanhC[i]) < 1e-6)
        }
    }
}
