// Training a sentence classifier: bucketed mini-batches, Adam (or SGD), gradient clipping,
// accuracy on the dev set after every epoch, optional learning-rate halving on a dev plateau,
// early stopping, and the best epoch's parameters kept (restored into the model at the end).
import LexisTensor
import LexisText

/// Settings of a classifier training run.
public struct ClassifierTrainingOptions: Sendable {
    /// The most epochs; 20 by default.
    public var epochs = 20
    /// Examples per mini-batch; 32 by default.
    public var batch = 32
    /// The starting learning rate; 0.001 (for Adam) by default.
    public var learningRate: Float = 0.001
    /// Stop when dev accuracy has not improved for this many epochs (0: never stop early).
    public var patience = 5
    /// Global gradient-norm clipping (0 disables).
    public var clip = 5.0
    /// L2 weight decay added to the gradient; 0 by default.
    public var weightDecay: Float = 0
    /// Probability of replacing a training word by `<unk>` (drawn anew every epoch; Iyyer et al.
    /// 2015's word dropout): the model cannot lean on any single word.
    public var wordDropout: Float = 0
    /// Probability of replacing a word seen once in the training data by `<unk>` (drawn anew
    /// every epoch), so the `<unk>` row learns what an unknown word at prediction time means.
    public var unknownReplacement: Float = 0
    /// Learning-rate halvings on a dev plateau: after `halvingPatience` epochs without a better
    /// dev accuracy the best parameters are restored, the learning rate halved (fresh Adam
    /// moments) and training goes on; once the halvings are spent, `patience` stops as usual.
    public var halvings = 0
    /// Epochs without a better dev accuracy before a halving; 2 by default.
    public var halvingPatience = 2
    /// The optimizer; Adam by default.
    public var optimizer: ClassifierOptimizerKind = .adam
    /// Seed of the batch order, dropout and word dropout (not of the weights:
    /// ``SentenceClassifier/initialize(seed:embeddingScale:forgetBias:)`` takes its own).
    public var seed: UInt64 = 1
    /// knn models: choose the number of neighbours on dev (else keep the configuration's).
    public var chooseNeighboursOnDev = true
    /// The default settings; change the properties as needed.
    public init() {}

    /// Checks every setting; the messages name the `lexis classify train` flags.
    ///
    /// - Throws: `LexisError.invalidArgument` naming the first bad setting.
    public func validate() throws(LexisError) {
        func check(_ ok: Bool, _ message: String) throws(LexisError) {
            if !ok { throw .invalidArgument(message) }
        }
        try check(epochs >= 1, "--epochs must be at least 1, got \(epochs)")
        try check(batch >= 1, "--batch must be at least 1, got \(batch)")
        try check(patience >= 0, "--patience must be 0 or more, got \(patience)")
        try check(learningRate > 0, "--lr must be positive, got \(learningRate)")
        try check(clip >= 0, "--clip must be 0 (off) or positive, got \(clip)")
        try check(weightDecay >= 0, "--weight-decay must be 0 or more, got \(weightDecay)")
        try check(wordDropout >= 0 && wordDropout < 1, "--word-dropout must be in [0, 1), got \(wordDropout)")
        try check(unknownReplacement >= 0 && unknownReplacement <= 1,
                  "--unk-replacement must be in [0, 1], got \(unknownReplacement)")
        try check(halvings >= 0, "--halvings must be 0 or more, got \(halvings)")
        try check(halvingPatience >= 1, "--halving-patience must be at least 1, got \(halvingPatience)")
    }
}

/// The optimizer ``ClassifierTrainer`` uses: `Adam` or `SGD`.
public enum ClassifierOptimizerKind: String, Sendable, CaseIterable {
    case adam, sgd
}

/// The results of one classifier training epoch.
public struct ClassifierEpochRecord: Sendable, Equatable {
    /// The epoch, 1-based.
    public var epoch: Int
    /// Mean cross-entropy per training example (with dropout).
    public var trainLoss: Double
    /// Fraction of training examples classified correctly during the epoch (with dropout).
    public var trainAccuracy: Double
    /// Fraction of dev examples classified correctly after the epoch (multi-label: whose most
    /// likely label is one of theirs, P@1); NaN without a dev set.
    public var devAccuracy: Double
    /// Wall-clock seconds of the training part of the epoch (dev evaluation excluded).
    public var seconds: Double
    /// Training speed.
    public var examplesPerSecond: Double
}

/// Trains a ``SentenceClassifier``: length-bucketed mini-batches, Adam or SGD, gradient clipping,
/// dev accuracy after every epoch, optional learning-rate halving on a dev plateau, early
/// stopping. At the end the model holds the parameters of the best epoch on dev.
public final class ClassifierTrainer {
    /// The model being trained, in place.
    public let model: SentenceClassifier
    /// The run's settings.
    public let options: ClassifierTrainingOptions
    /// The training examples.
    public let train: [EncodedExample]
    /// The dev examples; empty for none (then the last epoch is kept and there is no early stopping).
    public let dev: [EncodedExample]
    /// Called after every batch with (epoch, batches done, batches per epoch, mean loss per
    /// example so far, examples per second).
    public var onProgress: ((Int, Int, Int, Double, Double) -> Void)?
    /// Called after every epoch.
    public var onEpoch: ((ClassifierEpochRecord) -> Void)?
    /// One record per epoch run.
    public private(set) var history: [ClassifierEpochRecord] = []
    /// The epoch whose parameters were kept (1-based; 0 before ``run()``).
    public private(set) var bestEpoch = 0
    /// The best dev accuracy; -1 before ``run()`` or without a dev set.
    public private(set) var bestDevAccuracy = -1.0
    /// Epochs after which the learning rate was halved (and the best parameters restored).
    public private(set) var halvingEpochs: [Int] = []

    ///
    /// - Parameters:
    ///   - model: An initialized model.
    ///   - options: The run's settings.
    ///   - train: Encoded training examples, as from ``SentenceClassifier/encode(_:path:)``.
    ///   - dev: Encoded dev examples for model selection, or `[]`.
    public init(model: SentenceClassifier, options: ClassifierTrainingOptions, train: [EncodedExample],
                dev: [EncodedExample]) {
        self.model = model; self.options = options; self.train = train; self.dev = dev
    }

    /// Trains for up to ``ClassifierTrainingOptions/epochs`` epochs and leaves the best epoch's
    /// parameters in ``model``. Saves nothing: call ``SentenceClassifier/save(to:)`` afterwards.
    ///
    /// - Throws: `LexisError/diverged(_:)` as soon as a batch's loss is NaN or infinite.
    public func run() throws(LexisError) {
        let store = model.store
        let best = ParameterStore(layout: store.layout)
        best.copyValues(from: store)
        let trainWS = model.makeWorkspace(for: train, batchSize: options.batch)
        let devWS = dev.isEmpty ? nil : model.makeWorkspace(for: dev, batchSize: 256)
        var shuffle: RandomGenerator? = RandomGenerator(seed: options.seed &+ 17)
        var dropoutRNG = RandomGenerator(seed: options.seed &+ 29)
        var adam = Adam(weightDecay: options.weightDecay)
        var sgd = SGD(weightDecay: options.weightDecay)
        var sinceBest = 0, halvingsLeft = options.halvings, learningRate = options.learningRate
        var wordRNG = RandomGenerator(seed: options.seed &+ 41)
        for epoch in 1...options.epochs {
            let start = monotonicSeconds()
            let batches = ClassifierBatch.bucketed(dropWords(&wordRNG), size: options.batch, rng: &shuffle)
            var lossSum = 0.0, correct = 0, seen = 0
            let C = model.config.classes
            for (i, batch) in batches.enumerated() {
                store.zeroGradients()
                let batchLoss = model.forward(batch, workspace: trainWS, training: true, rng: &dropoutRNG)
                guard batchLoss.isFinite else {
                    throw .diverged(divergenceMessage(epoch: epoch, batch: i + 1, of: batches.count, what: "the loss is \(batchLoss)",
                                                      learningRate: Double(learningRate), clip: options.clip, kept: "no model was written"))
                }
                lossSum += batchLoss
                // The logits now hold (p - target) / B (p: softmax, or sigmoids for ova): add the
                // targets back for the probabilities. Correct: the top label is one of the gold ones.
                let scale = Float(batch.rows)
                for b in 0..<batch.rows {
                    let row = trainWS.logits.pointer + b * C, targets = batch.targetSets[b]
                    func probability(_ k: Int) -> Float { row[k] * scale + (targets.contains(Int32(k)) ? 1 : 0) }
                    var arg = 0
                    for k in 1..<C where probability(k) > probability(arg) { arg = k }
                    if targets.contains(Int32(arg)) { correct += 1 }
                }
                model.backward(batch, workspace: trainWS)
                if options.clip > 0 { store.clipGradients(maxNorm: options.clip) }
                switch options.optimizer {
                case .adam: adam.step(store, learningRate: learningRate)
                case .sgd: sgd.step(store, learningRate: learningRate)
                }
                seen += batch.rows
                if let onProgress {
                    onProgress(epoch, i + 1, batches.count, lossSum / Double(seen), Double(seen) / max(monotonicSeconds() - start, 1e-9))
                }
            }
            // A row-sparse (bow) table has rows Adam has not yet caught up.
            if options.optimizer == .adam { adam.synchronize(store, learningRate: learningRate) }
            let seconds = monotonicSeconds() - start
            var devAccuracy = Double.nan
            if let devWS {
                let predicted = model.predict(dev, batchSize: 256, workspace: devWS)
                devAccuracy = Double(zip(predicted, dev).filter { $0.1.hasLabel($0.0) }.count) / Double(dev.count)
            }
            let record = ClassifierEpochRecord(epoch: epoch, trainLoss: lossSum / Double(max(seen, 1)),
                                               trainAccuracy: Double(correct) / Double(max(seen, 1)),
                                               devAccuracy: devAccuracy, seconds: seconds,
                                               examplesPerSecond: Double(seen) / max(seconds, 1e-9))
            history.append(record)
            // Without a dev set the last epoch is the one kept.
            if devAccuracy.isNaN || devAccuracy > bestDevAccuracy {
                bestDevAccuracy = devAccuracy.isNaN ? bestDevAccuracy : devAccuracy
                bestEpoch = epoch
                best.copyValues(from: store)
                sinceBest = 0
            } else {
                sinceBest += 1
            }
            onEpoch?(record)
            if halvingsLeft > 0 && !devAccuracy.isNaN && sinceBest >= options.halvingPatience {
                store.copyValues(from: best)
                learningRate /= 2
                halvingsLeft -= 1
                halvingEpochs.append(epoch)
                adam = Adam(weightDecay: options.weightDecay)
                sinceBest = 0
                continue
            }
            if options.patience > 0 && sinceBest >= options.patience { break }
        }
        store.copyValues(from: best)
    }

    /// The training set with words replaced by `<unk>`: any word at rate `wordDropout`, a word
    /// seen once in the training data at rate `unknownReplacement` (bigram ids kept).
    func dropWords(_ rng: inout RandomGenerator) -> [EncodedExample] {
        let p = options.wordDropout, q = options.unknownReplacement
        guard p > 0 || q > 0 else { return train }
        let unk = model.unknownID, V = Int32(model.config.vocabularySize)
        return train.map { e in
            var e = e
            for i in e.ids.indices where e.ids[i] < V {
                if p > 0 && rng.nextFloat() < p {
                    e.ids[i] = unk
                } else if q > 0 && singletons[Int(e.ids[i])] && rng.nextFloat() < q {
                    e.ids[i] = unk
                }
            }
            return e
        }
    }

    /// singletons[id]: the word occurs exactly once in the training set.
    private lazy var singletons: [Bool] = {
        var counts = [Int32](repeating: 0, count: model.config.vocabularySize)
        let V = Int32(model.config.vocabularySize)
        for e in train { for id in e.ids where id >= 0 && id < V { counts[Int(id)] += 1 } }
        return counts.map { $0 == 1 }
    }()
}
