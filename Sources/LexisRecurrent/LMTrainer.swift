// Training loop for a recurrent language model: SGD on truncated-BPTT segments over B parallel
// streams, gradient clipping by global norm, step learning-rate decay, validation after every
// epoch, the best model on validation kept, a checkpoint after every epoch for `--resume`.
//
// Loss convention (Zaremba et al. 2014): the cross-entropy is SUMMED over the T steps of a
// segment and AVERAGED over the B streams, so lr 1 here equals lr T on a per-token mean.
import LexisTensor
import LexisText
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The optimizer ``LMTrainer`` uses: `SGD`, `Adam`, or Adam with decoupled weight decay (AdamW).
public enum LMOptimizerKind: String, Sendable, CaseIterable {
    case sgd, adam, adamw
}

/// How ``LMTrainer`` changes the learning rate between epochs.
public enum LMScheduleKind: String, Sendable, CaseIterable {
    /// lr * decay^(epoch - decayAfter) after `decayAfter` epochs (Zaremba).
    case step
    /// lr * decay after every epoch whose validation perplexity is not a new best.
    case plateau
}

/// Settings of a language-model training run. The defaults are Zaremba et al.'s small PTB model.
///
/// The loss is the cross-entropy summed over the ``steps`` of a segment and averaged over the
/// ``batch`` streams, so a learning rate of 1 here equals ``steps`` on a per-token mean.
public struct LMTrainingOptions: Sendable {
    /// The optimizer; SGD by default.
    public var optimizer = LMOptimizerKind.sgd
    /// The learning-rate schedule; ``LMScheduleKind/step`` by default.
    public var schedule = LMScheduleKind.step
    /// Parallel streams the training text is split into (B); 20 by default.
    public var batch = 20
    /// Time steps per truncated-BPTT segment (T); 20 by default.
    public var steps = 20
    /// Parallel streams for validation; 10 by default.
    public var evalBatch = 10
    /// Total epochs of the run (a resumed run counts the epochs already done); 13 by default.
    public var epochs = 13
    /// The starting learning rate; 1 by default.
    public var learningRate = 1.0
    /// The factor applied to the learning rate when it decays; 0.5 by default.
    public var decay = 0.5
    /// ``LMScheduleKind/step``: epochs at the starting rate before decay begins; 4 by default.
    public var decayAfter = 4
    /// Largest global L2 norm of the gradients; larger ones are scaled down. 0 turns clipping off;
    /// 5 by default.
    public var clip = 5.0
    /// Weight-decay coefficient (L2 for SGD and Adam, decoupled for AdamW); 0 by default.
    public var weightDecay: Float = 0
    /// Seed of the dropout masks (the weights are initialized by
    /// ``RecurrentLanguageModel/initialize(seed:scale:forgetBias:)``).
    public var seed: UInt64 = 1
    /// Stop each epoch after this many segments (benchmarks).
    public var maxBatches: Int? = nil

    /// The default settings; change the properties as needed.
    public init() {}

    /// Checks every setting; the messages name the `lexis lm train` flags.
    ///
    /// - Throws: `LexisError.invalidArgument` naming the first bad setting.
    public func validate() throws(LexisError) {
        func check(_ ok: Bool, _ message: String) throws(LexisError) {
            if !ok { throw .invalidArgument(message) }
        }
        try check(steps >= 1, "--bptt must be at least 1, got \(steps)")
        try check(batch >= 1 && evalBatch >= 1, "--batch and --eval-batch must be at least 1, got \(batch) and \(evalBatch)")
        try check(epochs >= 1, "--epochs must be at least 1, got \(epochs)")
        try check(learningRate > 0, "--lr must be positive, got \(learningRate)")
        try check(decay > 0 && decay <= 1, "--decay must be in (0, 1], got \(decay)")
        try check(decayAfter >= 0, "--decay-after must be 0 or more, got \(decayAfter)")
        try check(clip >= 0, "--clip must be 0 (off) or positive, got \(clip)")
        try check(weightDecay >= 0, "--weight-decay must be 0 or positive, got \(weightDecay)")
        if let maxBatches { try check(maxBatches >= 1, "--max-batches must be at least 1, got \(maxBatches)") }
    }

    /// The settings for continuing a run from its checkpoint: the run's own settings as the
    /// trainer-state file beside the checkpoint recorded them, with this call's `epochs`,
    /// `maxBatches` and the model's seed. Nil when that file is missing (an older checkpoint);
    /// the caller then continues with its own settings and fresh optimizer state.
    ///
    /// - Returns: The settings, and the state whose optimizer moments `LMTrainer.restoreOptimizer` restores.
    /// - Throws: `LexisError` when the file exists but cannot be read.
    public static func resumed(checkpoint: String, model: RecurrentLanguageModel, epochs: Int,
                               maxBatches: Int?) throws(LexisError) -> (options: LMTrainingOptions, state: TrainerStateFile)? {
        let path = TrainerStateFile.path(forCheckpoint: checkpoint)
        guard FileIO.exists(path) else { return nil }
        let state = try TrainerStateFile.load(path: path)
        var options = state.options
        options.epochs = epochs
        options.maxBatches = maxBatches
        options.seed = model.training.seed
        return (options, state)
    }
}

/// A snapshot after one training segment, passed to ``LMTrainer/onProgress``.
public struct LMProgress: Sendable {
    /// The epoch, 1-based.
    public var epoch: Int
    /// Segments done in this epoch, 1-based.
    public var segment: Int
    /// Segments in this epoch.
    public var segments: Int
    /// The epoch's learning rate.
    public var learningRate: Double
    /// Training perplexity of the epoch so far.
    public var perplexity: Double
    /// Training speed of the epoch so far, in target tokens per second.
    public var tokensPerSecond: Double
    /// Global gradient norm of the last segment, before clipping.
    public var gradientNorm: Double
}

/// Trains a ``RecurrentLanguageModel``: SGD or Adam over truncated-BPTT segments of ``LMTrainingOptions/batch``
/// parallel streams, gradient clipping, a learning-rate schedule, validation after every epoch,
/// the best model on validation kept.
public final class LMTrainer {
    /// The model being trained, in place.
    public let model: RecurrentLanguageModel
    /// The run's settings.
    public let options: LMTrainingOptions
    /// The training tokens, split into streams.
    public let train: LMBatcher
    /// The validation tokens, or nil to select on training perplexity.
    public let valid: [Int32]?
    /// Called after every training segment, on the training thread.
    public var onProgress: ((LMProgress) -> Void)?
    /// Called after every epoch of ``run(outputPath:checkpointPath:)``, after any saving.
    public var onEpoch: ((EpochRecord) -> Void)?
    /// Tokens per second of the last training epoch (forward + backward + update).
    public private(set) var lastTokensPerSecond = 0.0
    private let workspace: LMWorkspace
    private var optimizer: any Optimizer
    private var bestValues: FloatBuffer?

    ///
    /// - Parameters:
    ///   - model: An initialized or loaded model; training continues after `model.training.epoch`.
    ///   - options: The run's settings.
    ///   - train: Token ids of the training text, as from `Vocabulary.encode(path:)`.
    ///   - valid: Token ids of the validation text, or nil.
    /// - Throws: `LexisError/invalidArgument(_:)` when `train` is too short for one segment of
    ///   `options.batch` streams or `valid` has fewer than 2 tokens.
    public init(model: RecurrentLanguageModel, options: LMTrainingOptions, train: [Int32], valid: [Int32]?) throws(LexisError) {
        self.model = model
        self.options = options
        self.train = LMBatcher(tokens: train, batch: options.batch, steps: options.steps)
        guard self.train.segmentCount > 0 else {
            throw .invalidArgument("the training text has \(train.count) tokens, too few for --batch \(options.batch); use a smaller --batch or more text")
        }
        if let valid, valid.count < 2 {
            throw .invalidArgument("the validation text has \(valid.count) tokens; it needs at least 2 to measure perplexity")
        }
        self.valid = valid
        workspace = LMWorkspace(config: model.config, batch: options.batch, steps: options.steps)
        switch options.optimizer {
        case .sgd: optimizer = SGD(weightDecay: options.weightDecay)
        case .adam: optimizer = Adam(weightDecay: options.weightDecay)
        case .adamw: optimizer = Adam(weightDecay: options.weightDecay, decoupledWeightDecay: true)
        }
    }

    /// The settings and the optimizer's running state after the epochs done so far (saved
    /// beside checkpoints).
    public var trainerState: TrainerStateFile {
        TrainerStateFile(options: options, epoch: model.training.epoch, state: optimizer.state)
    }

    /// Continues the optimizer from a saved state. False when it belongs to another optimizer,
    /// another epoch or another model size; the optimizer then starts afresh.
    public func restoreOptimizer(_ saved: TrainerStateFile) -> Bool {
        guard saved.optimizer == options.optimizer, saved.epoch == model.training.epoch else { return false }
        return optimizer.restore(saved.state, parameterCount: model.store.count)
    }

    /// The ``LMScheduleKind/step`` schedule the options describe.
    public var stepSchedule: StepDecay {
        StepDecay(initial: options.learningRate, factor: options.decay, decayAfter: options.decayAfter)
    }

    /// The learning rate for `epoch` (1-based), from the options and the history so far (so a
    /// resumed run continues the same schedule).
    public func learningRate(epoch: Int) -> Double {
        switch options.schedule {
        case .step:
            return stepSchedule.learningRate(epoch: epoch)
        case .plateau:
            var plateau = PlateauDecay(initial: options.learningRate, factor: options.decay, patience: 0)
            for record in model.training.history where record.epoch < epoch { plateau.record(record.validPerplexity) }
            return plateau.learningRate
        }
    }

    /// Trains one epoch (1-based) at learning rate `lr`; returns the training perplexity.
    ///
    /// Dropout masks depend on ``LMTrainingOptions/seed`` and `epoch` only, so an epoch is
    /// reproducible. Does not validate, save or update ``RecurrentLanguageModel/training``.
    ///
    /// - Throws: `LexisError/diverged(_:)` as soon as a batch's loss or gradient norm is NaN or
    ///   infinite (the weights are then unusable; nothing is saved).
    public func trainEpoch(_ epoch: Int, learningRate lr: Double) throws(LexisError) -> Perplexity {
        let ws = workspace, store = model.store
        ws.resetState()
        var rng = RandomGenerator(seed: options.seed &+ UInt64(epoch) &* 0x9E37_79B9)
        let scale = Float(1.0 / Double(options.batch))
        let segments = min(train.segmentCount, options.maxBatches ?? Int.max)
        var loss = 0.0, tokens = 0
        let start = monotonicSeconds()
        for k in 0..<segments {
            let T = train.fill(ws, segment: k)
            ws.drawMasks(probability: model.config.dropout, rng: &rng)
            store.zeroGradients()
            let batchLoss = model.forward(ws, steps: T, training: true, gradientScale: scale)
            loss += batchLoss
            model.backward(ws)
            let norm = store.clipGradients(maxNorm: options.clip)
            // One NaN spreads to every weight within a step or two: stop at the first.
            guard batchLoss.isFinite, norm.isFinite else {
                throw .diverged(divergence(epoch: epoch, batch: k + 1, of: segments,
                                           what: batchLoss.isFinite ? "the gradient norm is \(norm)" : "the loss is \(batchLoss)",
                                           learningRate: lr))
            }
            optimizer.step(store, learningRate: Float(lr))
            ws.carryState()
            tokens += T * options.batch
            if let onProgress {
                let elapsed = monotonicSeconds() - start
                onProgress(LMProgress(epoch: epoch, segment: k + 1, segments: segments, learningRate: lr,
                                      perplexity: exp(loss / Double(tokens)),
                                      tokensPerSecond: Double(tokens) / max(elapsed, 1e-9), gradientNorm: norm))
            }
        }
        lastTokensPerSecond = Double(tokens) / max(monotonicSeconds() - start, 1e-9)
        return Perplexity(loss: loss, tokens: tokens)
    }

    func divergence(epoch: Int, batch: Int?, of batches: Int, what: String, learningRate lr: Double) -> String {
        divergenceMessage(epoch: epoch, batch: batch, of: batches, what: what, learningRate: lr, clip: options.clip,
                          kept: "the model and checkpoint of the last good epoch (if any) were kept, nothing was written from this one")
    }

    /// Runs the remaining epochs (after `model.training.epoch`). Saves the best model on
    /// validation to `outputPath` and the latest state to `checkpointPath` after every epoch.
    /// At the end the model holds the best weights.
    ///
    /// Without validation text the training perplexity picks the best epoch. The trainer state
    /// goes to ``TrainerStateFile/path(forCheckpoint:)`` beside the checkpoint. To resume, load the
    /// checkpoint with ``RecurrentLanguageModel/load(path:)`` and the ``TrainerStateFile``, make a
    /// trainer with the saved ``TrainerStateFile/options``, then call ``restoreOptimizer(_:)``.
    ///
    /// - Parameters:
    ///   - outputPath: Where to save the best model, or nil.
    ///   - checkpointPath: Where to save the latest model after every epoch, or nil.
    /// - Throws: `LexisError/cannotWrite(path:reason:)` when a save fails, `LexisError/diverged(_:)`
    ///   when training diverges (files of earlier epochs stay as they were).
    public func run(outputPath: String?, checkpointPath: String?) throws(LexisError) {
        model.training.seed = options.seed
        let first = model.training.epoch + 1
        guard first <= options.epochs else { return }
        for epoch in first...options.epochs {
            let lr = learningRate(epoch: epoch)
            let started = monotonicSeconds()
            let trainPPL = try trainEpoch(epoch, learningRate: lr).value
            let validPPL = valid.map { model.evaluate(tokens: $0, batch: options.evalBatch, steps: options.steps).value } ?? trainPPL
            guard validPPL.isFinite else {
                throw .diverged(divergence(epoch: epoch, batch: nil, of: 0, what: "the validation perplexity is \(validPPL)",
                                           learningRate: lr))
            }
            let record = EpochRecord(epoch: epoch, learningRate: lr, trainPerplexity: trainPPL, validPerplexity: validPPL,
                                     seconds: monotonicSeconds() - started)
            model.training.epoch = epoch
            model.training.history.append(record)
            if validPPL.isFinite && validPPL < model.training.bestValidPerplexity {
                model.training.bestValidPerplexity = validPPL
                let copy = bestValues ?? FloatBuffer(count: model.store.count)
                copy.pointer.update(from: model.store.values, count: model.store.count)
                bestValues = copy
                if let outputPath { try model.save(to: outputPath) }
            }
            if let checkpointPath {
                try trainerState.save(to: TrainerStateFile.path(forCheckpoint: checkpointPath))
                try model.save(to: checkpointPath)
            }
            onEpoch?(record)
        }
        // Keep the best weights (with the whole history) as the result.
        if let bestValues {
            model.store.values.update(from: bestValues.pointer, count: model.store.count)
        } else if let outputPath, FileIO.exists(outputPath),
                  let best = try? RecurrentLanguageModel.load(path: outputPath), best.store.count == model.store.count {
            // Resumed after the best epoch: the best weights are in the model file already.
            model.store.copyValues(from: best.store)
        }
        if let outputPath { try model.save(to: outputPath) }
    }
}

/// The message of a divergence in the language-model and classifier trainers: where, what, what
/// to try, and what was kept.
func divergenceMessage(epoch: Int, batch: Int?, of batches: Int, what: String, learningRate: Double,
                       clip: Double, kept: String) -> String {
    let place = batch.map { "epoch \(epoch), batch \($0) of \(batches)" } ?? "epoch \(epoch)"
    return "training diverged in \(place): \(what). Lower the learning rate (--lr, now \(learningRate))"
        + (clip > 0 ? "" : " or clip gradients (--clip 5)") + "; \(kept)"
}
