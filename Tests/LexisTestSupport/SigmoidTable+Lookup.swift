// The word2vec sigmoid tables read from Swift, the way the C kernels read them (linear
// interpolation, saturated outside [-range, range]), so the tests can check the tables against
// the exact functions.
import LexisWord2Vec

extension SigmoidTable {
    @inline(__always)
    public func sigmoid(_ x: Float) -> Float {
        if x >= Self.range { return 1 }
        if x <= -Self.range { return 0 }
        let t = (x + Self.range) * scale
        let i = Int(t)
        let f = t - Float(i)
        return sigmoidValues[i] + f * (sigmoidValues[i + 1] - sigmoidValues[i])
    }

    @inline(__always)
    public func logSigmoid(_ x: Float) -> Float {
        if x >= Self.range { return 0 }
        if x <= -Self.range { return x }
        let t = (x + Self.range) * scale
        let i = Int(t)
        let f = t - Float(i)
        return logSigmoidValues[i] + f * (logSigmoidValues[i + 1] - logSigmoidValues[i])
    }
}
