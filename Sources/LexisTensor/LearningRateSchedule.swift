// Learning-rate schedules, asked once per epoch.

/// lr(epoch) = initial * factor^max(0, epoch - decayAfter), epochs counted from 1.
/// Zaremba et al.'s small PTB model: initial 1, factor 0.5, decayAfter 4.
public struct StepDecay: Sendable, Equatable {
    /// The starting rate, the factor applied per epoch, and the epochs run at the starting rate.
    public var initial: Double, factor: Double, decayAfter: Int

    /// Creates the schedule.
    public init(initial: Double, factor: Double, decayAfter: Int) {
        self.initial = initial; self.factor = factor; self.decayAfter = decayAfter
    }

    /// The rate for `epoch`, counted from 1.
    public func learningRate(epoch: Int) -> Double {
        var lr = initial
        for _ in 0..<max(0, epoch - decayAfter) { lr *= factor }
        return lr
    }
}

/// Multiplies the learning rate by `factor` whenever the monitored loss fails to improve on the
/// best seen by at least `threshold` (relative) for more than `patience` epochs.
public struct PlateauDecay: Sendable, Equatable {
    /// The rate to use now.
    public private(set) var learningRate: Double
    /// The factor applied on a plateau, the epochs without improvement tolerated before decaying,
    /// the relative improvement that counts, and the lowest rate.
    public var factor: Double, patience: Int, threshold: Double, minimum: Double
    /// The lowest loss recorded so far.
    public private(set) var best = Double.infinity
    private var badEpochs = 0

    /// Creates the schedule at rate `initial`.
    public init(initial: Double, factor: Double = 0.25, patience: Int = 0, threshold: Double = 1e-4,
                minimum: Double = 0) {
        learningRate = initial; self.factor = factor; self.patience = patience
        self.threshold = threshold; self.minimum = minimum
    }

    /// Records an epoch's validation loss; returns the learning rate for the next epoch.
    @discardableResult
    public mutating func record(_ loss: Double) -> Double {
        if loss < best * (1 - threshold) {
            best = loss
            badEpochs = 0
        } else {
            badEpochs += 1
            if badEpochs > patience {
                learningRate = max(minimum, learningRate * factor)
                badEpochs = 0
            }
        }
        return learningRate
    }
}
