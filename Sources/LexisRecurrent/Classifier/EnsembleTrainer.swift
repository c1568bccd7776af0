// Trains an ensemble of sentence classifiers: member k is exactly the model seed + k trains alone
// (same initialisation, same batches), with its own early stopping; members may differ in
// architecture and training settings (a mixed ensemble). The members' probabilities are averaged
// at prediction, or weighted by weights fitted on dev.
import LexisText
import LexisVocab
import LexisVectors

/// Trains the members of a ``ClassifierEnsemble`` one after another on the same examples.
public final class EnsembleTrainer {
    /// Each member's architecture.
    public let configs: [ClassifierConfig]
    /// Each member's training settings; each member gets its own seed.
    public let memberOptions: [ClassifierTrainingOptions]
    /// Members to train (1 trains a single model).
    public var memberCount: Int { configs.count }
    /// How the members' probabilities are combined: averaged, or with weights fitted on dev
    /// (``ClassifierEnsemble/fitWeights(on:steps:sharing:)``) when there is dev data.
    public var weighting = EnsembleWeighting.equal
    /// The seed of member 0; member k uses `seed + k` for initialisation and batches.
    public let seed: UInt64
    let vocabulary: Vocabulary
    let labels: [String]
    let vectors: WordVectors?

    /// Called before member k trains, with its trainer (set `onProgress` and `onEpoch` there).
    public var willTrain: ((Int, ClassifierTrainer) -> Void)?
    /// Called after member k has trained.
    public var didTrain: ((Int, ClassifierTrainer) -> Void)?
    /// Called after member k, a knn model, has remembered the training sentences (and chosen k).
    /// The third value is its dev accuracy (nil without dev data).
    public var didRemember: ((Int, SentenceClassifier, Double?) -> Void)?
    /// Mean seconds per epoch over all members' epochs of the last `run`.
    public private(set) var secondsPerEpoch = 0.0
    /// Each member's mean seconds per epoch in the last `run` (their sum: one epoch of the whole ensemble).
    public private(set) var memberSecondsPerEpoch: [Double] = []
    /// Dev accuracy of the whole ensemble after the last `run` (nil without dev data or with one member).
    public private(set) var ensembleDevAccuracy: Double?

    /// Creates the trainer of `memberCount` members of one architecture. `vectors`, when given,
    /// start every member's embeddings.
    public convenience init(config: ClassifierConfig, vocabulary: Vocabulary, labels: [String],
                            options: ClassifierTrainingOptions, memberCount: Int, seed: UInt64, vectors: WordVectors? = nil) {
        let n = max(1, memberCount)
        self.init(members: [(ClassifierConfig, ClassifierTrainingOptions)](repeating: (config, options), count: n),
                  vocabulary: vocabulary, labels: labels, seed: seed, vectors: vectors)
    }

    /// Creates the trainer of a (possibly mixed) ensemble: one architecture and training
    /// settings per member.
    ///
    /// - Precondition: `members` is not empty.
    public init(members: [(ClassifierConfig, ClassifierTrainingOptions)], vocabulary: Vocabulary, labels: [String],
                seed: UInt64, vectors: WordVectors? = nil) {
        precondition(!members.isEmpty)
        configs = members.map(\.0)
        memberOptions = members.map(\.1)
        self.vocabulary = vocabulary
        self.labels = labels
        self.seed = seed
        self.vectors = vectors
    }

    /// Member `k`, initialised from its seed, with the vectors loaded.
    ///
    /// - Returns: The member and how many vocabulary words the vectors held.
    public func makeMember(_ k: Int) throws(LexisError) -> (model: SentenceClassifier, vectorsFound: Int) {
        let classifier = try SentenceClassifier(config: configs[k], vocabulary: vocabulary, labels: labels)
        classifier.initialize(seed: seed &+ UInt64(k))
        let found = try vectors.map { v throws(LexisError) in try classifier.loadEmbeddings(v) } ?? 0
        return (classifier, found)
    }

    /// Trains every member on `train` (`dev` picks each member's best epoch) and returns the
    /// ensemble, its `trainingSummary` filled in. The examples may be encoded by word or by any
    /// member: each member adds its own features. `first` is member 0 when the caller already
    /// made it (to encode the data with it).
    public func run(train: [EncodedExample], dev: [EncodedExample], first: SentenceClassifier? = nil)
        throws(LexisError) -> ClassifierEnsemble {
        var members: [SentenceClassifier] = []
        var epochSeconds: [Double] = [], bestEpochs: [String] = [], memberDev: [String] = []
        memberSecondsPerEpoch = []
        for k in 0..<memberCount {
            let classifier: SentenceClassifier
            if k == 0, let first { classifier = first } else { classifier = try makeMember(k).model }
            var options = memberOptions[k]
            options.seed = seed &+ UInt64(k)
            if classifier.config.model == .knn {
                // Nothing to train: remember the training sentences, choose k on dev.
                classifier.remember(train.map(classifier.wordsOnly))
                let devWords = dev.map(classifier.wordsOnly)
                if options.chooseNeighboursOnDev && !dev.isEmpty {
                    try classifier.setNeighbours(classifier.chooseNeighbours(dev: devWords).k)
                }
                bestEpochs.append("0")
                var devAccuracy: Double? = nil
                if !dev.isEmpty {
                    let right = zip(classifier.predict(devWords), devWords).filter { $0.1.hasLabel($0.0) }.count
                    devAccuracy = Double(right) / Double(dev.count)
                    memberDev.append(formatFixed(devAccuracy!, 4))
                }
                didRemember?(k, classifier, devAccuracy)
                memberSecondsPerEpoch.append(0)
                members.append(classifier)
                continue
            }
            let trainer = ClassifierTrainer(model: classifier, options: options, train: train.map(classifier.withOwnFeatures),
                                            dev: dev.map(classifier.withOwnFeatures))
            willTrain?(k, trainer)
            try trainer.run()
            didTrain?(k, trainer)
            epochSeconds += trainer.history.map(\.seconds)
            memberSecondsPerEpoch.append(trainer.history.map(\.seconds).reduce(0, +) / Double(max(trainer.history.count, 1)))
            bestEpochs.append("\(trainer.bestEpoch)")
            if trainer.bestDevAccuracy >= 0 { memberDev.append(formatFixed(trainer.bestDevAccuracy, 4)) }
            members.append(classifier)
        }
        let ensemble = try ClassifierEnsemble(members: members)
        secondsPerEpoch = epochSeconds.reduce(0, +) / Double(max(epochSeconds.count, 1))
        ensembleDevAccuracy = nil
        ensemble.trainingSummary = [
            "epochs": "\(epochSeconds.count)", "best_epoch": bestEpochs.joined(separator: ","), "seed": "\(seed)",
            "seconds_per_epoch": formatFixed(secondsPerEpoch, 2),
        ]
        if configs.contains(where: { $0 != configs[0] }) {
            ensemble.trainingSummary["models"] = configs.map(\.model.rawValue).joined(separator: ",")
        }
        if !memberDev.isEmpty {
            ensemble.trainingSummary["best_dev_accuracy"] = memberDev.joined(separator: ",")
            if memberCount > 1 {
                if weighting != .equal {
                    ensemble.fitWeights(on: dev, sharing: weighting)
                    ensemble.trainingSummary["weights"] = ensemble.weights.map { formatFixed(Double($0), 2) }.joined(separator: ",")
                }
                let accuracy = ensemble.accuracy(on: dev)
                ensembleDevAccuracy = accuracy
                ensemble.trainingSummary["ensemble_dev_accuracy"] = formatFixed(accuracy, 4)
            }
        }
        return ensemble
    }
}

extension ClassifierEnsemble {
    /// The share of `examples` whose predicted label is the gold one, or one of them (0 for none).
    public func accuracy(on examples: [EncodedExample]) -> Double {
        let predicted = predict(examples)
        return Double(zip(predicted, examples).filter { $0.1.hasLabel($0.0) }.count) / Double(max(examples.count, 1))
    }
}
