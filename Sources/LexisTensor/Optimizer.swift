// Optimizers update the trainable ranges of a parameter store from its gradient buffer.
// Clipping by global norm is `ParameterStore.clipGradients(maxNorm:)`, called before `step`.

public protocol Optimizer {
    /// One update with learning rate `lr`.
    mutating func step(_ store: ParameterStore, learningRate lr: Float)
    /// What the optimizer carries from step to step (moments, velocity, step count), so that a
    /// checkpoint can continue exactly.
    var state: OptimizerState { get }
    /// Continues from a saved state; false (and no change) when it does not fit this optimizer.
    mutating func restore(_ state: OptimizerState, parameterCount: Int) -> Bool
}

/// An optimizer's running state: a step count and per-parameter buffers (empty until the first
/// step, and for plain SGD).
public struct OptimizerState: Sendable, Equatable {
    public var steps: Int
    public var buffers: [[Float]]
    public init(steps: Int, buffers: [[Float]]) { self.steps = steps; self.buffers = buffers }
}

/// Plain SGD with optional L2 weight decay (added to the gradient) and momentum.
public struct SGD: Optimizer {
    public var weightDecay: Float
    public var momentum: Float
    private var velocity: FloatBuffer?

    public init(weightDecay: Float = 0, momentum: Float = 0) {
        self.weightDecay = weightDecay
        self.momentum = momentum
    }

    public mutating func step(_ store: ParameterStore, learningRate lr: Float) {
        if momentum != 0 && velocity == nil { velocity = FloatBuffer(count: store.count) }
        let w = store.values, g = store.gradients
        for range in store.trainableRanges {
            let start = range.lowerBound, n = range.count
            if weightDecay != 0 { VectorMath.axpy(weightDecay, w + start, g + start, n) }
            if let velocity {
                let v = velocity.pointer + start
                for i in 0..<n { v[i] = momentum * v[i] + g[start + i] }
                VectorMath.axpy(-lr, v, w + start, n)
            } else {
                VectorMath.axpy(-lr, g + start, w + start, n)
            }
        }
    }

    public var state: OptimizerState { OptimizerState(steps: 0, buffers: velocity.map { [$0.array] } ?? []) }

    public mutating func restore(_ state: OptimizerState, parameterCount: Int) -> Bool {
        guard state.buffers.count <= 1, state.buffers.allSatisfy({ $0.count == parameterCount }) else { return false }
        velocity = state.buffers.first.map(FloatBuffer.init)
        return true
    }
}

/// Adam (Kingma & Ba 2015). `decoupledWeightDecay` true gives AdamW (Loshchilov & Hutter 2019):
/// the decay is applied to the weights directly instead of being added to the gradient.
public struct Adam: Optimizer {
    public var beta1: Float, beta2: Float, epsilon: Float
    public var weightDecay: Float
    public var decoupledWeightDecay: Bool
    public private(set) var stepCount = 0
    private var m: FloatBuffer?, v: FloatBuffer?

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0,
                decoupledWeightDecay: Bool = false) {
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    public static func adamW(weightDecay: Float = 0.01) -> Adam { Adam(weightDecay: weightDecay, decoupledWeightDecay: true) }

    public mutating func step(_ store: ParameterStore, learningRate lr: Float) {
        if m == nil { m = FloatBuffer(count: store.count); v = FloatBuffer(count: store.count) }
        stepCount += 1
        let mp = m!.pointer, vp = v!.pointer, w = store.values, g = store.gradients
        let c1 = 1 - pow(Double(beta1), Double(stepCount)), c2 = 1 - pow(Double(beta2), Double(stepCount))
        let stepSize = Float(Double(lr) / c1), c2f = Float(c2)
        let (b1, b2, eps, wd) = (beta1, beta2, epsilon, weightDecay)
        for range in store.trainableRanges {
            for i in range {
                var grad = g[i]
                if wd != 0 && !decoupledWeightDecay { grad += wd * w[i] }
                mp[i] = b1 * mp[i] + (1 - b1) * grad
                vp[i] = b2 * vp[i] + (1 - b2) * grad * grad
                if wd != 0 && decoupledWeightDecay { w[i] -= lr * wd * w[i] }
                w[i] -= stepSize * mp[i] / ((vp[i] / c2f).squareRoot() + eps)
            }
        }
    }

    public var state: OptimizerState {
        guard let m, let v else { return OptimizerState(steps: stepCount, buffers: []) }
        return OptimizerState(steps: stepCount, buffers: [m.array, v.array])
    }

    public mutating func restore(_ state: OptimizerState, parameterCount: Int) -> Bool {
        guard state.steps >= 0, state.buffers.isEmpty || state.buffers.count == 2,
              state.buffers.allSatisfy({ $0.count == parameterCount }) else { return false }
        stepCount = state.steps
        m = state.buffers.isEmpty ? nil : FloatBuffer(state.buffers[0])
        v = state.buffers.isEmpty ? nil : FloatBuffer(state.buffers[1])
        return true
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
