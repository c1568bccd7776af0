import LexisTensor
import LexisTestSupport
import Testing

@Suite struct SoftmaxTests {
    @Test func softmaxRowsSumToOneAndMatchReference() {
        let (rows, cols) = (3, 29)
        var x = randomArray(rows * cols, seed: 11, scale: 5)
        x[3] = 80   // large logits must not overflow
        var y = [Float](repeating: 0, count: x.count), ly = y
        Softmax.forward(x, &y, rows: rows, cols: cols)
        Softmax.logForward(x, &ly, rows: rows, cols: cols)
        for r in 0..<rows {
            let row = Array(x[(r * cols)..<((r + 1) * cols)]).map(Double.init)
            let ref = Reference.softmax(row), logRef = Reference.logSoftmax(row)
            var sum = 0.0
            for j in 0..<cols {
                sum += Double(y[r * cols + j])
                #expect(abs(Double(y[r * cols + j]) - ref[j]) < 1e-6)
                #expect(abs(Double(ly[r * cols + j]) - logRef[j]) < 1e-4 * max(1, abs(logRef[j])))
            }
            #expect(abs(sum - 1) < 1e-5)
        }
    }

    @Test func crossEntropyLossAndGradient() {
        let (rows, cols) = (4, 37)
        let x0 = randomArray(rows * cols, seed: 12, scale: 3)
        let targets: [Int32] = [0, 36, 5, 5]
        func reference(_ p: UnsafeMutablePointer<Float>) -> Double {
            (0..<rows).reduce(0.0) { total, r in
                total + Reference.crossEntropy((0..<cols).map { Double(p[r * cols + $0]) }, target: Int(targets[r]))
            }
        }
        var lossOnly = x0
        let l1 = CrossEntropy.lossSum(logits: &lossOnly, rows: rows, cols: cols, targets: targets, gradientScale: nil)
        #expect(lossOnly == x0)   // loss only: logits untouched
        var grad = x0
        let l2 = CrossEntropy.lossSum(logits: &grad, rows: rows, cols: cols, targets: targets, gradientScale: 0.5)
        var x = x0
        let (numerical, refLoss) = x.withUnsafeMutableBufferPointer { p in
            (GradientCheck.numerical({ 0.5 * reference(p.baseAddress!) }, x: p.baseAddress!, indices: Array(0..<(rows * cols))),
             reference(p.baseAddress!))
        }
        #expect(abs(l1 - refLoss) < 1e-5 * refLoss)
        #expect(l1 == l2)
        let err = GradientCheck.maxRelativeError(analytic: grad.map(Double.init), numerical: numerical)
        #expect(err < 1e-4, "cross-entropy relative error \(err)")
    }

    @Test func crossEntropyIsStableForHugeLogits() {
        var x: [Float] = [1000, 0, -1000, 999]
        let loss = CrossEntropy.lossSum(logits: &x, rows: 1, cols: 4, targets: [3], gradientScale: 1)
        #expect(abs(loss - 1.3132617) < 1e-5)   // log(1 + e) for logits 1000 and 999
        #expect(x.allSatisfy { $0.isFinite })
    }

    @Test(arguments: [false, true])
    func softmaxBackwardMatchesFiniteDifferences(log: Bool) {
        let (rows, cols) = (2, 9)
        let r = randomArray(rows * cols, seed: 14)
        var x = randomArray(rows * cols, seed: 13, scale: 2)
        var y = [Float](repeating: 0, count: x.count)
        if log { Softmax.logForward(x, &y, rows: rows, cols: cols) } else { Softmax.forward(x, &y, rows: rows, cols: cols) }
        var dx = [Float](repeating: 0, count: x.count)
        if log { Softmax.logBackward(y: y, dy: r, dx: &dx, rows: rows, cols: cols) }
        else { Softmax.backward(y: y, dy: r, dx: &dx, rows: rows, cols: cols) }
        let numerical = x.withUnsafeMutableBufferPointer { p in
            GradientCheck.numerical({
                var total = 0.0
                for row in 0..<rows {
                    let v = (0..<cols).map { Double(p[row * cols + $0]) }
                    let s = log ? Reference.logSoftmax(v) : Reference.softmax(v)
                    for j in 0..<cols { total += Double(r[row * cols + j]) * s[j] }
                }
                return total
            }, x: p.baseAddress!, indices: Array(0..<(rows * cols)))
        }
        let err = GradientCheck.maxRelativeError(analytic: dx.map(Double.init), numerical: numerical)
        #expect(err < 1e-4, "relative error \(err)")
    }
}
