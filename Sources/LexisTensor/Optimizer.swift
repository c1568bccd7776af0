// Optimizers update the trainable ranges of a parameter store from its gradient buffer.
// Clipping by global norm is `ParameterStore.clipGradients(maxNorm:)`, called before `step`.

/// Updates the trainable ranges of a ``ParameterStore`` from its gradients.
///
/// Clip first, if wanted, with ``ParameterStore/clipGradients(maxNorm:)``.
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
    /// Steps taken (always 0 for ``SGD``, which needs no count).
    public var steps: Int
    /// Per-parameter buffers, each of the store's ``ParameterStore/count`` (Adam: the first and second
    /// moments; SGD with momentum: the velocity).
    public var buffers: [[Float]]
    /// Creates a state.
    public init(steps: Int, buffers: [[Float]]) { self.steps = steps; self.buffers = buffers }
}

/// Plain SGD with optional L2 weight decay (added to the gradient) and momentum.
public struct SGD: Optimizer {
    /// L2 coefficient added to the gradient (`g += weightDecay * w`); 0 by default.
    public var weightDecay: Float
    /// Momentum coefficient (`v = momentum * v + g`); 0, plain SGD, by default.
    public var momentum: Float
    private var velocity: FloatBuffer?

    /// Creates the optimizer.
    public init(weightDecay: Float = 0, momentum: Float = 0) {
        self.weightDecay = weightDecay
        self.momentum = momentum
    }

    public mutating func step(_ store: ParameterStore, learningRate lr: Float) {
        if momentum != 0 && velocity == nil { velocity = FloatBuffer(count: store.count) }
        let w = store.values, g = store.gradients
        for range in store.stepRanges {
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
///
/// With a row-sparse store (`ParameterStore.makeRowSparse`) a step updates only the marked rows of
/// the sparse view. A row's zero-gradient steps since it was last touched are applied in one go
/// when it is next touched, or by `synchronize`: with g = 0 the moments only decay, so those steps
/// move the weights by lr * m / sqrt(v) * sum_k r^k sqrt(1 - beta2^j) / (1 - beta1^j), r =
/// beta1 / sqrt(beta2), j the step (epsilon, 1e-8 next to sqrt(v), is left out of the catch-up,
/// and terms below r^k = 1e-13 are dropped). Results match dense Adam to rounding, at the cost of
/// the touched rows only. Callers `synchronize` before reading the weights (evaluation, saving).
/// Weight decay, or betas with r >= 0.95, fall back to updating every row every step.
public struct Adam: Optimizer {
    /// Decay rates of the first and second moment estimates, and the term added to `sqrt(v)`.
    public var beta1: Float, beta2: Float, epsilon: Float
    /// Weight-decay coefficient; added to the gradient, or (AdamW) applied to the weights.
    public var weightDecay: Float
    /// True for AdamW's decoupled weight decay.
    public var decoupledWeightDecay: Bool
    /// Steps taken.
    public private(set) var stepCount = 0
    private var m: FloatBuffer?, v: FloatBuffer?
    /// rowStep[r]: the step through which row r of the sparse view is up to date.
    private var rowStep: [Int] = []
    /// biasFactor[j] = sqrt(1 - beta2^j) / (1 - beta1^j), for j = 0...stepCount: kept rather than
    /// derived, since two pow calls per caught-up row made a bow epoch 25-33% slower.
    private var biasFactor: [Double] = [0]

    /// Creates the optimizer; the defaults are Kingma and Ba's.
    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0,
                decoupledWeightDecay: Bool = false) {
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// AdamW with decoupled weight decay `weightDecay`.
    public static func adamW(weightDecay: Float = 0.01) -> Adam { Adam(weightDecay: weightDecay, decoupledWeightDecay: true) }

    /// Decay ratio of m / sqrt(v) per zero-gradient step.
    private var catchUpRatio: Double { Double(beta1) / Double(beta2).squareRoot() }

    /// The sparse view when its rows can be caught up lazily, else nil.
    private func lazyView(_ store: ParameterStore) -> ParameterView? {
        guard let sparse = store.sparseView, weightDecay == 0, catchUpRatio < 0.95 else { return nil }
        return sparse
    }

    public mutating func step(_ store: ParameterStore, learningRate lr: Float) {
        if m == nil { m = FloatBuffer(count: store.count); v = FloatBuffer(count: store.count) }
        let lazy = lazyView(store)
        if let lazy {
            if rowStep.count != lazy.rows { rowStep = [Int](repeating: stepCount, count: lazy.rows) }
            for row in store.markedRows { catchUp(store, lazy, row: Int(row), through: stepCount, learningRate: lr) }
        }
        stepCount += 1
        let c1 = 1 - pow(Double(beta1), Double(stepCount)), c2 = 1 - pow(Double(beta2), Double(stepCount))
        biasFactor.append(c2.squareRoot() / c1)
        let mp = m!.pointer, vp = v!.pointer, w = store.values, g = store.gradients
        let stepSize = Float(Double(lr) / c1), c2f = Float(c2)
        let (b1, b2, eps, wd) = (beta1, beta2, epsilon, weightDecay)
        // Without lazy catch-up every row moves every step (its gradient is zero unless marked).
        let ranges = store.sparseView != nil && lazy == nil ? store.trainableRanges : store.stepRanges
        for range in ranges {
            for i in range {
                var grad = g[i]
                if wd != 0 && !decoupledWeightDecay { grad += wd * w[i] }
                mp[i] = b1 * mp[i] + (1 - b1) * grad
                vp[i] = b2 * vp[i] + (1 - b2) * grad * grad
                if wd != 0 && decoupledWeightDecay { w[i] -= lr * wd * w[i] }
                w[i] -= stepSize * mp[i] / ((vp[i] / c2f).squareRoot() + eps)
            }
        }
        if lazy != nil { for row in store.markedRows { rowStep[Int(row)] = stepCount } }
    }

    /// Brings every row of a row-sparse store up to date (no-op otherwise): call before reading
    /// or copying the weights. `learningRate` is the rate of the steps being caught up.
    public mutating func synchronize(_ store: ParameterStore, learningRate lr: Float) {
        guard let lazy = lazyView(store), m != nil, rowStep.count == lazy.rows else { return }
        for row in 0..<lazy.rows where rowStep[row] < stepCount {
            catchUp(store, lazy, row: row, through: stepCount, learningRate: lr)
        }
    }

    /// Applies to `row` the zero-gradient steps rowStep[row]+1 ... `last`.
    private mutating func catchUp(_ store: ParameterStore, _ view: ParameterView, row: Int, through last: Int,
                                  learningRate lr: Float) {
        let from = rowStep[row]
        rowStep[row] = last
        guard last > from else { return }
        let r = catchUpRatio
        // Terms past r^k = 1e-13 do not change a Float.
        let horizon = min(last, from + Int((log(1e-13) / log(r)).rounded(.up)))
        var sum = 0.0, rk = 1.0
        for j in (from + 1)...horizon {
            rk *= r
            sum += rk * biasFactor[j]
        }
        let n = Double(last - from)
        let mDecay = Float(pow(Double(beta1), n)), vDecay = Float(pow(Double(beta2), n))
        let scale = Float(Double(lr) * sum)
        let start = view.offset + row * view.cols
        let w = store.values + start, mp = m!.pointer + start, vp = v!.pointer + start
        for i in 0..<view.cols where vp[i] > 0 {
            w[i] -= scale * mp[i] / vp[i].squareRoot()
            mp[i] *= mDecay
            vp[i] *= vDecay
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
        biasFactor = (0...state.steps).map { j in
            j == 0 ? 0 : (1 - pow(Double(beta2), Double(j))).squareRoot() / (1 - pow(Double(beta1), Double(j)))
        }
        rowStep = []
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
