// How far training got: saved in checkpoints so `--resume` continues where a run stopped, and in
// the final model so the per-epoch curve travels with it.

public struct EpochRecord: Sendable, Equatable {
    public var epoch: Int
    public var learningRate: Double
    public var trainPerplexity: Double
    public var validPerplexity: Double
    public var seconds: Double

    public init(epoch: Int, learningRate: Double, trainPerplexity: Double, validPerplexity: Double, seconds: Double) {
        self.epoch = epoch; self.learningRate = learningRate; self.trainPerplexity = trainPerplexity
        self.validPerplexity = validPerplexity; self.seconds = seconds
    }
}

public struct TrainingState: Sendable, Equatable {
    /// Epochs completed.
    public var epoch = 0
    public var history: [EpochRecord] = []
    public var bestValidPerplexity = Double.infinity
    public var seed: UInt64 = 1

    public init() {}
}
