import LexisTensor
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct OptimizerTests {
    @Test func clippingByGlobalNorm() {
        let (store, views) = makeStore([("a", 1, 3), ("b", 1, 1)])
        let g = store.gradients
        g[views[0].offset] = 3; g[views[0].offset + 1] = 0; g[views[0].offset + 2] = 0; g[views[1].offset] = 4
        #expect(abs(store.gradientNorm() - 5) < 1e-6)
        let before = store.clipGradients(maxNorm: 1)
        #expect(abs(before - 5) < 1e-6)
        #expect(abs(store.gradientNorm() - 1) < 1e-6)
        #expect(abs(g[views[0].offset] - 0.6) < 1e-6 && abs(g[views[1].offset] - 0.8) < 1e-6)
        store.clipGradients(maxNorm: 10)   // below the limit: unchanged
        #expect(abs(g[views[1].offset] - 0.8) < 1e-6)
    }

    @Test func sgdWithWeightDecayAndMomentum() {
        let (store, views) = makeStore([("w", 1, 2)])
        let w = store.value(views[0]), g = store.gradient(views[0])
        w[0] = 1; w[1] = -2; g[0] = 0.5; g[1] = 0
        var sgd = SGD(weightDecay: 0.1)
        sgd.step(store, learningRate: 0.1)
        // w -= lr * (g + wd * w)
        #expect(abs(w[0] - (1 - 0.1 * (0.5 + 0.1))) < 1e-7)
        #expect(abs(w[1] - (-2 - 0.1 * (0 - 0.2))) < 1e-7)
        let (s2, v2) = makeStore([("w", 1, 1)])
        s2.value(v2[0])[0] = 0
        var mom = SGD(momentum: 0.9)
        s2.gradient(v2[0])[0] = 1
        mom.step(s2, learningRate: 1)
        mom.step(s2, learningRate: 1)
        #expect(abs(s2.value(v2[0])[0] - -(1 + 1.9)) < 1e-6)
    }

    /// A row-sparse embedding table trained with lazy catch-up Adam ends where dense Adam ends, and
    /// SGD is unchanged, when the gradients are the same: rows touched every step, rarely, once, or
    /// never (the table sits between two dense views).
    @Test(arguments: ["adam", "sgd"]) func rowSparseStepsMatchDenseSteps(_ kind: String) {
        let shapes = [("a", 1, 3), ("table", 40, 5), ("b", 2, 2)]
        let (dense, views) = makeStore(shapes)
        let (sparse, _) = makeStore(shapes)
        sparse.makeRowSparse(views[1])
        let embedding = Embedding(table: views[1])
        var adamDense = Adam(), adamSparse = Adam()
        var rng = RandomGenerator(seed: 5)
        for step in 0..<400 {
            // Row 0 every step, rows 1-9 now and then, row 10 only at step 3, rows 11+ never.
            var ids: [Int32] = [0]
            for row in 1..<10 where rng.nextFloat() < 0.05 { ids.append(Int32(row)) }
            if step == 3 { ids.append(10) }
            let dy = (0..<ids.count * 5).map { _ in rng.uniform(-1, 1) }
            let dDense = (0..<7).map { _ in rng.uniform(-1, 1) }
            for store in [dense, sparse] {
                store.zeroGradients()
                ids.withUnsafeBufferPointer { embedding.backward(store, ids: $0.baseAddress!, count: ids.count, dy: dy) }
                for i in 0..<3 { store.gradient(views[0])[i] = dDense[i] }
                for i in 0..<4 { store.gradient(views[2])[i] = dDense[3 + i] }
            }
            #expect(abs(dense.gradientNorm() - sparse.gradientNorm()) < 1e-6 * max(1, dense.gradientNorm()), "norms in Float, summed in another order")
            if kind == "adam" {
                adamDense.step(dense, learningRate: 0.01)
                adamSparse.step(sparse, learningRate: 0.01)
            } else {
                var sgd = SGD()
                sgd.step(dense, learningRate: 0.01)
                sgd.step(sparse, learningRate: 0.01)
            }
        }
        adamSparse.synchronize(sparse, learningRate: 0.01)
        var worst: Float = 0
        for i in 0..<dense.count { worst = max(worst, abs(dense.values[i] - sparse.values[i])) }
        #expect(worst < 2e-6, "largest difference \(worst)")
        // Rows never touched did not move; row 10 moved on after its one gradient (momentum).
        let (initial, _) = makeStore(shapes)
        let row = { (store: ParameterStore, r: Int) in (0..<5).map { store.value(views[1])[r * 5 + $0] } }
        #expect(row(sparse, 20) == row(initial, 20))
        if kind == "adam" {
            let movedAfterTouch = zip(row(sparse, 10), row(initial, 10)).map { abs($0 - $1) }.max()!
            #expect(movedAfterTouch > 0.011, "Adam keeps moving a row after its gradient: \(movedAfterTouch)")
        }
    }

    @Test func adamMatchesHandComputedSteps() {
        let (store, views) = makeStore([("w", 1, 1)])
        let w = store.value(views[0]), g = store.gradient(views[0])
        w[0] = 1
        var adam = Adam()
        g[0] = 0.2
        adam.step(store, learningRate: 0.01)
        // First step: m_hat = g, v_hat = g^2, update = lr * g / (|g| + eps) = lr.
        #expect(abs(w[0] - 0.99) < 1e-6)
        g[0] = -0.1
        adam.step(store, learningRate: 0.01)
        let m = 0.9 * 0.1 * 0.2 + 0.1 * -0.1, v = 0.999 * 0.001 * 0.04 + 0.001 * 0.01
        let expected = 0.99 - 0.01 * (m / (1 - 0.81)) / ((v / (1 - pow(0.999, 2))).squareRoot() + 1e-8)
        #expect(abs(Double(w[0]) - expected) < 1e-6)
    }

    @Test func adamWDecaysWeightsDirectly() {
        let (store, views) = makeStore([("w", 1, 1)])
        store.value(views[0])[0] = 2
        store.gradient(views[0])[0] = 0
        var adamW = Adam.adamW(weightDecay: 0.1)
        adamW.step(store, learningRate: 0.5)
        // Zero gradient: Adam's own update is 0, decoupled decay gives w -= lr * wd * w.
        #expect(abs(store.value(views[0])[0] - (2 - 0.5 * 0.1 * 2)) < 1e-6)
        let (s2, v2) = makeStore([("w", 1, 1)])
        s2.value(v2[0])[0] = 2
        s2.gradient(v2[0])[0] = 0
        var l2 = Adam(weightDecay: 0.1)
        l2.step(s2, learningRate: 0.5)
        // Coupled L2: the gradient becomes wd * w = 0.2, and the first Adam step moves by lr.
        #expect(abs(s2.value(v2[0])[0] - 1.5) < 1e-5)
    }

    @Test func stepDecayFollowsZaremba() {
        let s = StepDecay(initial: 1, factor: 0.5, decayAfter: 4)
        #expect((1...6).map { s.learningRate(epoch: $0) } == [1, 1, 1, 1, 0.5, 0.25])
        #expect(s.learningRate(epoch: 13) == pow(0.5, 9))
    }

    @Test func plateauDecayCutsOnlyWhenStuck() {
        var p = PlateauDecay(initial: 20, factor: 0.25, patience: 0)
        #expect(p.record(5.0) == 20)
        #expect(p.record(4.0) == 20)
        #expect(p.record(4.1) == 5)
        #expect(p.record(3.0) == 5)
        var patient = PlateauDecay(initial: 1, factor: 0.5, patience: 1)
        patient.record(2); patient.record(2)
        #expect(patient.learningRate == 1)
        patient.record(2)
        #expect(patient.learningRate == 0.5)
    }
}
