import LexisTensor
import LexisTestSupport
import Testing

@Suite struct LayerTests {
    @Test func linearForwardAndGradients() {
        let (n, input, output) = (5, 6, 4)
        var layout = ParameterLayout()
        let linear = Linear("fc", input: input, output: output, layout: &layout)
        let store = ParameterStore(layout: layout)
        var rng = RandomGenerator(seed: 3)
        Initializer.uniform(store, linear.weight, scale: 0.7, rng: &rng)
        Initializer.uniform(store, linear.bias!, scale: 0.7, rng: &rng)
        var x = randomArray(n * input, seed: 4)
        let r = randomArray(n * output, seed: 5)   // loss = sum r * y
        func referenceLoss(_ xs: UnsafePointer<Float>) -> Double {
            var total = 0.0
            for i in 0..<n {
                for o in 0..<output {
                    var s = Double(store.value(linear.bias!)[o])
                    for k in 0..<input { s += Double(store.value(linear.weight)[o * input + k]) * Double(xs[i * input + k]) }
                    total += Double(r[i * output + o]) * s
                }
            }
            return total
        }
        var y = [Float](repeating: 0, count: n * output)
        linear.forward(store, x: x, rows: n, y: &y)
        let fastLoss = zip(y, r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(fastLoss - referenceLoss(x)) < 1e-5)

        // Backward twice: gradients must ADD (+=), so they double.
        var dx = [Float](repeating: 0, count: n * input)
        linear.backward(store, x: x, dy: r, rows: n, dx: &dx)
        let once = Array(UnsafeBufferPointer(start: store.gradients, count: store.count))
        linear.backward(store, x: x, dy: r, rows: n, dx: &dx)
        for i in 0..<store.count { #expect(abs(store.gradients[i] - 2 * once[i]) <= 1e-6 * max(1, abs(once[i]))) }
        for i in 0..<dx.count { dx[i] *= 0.5 }

        let indices = Array(linear.weight.range) + Array(linear.bias!.range)
        let numerical = x.withUnsafeBufferPointer { xp in
            GradientCheck.numerical({ referenceLoss(xp.baseAddress!) }, x: store.values, indices: indices)
        }
        let errW = GradientCheck.maxRelativeError(analytic: indices.map { Double(once[$0]) }, numerical: numerical)
        #expect(errW < 1e-4, "weights relative error \(errW)")
        let numericalX = x.withUnsafeMutableBufferPointer { xp in
            GradientCheck.numerical({ referenceLoss(xp.baseAddress!) }, x: xp.baseAddress!, indices: Array(0..<(n * input)))
        }
        let errX = GradientCheck.maxRelativeError(analytic: dx.map(Double.init), numerical: numericalX)
        #expect(errX < 1e-4, "input relative error \(errX)")
    }

    @Test func embeddingLookupAndSparseGradient() {
        var layout = ParameterLayout()
        let emb = Embedding("emb", vocabulary: 6, dimension: 3, layout: &layout)
        let store = ParameterStore(layout: layout)
        var rng = RandomGenerator(seed: 9)
        Initializer.uniform(store, emb.table, scale: 1, rng: &rng)
        let ids: [Int32] = [2, 5, 2, 0]   // row 2 twice: its gradient accumulates
        var y = [Float](repeating: 0, count: 12)
        emb.forward(store, ids: ids, count: 4, y: &y)
        #expect(Array(y[3..<6]) == Array(UnsafeBufferPointer(start: store.value(emb.table) + 15, count: 3)))
        let r = randomArray(12, seed: 10)
        emb.backward(store, ids: ids, count: 4, dy: r)
        func loss() -> Double {
            (0..<4).reduce(0.0) { t, n in
                t + (0..<3).reduce(0.0) { $0 + Double(r[n * 3 + $1]) * Double(store.value(emb.table)[Int(ids[n]) * 3 + $1]) }
            }
        }
        let indices = Array(emb.table.range)
        let numerical = GradientCheck.numerical(loss, x: store.values, indices: indices)
        let err = GradientCheck.maxRelativeError(analytic: analytic(store, indices), numerical: numerical)
        #expect(err < 1e-4, "relative error \(err)")
        // Rows never looked up get no gradient.
        for k in 0..<3 { #expect(store.gradient(emb.table)[1 * 3 + k] == 0) }
    }

    @Test func dropoutMaskScalingAndFixedMaskGradient() {
        var rng = RandomGenerator(seed: 21)
        let n = 20_000
        var mask = [Float](repeating: 0, count: n)
        Dropout.makeMask(&mask, count: n, probability: 0.25, rng: &rng)
        let dropped = mask.filter { $0 == 0 }.count
        #expect(abs(Double(dropped) / Double(n) - 0.25) < 0.02)
        #expect(mask.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3.0) < 1e-6 })
        // Inverted dropout keeps the expectation.
        #expect(abs(mask.reduce(0, +) / Float(n) - 1) < 0.03)
        var x = randomArray(50, seed: 22), y = [Float](repeating: 0, count: 50)
        let m = Array(mask[0..<50])
        Dropout.forward(x, mask: m, &y, count: 50)
        let r = randomArray(50, seed: 23)
        var dx = [Float](repeating: 0, count: 50)
        Dropout.backward(dy: r, mask: m, dx: &dx, count: 50)
        let numerical = x.withUnsafeMutableBufferPointer { p in
            GradientCheck.numerical({ (0..<50).reduce(0.0) { $0 + Double(r[$1]) * Double(p[$1]) * Double(m[$1]) } },
                                    x: p.baseAddress!, indices: Array(0..<50))
        }
        #expect(GradientCheck.maxRelativeError(analytic: dx.map(Double.init), numerical: numerical) < 1e-4)
        // p = 0: the mask is all ones (evaluation behaviour).
        Dropout.makeMask(&mask, count: 10, probability: 0, rng: &rng)
        #expect(mask[0..<10].allSatisfy { $0 == 1 })
    }

    @Test func layoutViewsAreAlignedDisjointAndFrozenViewsAreSkipped() {
        var layout = ParameterLayout()
        let a = layout.add("a", rows: 3, cols: 5)
        let b = layout.add("b", rows: 2, cols: 2, trainable: false)
        let c = layout.add("c", rows: 1, cols: 7)
        #expect(a.offset == 0 && b.offset % 16 == 0 && c.offset % 16 == 0)
        #expect(a.range.upperBound <= b.offset && b.range.upperBound <= c.offset)
        let store = ParameterStore(layout: layout)
        #expect(store.trainableRanges == [a.range, c.range])
        for i in 0..<store.count { store.gradients[i] = 1 }
        var sgd = SGD()
        sgd.step(store, learningRate: 0.5)
        #expect(store.value(a)[0] == -0.5 && store.value(c)[6] == -0.5)
        #expect(store.value(b)[0] == 0)   // frozen
    }

    @Test func initializers() {
        var layout = ParameterLayout()
        let u = layout.add("u", rows: 30, cols: 40)
        let x = layout.add("x", rows: 30, cols: 40)
        let q = layout.add("q", rows: 8, cols: 12)
        let store = ParameterStore(layout: layout)
        var rng = RandomGenerator(seed: 5)
        Initializer.uniform(store, u, scale: 0.1, rng: &rng)
        Initializer.xavier(store, x, rng: &rng)
        Initializer.orthogonal(store, q, rng: &rng)
        let uv = UnsafeBufferPointer(start: store.value(u), count: u.count)
        #expect(uv.allSatisfy { abs($0) <= 0.1 } && uv.contains { abs($0) > 0.09 })
        let limit = Float((6.0 / 70.0).squareRoot())
        let xv = UnsafeBufferPointer(start: store.value(x), count: x.count)
        #expect(xv.allSatisfy { abs($0) <= limit } && xv.contains { abs($0) > 0.9 * limit })
        let w = store.value(q)
        for i in 0..<8 {
            for j in 0..<8 {
                var dot = 0.0
                for k in 0..<12 { dot += Double(w[i * 12 + k]) * Double(w[j * 12 + k]) }
                #expect(abs(dot - (i == j ? 1 : 0)) < 1e-5)
            }
        }
    }

    @Test func sameSeedSameNumbers() {
        var a = RandomGenerator(seed: 42), b = RandomGenerator(seed: 42), c = RandomGenerator(seed: 43)
        let xa = (0..<5).map { _ in a.next() }, xb = (0..<5).map { _ in b.next() }, xc = (0..<5).map { _ in c.next() }
        #expect(xa == xb && xa != xc)
        var r = RandomGenerator(seed: 1)
        let floats = (0..<10_000).map { _ in r.nextFloat() }
        #expect(floats.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(floats.reduce(0, +) / 10_000 - 0.5) < 0.02)
    }
}
