// How far training got: saved in checkpoints so `--resume` continues where a run stopped, and in
// the final model so the per-epoch curve travels with it.

/// The results of one training epoch.
public struct EpochRecord: Sendable, Equatable {
    /// The epoch, 1-based.
    public var epoch: Int
    /// The learning rate used.
    public var learningRate: Double
    /// Training perplexity over the epoch (with dropout).
    public var trainPerplexity: Double
    /// Validation perplexity after the epoch (the training perplexity when there is no validation text).
    public var validPerplexity: Double
    /// Wall-clock seconds of the epoch, validation included.
    public var seconds: Double

    /// Creates a record.
    public init(epoch: Int, learningRate: Double, trainPerplexity: Double, validPerplexity: Double, seconds: Double) {
        self.epoch = epoch; self.learningRate = learningRate; self.trainPerplexity = trainPerplexity
        self.validPerplexity = validPerplexity; self.seconds = seconds
    }
}

/// How far training got. Saved in checkpoints, so that a run can resume, and in the final model,
/// so that the per-epoch curve travels with it.
public struct TrainingState: Sendable, Equatable {
    /// Epochs completed.
    public var epoch = 0
    /// One record per completed epoch.
    public var history: [EpochRecord] = []
    /// The best validation perplexity so far; infinity before the first epoch.
    public var bestValidPerplexity = Double.infinity
    /// The ``LMTrainingOptions/seed`` of the run.
    public var seed: UInt64 = 1

    /// The state of an untrained model.
    public init() {}
}
