// Convolution1D (im2col + GEMM) against the naive definition, forward and backward, and its
// gradients against central differences of a Double loss; padding never enters a window and gets
// no gradient.
import LexisTensor
import LexisTestSupport
import Testing

@Suite struct ConvolutionTests {
    /// A batch of B = 3 sequences of lengths 4, 1 and 2 (T = 4, E = 3) with non-zero padding, so
    /// that a leak would show; width 3, 5 filters.
    static func setUp() -> (ParameterStore, Convolution1D, FloatBuffer, [Int]) {
        var layout = ParameterLayout()
        let conv = Convolution1D("conv", width: 3, inputSize: 3, filters: 5, layout: &layout)
        let store = ParameterStore(layout: layout)
        var rng = RandomGenerator(seed: 11)
        for v in store.views { Initializer.uniform(store, v, scale: 0.7, rng: &rng) }
        let lengths = [4, 1, 2], T = 4, B = 3, E = 3
        let x = FloatBuffer(randomArray(T * B * E, seed: 5))
        _ = (T, B, E)
        return (store, conv, x, lengths)
    }

    /// The loss sum over windows and filters of r * y with fixed weights r, in Double.
    static func referenceLoss(_ store: ParameterStore, _ conv: Convolution1D, _ x: UnsafePointer<Float>, _ lengths: [Int],
                              _ r: [Float]) -> Double {
        var total = 0.0, i = 0
        for seq in conv.referenceOutputs(store, x: x, lengths: lengths) {
            for window in seq { for y in window { total += Double(r[i % r.count]) * y; i += 1 } }
        }
        return total
    }

    @Test func forwardMatchesTheDefinition() {
        let (store, conv, x, lengths) = Self.setUp()
        let R = conv.windowCount(lengths: lengths)
        #expect(R == (4 + 2) + (1 + 2) + (2 + 2))
        let windows = FloatBuffer(count: R * conv.width * conv.inputSize), y = FloatBuffer(count: R * conv.filters)
        conv.im2col(x.pointer, lengths: lengths, into: windows.pointer)
        conv.forward(store, windows: windows.pointer, rows: R, y: y.pointer)
        var row = 0
        for seq in conv.referenceOutputs(store, x: x.pointer, lengths: lengths) {
            for window in seq {
                for f in 0..<conv.filters { #expect(abs(Double(y[row * conv.filters + f]) - window[f]) < 1e-5, "row \(row) f \(f)") }
                row += 1
            }
        }
        #expect(row == R)
    }

    @Test func backwardMatchesFiniteDifferencesAndPaddingGetsNothing() {
        let (store, conv, x, lengths) = Self.setUp()
        let (B, E, F) = (lengths.count, conv.inputSize, conv.filters)
        let R = conv.windowCount(lengths: lengths)
        let r = randomArray(R * F, seed: 3)
        let windows = FloatBuffer(count: R * conv.width * E)
        conv.im2col(x.pointer, lengths: lengths, into: windows.pointer)
        store.zeroGradients()
        conv.backward(store, windows: windows.pointer, dy: r, rows: R)
        let dx = FloatBuffer(count: x.count)
        conv.col2im(windows.pointer, lengths: lengths, into: dx.pointer)
        let loss = { Self.referenceLoss(store, conv, x.pointer, lengths, r) }
        for view in [conv.weight, conv.bias] {
            let indices = Array(view.range)
            let numerical = GradientCheck.numerical(loss, x: store.values, indices: indices)
            let err = GradientCheck.maxRelativeError(analytic: indices.map { Double(store.gradients[$0]) }, numerical: numerical)
            #expect(err < 1e-4, "\(view.name): relative error \(err)")
        }
        let numerical = GradientCheck.numerical(loss, x: x.pointer, indices: Array(0..<x.count))
        let err = GradientCheck.maxRelativeError(analytic: (0..<x.count).map { Double(dx[$0]) }, numerical: numerical)
        #expect(err < 1e-4, "input: relative error \(err)")
        for t in 0..<4 {
            for b in 0..<B where t >= lengths[b] {
                for e in 0..<E { #expect(dx[(t * B + b) * E + e] == 0, "padding t=\(t) b=\(b) got gradient") }
            }
        }
    }

    @Test func aPaddedBatchGivesEachSequenceWhatItGivesAlone() {
        let (store, conv, x, lengths) = Self.setUp()
        let (B, E, F) = (lengths.count, conv.inputSize, conv.filters)
        let R = conv.windowCount(lengths: lengths)
        let windows = FloatBuffer(count: R * conv.width * E), y = FloatBuffer(count: R * F)
        conv.im2col(x.pointer, lengths: lengths, into: windows.pointer)
        conv.forward(store, windows: windows.pointer, rows: R, y: y.pointer)
        var row = 0
        for b in 0..<B {
            let n = lengths[b]
            let alone = FloatBuffer(count: n * E)
            for t in 0..<n { (alone.pointer + t * E).update(from: x.pointer + (t * B + b) * E, count: E) }
            let m = conv.windowCount(length: n)
            let w1 = FloatBuffer(count: m * conv.width * E), y1 = FloatBuffer(count: m * F)
            conv.im2col(alone.pointer, lengths: [n], into: w1.pointer)
            conv.forward(store, windows: w1.pointer, rows: m, y: y1.pointer)
            for i in 0..<(m * F) { #expect(abs(y1[i] - y[row * F + i]) < 1e-6, "sequence \(b)") }
            row += m
        }
    }
}
