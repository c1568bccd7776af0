import LexisTensor
import LexisTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct VectorMathTests {
    // 1003 values: not a multiple of 8, so the partial tail is exercised too.
    static let inputs: [Float] = (0..<1003).map { Float($0 - 501) * 0.04 } + [-100, 100, 0, 1e-6]

    @Test func expMatchesLibm() {
        var y = [Float](repeating: 0, count: Self.inputs.count)
        VectorMath.exp(Self.inputs, &y, Self.inputs.count)
        for (x, v) in zip(Self.inputs, y) where x < 88.3 && x > -87 {
            let exact = exp(Double(x))
            #expect(abs(Double(v) - exact) <= 3e-7 * exact, "exp(\(x)) = \(v), exact \(exact)")
        }
        #expect(y[Self.inputs.count - 4] > 0 && y[Self.inputs.count - 4] < 1e-37)   // exp(-100) underflows, no NaN
        #expect(y[Self.inputs.count - 3].isFinite)                                   // exp(100) clamps, no inf
    }

    @Test func sigmoidAndTanhMatchReference() {
        let n = Self.inputs.count
        var s = [Float](repeating: 0, count: n), t = s, r = s
        VectorMath.sigmoid(Self.inputs, &s, n)
        VectorMath.tanh(Self.inputs, &t, n)
        VectorMath.relu(Self.inputs, &r, n)
        for i in 0..<n {
            let x = Double(Self.inputs[i])
            #expect(abs(Double(s[i]) - Reference.sigmoid(x)) < 2e-7, "sigmoid(\(x))")
            #expect(abs(Double(t[i]) - Reference.tanh(x)) < 3e-7, "tanh(\(x))")
            #expect(Double(r[i]) == Reference.relu(x))
        }
    }

    @Test(arguments: ["sigmoid", "tanh", "relu"])
    func activationBackwardMatchesFiniteDifferences(_ name: String) {
        // loss = sum r_i f(x_i); d/dx_i = r_i f'(x_i). Inputs avoid relu's kink at 0.
        let x: [Float] = (0..<37).map { Float($0) * 0.11 - 2.03 }
        let r = randomArray(x.count, seed: 5)
        func f(_ v: Double) -> Double {
            switch name { case "sigmoid": Reference.sigmoid(v); case "tanh": Reference.tanh(v); default: Reference.relu(v) }
        }
        var y = [Float](repeating: 0, count: x.count)
        switch name {
        case "sigmoid": VectorMath.sigmoid(x, &y, x.count)
        case "tanh": VectorMath.tanh(x, &y, x.count)
        default: VectorMath.relu(x, &y, x.count)
        }
        var dx = [Float](repeating: 0.25, count: x.count)   // backward adds: start non-zero
        switch name {
        case "sigmoid": VectorMath.sigmoidBackward(y: y, dy: r, dx: &dx, x.count)
        case "tanh": VectorMath.tanhBackward(y: y, dy: r, dx: &dx, x.count)
        default: VectorMath.reluBackward(y: y, dy: r, dx: &dx, x.count)
        }
        var xs = x
        let numerical = xs.withUnsafeMutableBufferPointer { p in
            GradientCheck.numerical({ (0..<x.count).reduce(0.0) { $0 + Double(r[$1]) * f(Double(p[$1])) } },
                                    x: p.baseAddress!, indices: Array(0..<x.count), step: 1e-3)
        }
        let err = GradientCheck.maxRelativeError(analytic: dx.map { Double($0) - 0.25 }, numerical: numerical)
        #expect(err < 1e-4, "\(name) relative error \(err)")
    }
}
