// `lexis classify train|test|predict`: sentence classifiers (RNN/LSTM and convolutional encoders
// and a bag-of-words baseline; single- and multi-label). Thin: parses flags, prints progress and results, calls LexisRecurrent.
import ArgumentParser
import Lexis
#if canImport(Glibc)
import Glibc
#endif

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Train, test and apply sentence classifiers (label<TAB>text or fastText's __label__x text data).",
        subcommands: [ClassifyTrainCommand.self, ClassifyTestCommand.self, ClassifyPredictCommand.self,
                      ClassifyQuantizeCommand.self])
}

extension ClassifierModelKind: ExpressibleByArgument {}
extension PoolKind: ExpressibleByArgument {}
extension ClassifierOptimizerKind: ExpressibleByArgument {}
extension ClassifierLossKind: ExpressibleByArgument {}
extension ClassifierQuantization: ExpressibleByArgument {}
extension EnsembleWeighting: ExpressibleByArgument {}

/// Reads labeled data and reports skipped empty texts on stderr.
func readLabeled(_ path: String, tokenizer: TokenizerOptions, progress: ProgressLine) throws -> LabeledText {
    let data = try LabeledText.read(path: path, tokenizer: tokenizer)
    progress.warnInvalidBytes(data.invalidBytes, in: path)
    if !data.truncatedLines.isEmpty {
        let shown = data.truncatedLines.prefix(5).map(String.init).joined(separator: ", ")
        progress.finish("warning: \(path): \(data.truncatedLines.count) text(s) cut after \(LabeledText.defaultMaximumTokens) tokens (line \(shown)\(data.truncatedLines.count > 5 ? ", ..." : ""))")
    }
    if !data.emptyLines.isEmpty {
        let shown = data.emptyLines.prefix(5).map(String.init).joined(separator: ", ")
        progress.finish("warning: \(path): skipped \(data.emptyLines.count) example(s) with no words (line \(shown)\(data.emptyLines.count > 5 ? ", ..." : ""))")
    }
    guard !data.examples.isEmpty else {
        throw LexisError.malformed(path: path, line: nil, problem: "no examples",
                                   fix: "Write one example per line as label<TAB>text, or __label__x text as fastText does")
    }
    return data
}

/// `s` padded with spaces to `n` characters, on the right (`pad`) or the left (`lpad`): table columns.
func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
func lpad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }

// MARK: - train

struct ClassifyTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a sentence classifier.",
        discussion: """
        Data: one example per line, label<TAB>text, or fastText's __label__x text (told apart by the first \
        line; in fastText's format every word starting with __label__ is a label, anywhere in the line, and \
        a line may have several: multi-label data, trained with --loss ova). Texts are tokenized with the ICU tokenizer (case-folded, \
        punctuation dropped) and these settings are stored in the model. The defaults (an ensemble of 3 \
        bidirectional LSTMs with max pooling over time, a TextCNN and a bow model; random 300-dimensional \
        embeddings, dropout 0.6, Adam, early stopping on --dev, words seen once replaced by <unk> half the \
        time) were chosen on the dev sets of SST-2, MR and TREC; see BENCHMARKS.md.

        Ensemble: by default 5 models are trained one after the other, 3 bidirectional LSTMs, a TextCNN \
        and a bow model (seeds --seed to --seed+4, each with its own early stopping), all stored in the one \
        model file. Their class probabilities are combined with one weight for the LSTMs, one for the CNN \
        and one for the bow model, chosen on --dev (--ensemble-weights architecture; averaged without \
        --dev). Training takes about 3.5 times as long as one LSTM. --model recurrent trains the 3 LSTMs \
        alone (averaged), --ensemble 1 the single LSTM (the same one as the ensemble's first).

        --model bow is a fastText-style linear baseline: the average of word and hashed-bigram embeddings, \
        then a linear layer (one model, no <unk> replacement, unless asked for).

        --model cnn is Kim (2014)'s TextCNN: convolutions of widths --filter-widths (3,4,5) with --filters \
        (100) filters each over the embedded sentence, ReLU, the maximum over time, dropout 0.5 on the \
        pooled vector, a linear layer (one model unless --ensemble). With --embeddings it is CNN-non-static, \
        with --embeddings and --freeze CNN-static; without, CNN-rand.

        --model knn needs --embeddings or --encoder. With --embeddings a sentence is the mean of its words' \
        vectors; with --encoder MODEL (a model from this command, say --model cnn) it is the pooled vector \
        that model's encoder gives it, what its output layer reads (each member's, for an ensemble). The k \
        training sentences most similar to it by cosine vote with their similarity (k chosen on --dev). \
        Nothing is trained; the model file holds the training sentences' vectors (and the encoder). \
        With --encoder the text is tokenized as the encoder's was, and its vocabulary and labels are kept.

        Unknown words: a word not in the vocabulary becomes <unk>. During training each word seen only once \
        is replaced by <unk> with probability --unk-replacement (drawn anew every epoch), so <unk> learns \
        what a rare word at prediction time means. With --embeddings the vocabulary is the training words \
        plus every word of the vector file, so a word seen only at prediction time still gets its \
        pre-trained vector; <unk> starts as a zero vector. Training words without a vector start random.
        """)

    @Option(help: "Training data (label<TAB>text per line).") var train: String
    @Option(help: "Dev data: accuracy after every epoch, early stopping, and the best epoch is kept (without it, the last epoch is kept).")
    var dev: String?
    @Option(help: "Test data: accuracy of the kept model at the end.") var test: String?
    @Option(name: [.short, .customLong("output")], help: "Model file to write (required).") var output: String

    @Option(help: "Architecture: recurrent (RNN/LSTM encoder), cnn (Kim's TextCNN), bow (fastText-style averaged embeddings) or knn (nearest neighbours, needs --embeddings or --encoder); a comma-separated list (recurrent,cnn,bow) trains one model of each, a mixed ensemble in one file. (default: recurrent,recurrent,recurrent,cnn,bow; with --ensemble, recurrent)")
    var model: String?
    @Option(help: "How an ensemble combines its members' probabilities: equal (the average), dev (a weight per member chosen on --dev) or architecture (a weight per architecture chosen on --dev, shared by its members). (default: architecture for the default ensemble, else equal)")
    var ensembleWeights: EnsembleWeighting?
    @Option(help: "Loss: softmax (one label per example) or ova (one-vs-all sigmoids, for multi-label data; the default when a line has several labels).")
    var loss: ClassifierLossKind?
    @Option(help: "cnn: convolution widths in words, comma-separated.") var filterWidths = "3,4,5"
    @Option(help: "cnn: filters per width.") var filters = 100
    @Option(help: "knn: a model file from `lexis classify train` whose encoder's pooled vectors are the sentence vectors (instead of --embeddings).")
    var encoder: String?
    @Option(help: "knn: neighbours that vote (default: chosen on --dev from 1, 3, 5, 7, 9, 15, 25, 50; 5 without --dev).")
    var neighbours: Int?
    @Option(help: "Recurrent cell: lstm or rnn.") var cell: CellKind = .lstm
    @Flag(inversion: .prefixedNo, help: "Run a second encoder right to left and concatenate both.") var bidirectional = true
    @Option(help: "Stacked recurrent layers.") var layers = 1
    @Option(help: "Pooling over time: max, mean or last (bow always averages).") var pool: PoolKind = .max
    @Option(help: "Hidden units per direction.") var hidden = 150
    @Option(help: "Embedding width (default: the dimension of --embeddings, else 300; bow 100).") var embeddingSize: Int?
    @Option(help: "Word vectors (word2vec text/binary or .lexis) to start the embedding from.") var embeddings: String?
    @Flag(help: "Keep the --embeddings vectors fixed (default: fine-tune them).") var freeze = false
    @Option(help: "Dropout on embeddings, between layers and on the pooled vector (default: 0.6; cnn 0.5, pooled vector only; bow 0).") var dropout: Float?
    @Option(help: "Probability of replacing a training word by <unk> each epoch (word dropout).") var wordDropout: Float = 0
    @Option(help: "Probability of replacing a word seen once in the training data by <unk> each epoch, so <unk> learns what an unknown word means (default: 0.5; bow 0).")
    var unkReplacement: Float?
    @Flag(inversion: .prefixedNo, help: "bow: add hashed bigram features (fastText's wordNgrams 2).") var bigrams = true
    @Option(help: "bow: hash buckets for bigrams.") var buckets = 100_000
    @Option(help: "Words seen fewer times in the training data become <unk>.") var minCount = 1

    @Option(help: "Maximum epochs.") var epochs = 20
    @Option(help: "Stop after this many epochs without a better dev accuracy (0: never).") var patience = 5
    @Option(help: "Learning-rate halvings: after --halving-patience epochs without a better dev accuracy, restore the best epoch, halve the learning rate and go on (0: plain early stopping).")
    var halvings = 0
    @Option(help: "Epochs without a better dev accuracy before a halving.") var halvingPatience = 2
    @Option(help: "Train this many models (seeds --seed, --seed+1, ...) and average their probabilities; all are stored in the one model file (default: 3; bow, cnn and knn 1).")
    var ensemble: Int?
    @Option(help: "Sentences per batch (batches group sentences of similar length).") var batch = 32
    @Option(help: "Optimizer: adam or sgd.") var optimizer: ClassifierOptimizerKind = .adam
    @Option(help: "Learning rate.") var lr: Float = 0.001
    @Option(help: "Clip the gradient's global norm to this value (0 disables).") var clip = 5.0
    @Option(help: "L2 weight decay added to the gradient.") var weightDecay: Float = 0
    @OptionGroup(title: "Tokenizer (stored in the model; test and predict use the same)") var tokenizerFlags: TokenizerFlags
    @Option(help: "Random seed (initialization, batch order, dropout).") var seed: UInt64 = 1
    // One thread: the per-step products are small (at most --batch rows), so a second thread
    // gains nothing measurable and stalls when other work holds the cores (BENCHMARKS.md).
    @Option(help: "OpenBLAS threads.") var threads = 1
    @Flag(name: .shortAndLong, help: "No progress output on stderr.") var quiet = false

    /// The default ensemble (without --model and --ensemble): 3 BiLSTMs, a CNN and a bow model, one
    /// weight per architecture chosen on dev: the best mean dev accuracy over TREC, SST-2 and MR of
    /// the ensembles measured (BENCHMARKS.md, round 7).
    static let defaultModel = "recurrent,recurrent,recurrent,cnn,bow"

    /// --model as given, or the default ensemble (one recurrent kind with --ensemble).
    var modelList: String { model ?? (ensemble != nil ? "recurrent" : Self.defaultModel) }

    /// How the members are combined: --ensemble-weights, else architecture for the default ensemble.
    var weighting: EnsembleWeighting { ensembleWeights ?? (model == nil && ensemble == nil ? .architecture : .equal) }

    /// The architectures of --model, or nil when one is not a model kind.
    var kinds: [ClassifierModelKind]? {
        let parts = modelList.split(separator: ",").map { ClassifierModelKind(rawValue: String($0.filter { $0 != " " })) }
        return parts.isEmpty || parts.contains(nil) ? nil : parts.map { $0! }
    }

    /// The training settings these flags ask for (a member of kind `model`);
    /// `ClassifierTrainingOptions.validate()` owns their checks.
    func trainingOptions(_ model: ClassifierModelKind = .recurrent) -> ClassifierTrainingOptions {
        let isBow = model == .bow
        var options = ClassifierTrainingOptions()
        options.epochs = epochs; options.batch = batch; options.patience = patience; options.clip = clip
        options.learningRate = lr; options.weightDecay = weightDecay
        options.wordDropout = wordDropout; options.unknownReplacement = unkReplacement ?? (isBow ? 0 : 0.5)
        options.halvings = halvings; options.halvingPatience = halvingPatience
        options.optimizer = optimizer
        options.chooseNeighboursOnDev = neighbours == nil
        return options
    }

    /// The widths of --filter-widths, or nil when it is not a list of numbers.
    var widths: [Int]? {
        let parts: [Int?] = filterWidths.split(separator: ",").map { Int($0.filter { $0 != " " }) }
        return parts.isEmpty || parts.contains(nil) ? nil : parts.map { $0! }
    }

    /// The model these flags ask for; `ClassifierConfig.problem` owns its checks.
    func modelConfig(_ model: ClassifierModelKind, vocabularySize: Int, classes: Int, embeddingDimension: Int?,
                     multiLabel: Bool, trainingExamples: Int) -> ClassifierConfig {
        let isBow = model == .bow, isKNN = model == .knn
        return ClassifierConfig(model: model, cell: cell, bidirectional: bidirectional, layers: layers, hidden: hidden,
                                embedding: isKNN ? embeddingDimension ?? 1 : embeddingSize ?? embeddingDimension ?? (isBow ? 100 : 300),
                                vocabularySize: vocabularySize, bigramBuckets: isBow && bigrams ? buckets : 0,
                                classes: classes, pool: isBow || isKNN ? .mean : model == .cnn ? .max : pool,
                                dropout: isKNN ? 0 : dropout ?? (isBow ? 0 : model == .cnn ? 0.5 : 0.6), frozenEmbedding: freeze || isKNN,
                                loss: loss ?? (multiLabel ? .ova : .softmax), filterWidths: widths ?? [3, 4, 5], filters: filters,
                                neighbours: min(neighbours ?? 5, max(trainingExamples, 1)), memory: isKNN ? trainingExamples : 0)
    }

    func validate() throws {
        do { try trainingOptions().validate() } catch { throw ValidationError(error.description) }
        guard let kinds else {
            throw ValidationError("--model must be recurrent, cnn, bow or knn, or a comma-separated list of them, got '\(modelList)'")
        }
        if kinds.count > 1 && ensemble != nil {
            throw ValidationError("--model with a list trains one model of each kind; drop --ensemble")
        }
        // The flags that size the model, named as the user wrote them (the vocabulary and the
        // labels are known only after reading the data; ClassifierConfig checks the rest then).
        if layers < 1 { throw ValidationError("--layers must be at least 1") }
        if hidden < 1 { throw ValidationError("--hidden must be at least 1") }
        if let e = embeddingSize, e < 1 { throw ValidationError("--embedding-size must be at least 1") }
        if let d = dropout, !(d >= 0 && d < 1) { throw ValidationError("--dropout must be in [0, 1)") }
        if buckets < 0 { throw ValidationError("--buckets must be 0 or more") }
        if kinds == [.bow] && pool != .max && pool != .mean { throw ValidationError("--model bow averages its embeddings; drop --pool") }
        if kinds == [.cnn] && pool != .max { throw ValidationError("--model cnn pools by the maximum over time; drop --pool") }
        guard let widths, widths.allSatisfy({ $0 >= 1 && $0 <= 100 }) else {
            throw ValidationError("--filter-widths must be comma-separated widths between 1 and 100, like 3,4,5")
        }
        if filters < 1 { throw ValidationError("--filters must be at least 1") }
        // What only the command line has.
        if let k = ensemble, k < 1 { throw ValidationError("--ensemble must be at least 1") }
        if minCount < 1 { throw ValidationError("--min-count must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if freeze && embeddings == nil { throw ValidationError("--freeze needs --embeddings") }
        if kinds.contains(.knn) && embeddings == nil && encoder == nil {
            throw ValidationError("--model knn needs --embeddings (sentence vectors: the mean of the words' vectors) or --encoder (a trained model's pooled vectors)")
        }
        if encoder != nil {
            if kinds != [.knn] { throw ValidationError("--encoder makes a trained model a nearest-neighbour classifier: use it with --model knn alone") }
            if embeddings != nil { throw ValidationError("--encoder brings its own embeddings: drop --embeddings") }
            if ensemble != nil { throw ValidationError("--encoder gives one nearest-neighbour member per member of its model: drop --ensemble") }
        }
        if let k = neighbours, k < 1 { throw ValidationError("--neighbours must be at least 1") }
    }

    func run() throws {
        try FileIO.checkWritable(output)   // before training, not after it
        Matmul.setThreads(threads)
        let progress = ProgressLine(quiet: quiet)
        if let encoder { return try runNeighbours(over: encoder, progress: progress) }
        let tokenizer = try tokenizerFlags.options()
        let trainData = try readLabeled(train, tokenizer: tokenizer, progress: progress)
        let devData = try dev.map { try readLabeled($0, tokenizer: tokenizer, progress: progress) }
        let testData = try test.map { try readLabeled($0, tokenizer: tokenizer, progress: progress) }
        let labels = trainData.labels
        if trainData.isMultiLabel && loss == .softmax {
            throw LexisError.malformed(path: train, line: trainData.examples.first { $0.labels.count > 1 }?.line,
                                       problem: "several labels on one line, but --loss softmax learns one label per example",
                                       fix: "Use --loss ova (the default for multi-label data)")
        }
        guard labels.count >= 2 else {
            throw LexisError.malformed(path: train, line: nil, problem: "only one label (\(labels.first ?? ""))",
                                       fix: "A classifier needs examples of at least two labels")
        }
        let vectors = try embeddings.map { try WordVectors.load(path: $0) }
        let vocabulary = try SentenceClassifier.buildVocabulary(trainData, minCount: minCount, vectors: vectors)
        let kinds = self.kinds!
        // One kind: --ensemble members of it (3 recurrent by default); a list: one of each.
        let memberKinds = kinds.count > 1 ? kinds : [ClassifierModelKind](repeating: kinds[0], count: self.ensemble ?? (kinds[0] == .recurrent ? 3 : 1))
        let ensemble = memberKinds.count
        let configs = memberKinds.map {
            modelConfig($0, vocabularySize: vocabulary.count, classes: labels.count, embeddingDimension: vectors?.dimension,
                        multiLabel: trainData.isMultiLabel, trainingExamples: trainData.examples.count)
        }
        let config = configs[0]
        let training = EnsembleTrainer(members: memberKinds.indices.map { (configs[$0], trainingOptions(memberKinds[$0])) },
                                       vocabulary: vocabulary, labels: labels, seed: seed, vectors: vectors)
        training.weighting = devData == nil ? .equal : weighting
        // Member 0 encodes the data (the vocabulary is the same for all; each member adds its own features).
        let (first, found) = try training.makeMember(0)
        if let vectors { progress.finish(Self.coverage(of: trainData, by: vectors, found: found, path: embeddings!)) }
        let trainSet = try first.encode(trainData)
        let devSet = try devData.map { try first.encode($0) } ?? []
        func describe(_ config: ClassifierConfig) -> String {
            switch config.model {
            case .bow: "bow\(config.bigramBuckets > 0 ? "+bigrams" : "")"
            case .cnn: "cnn widths \(config.filterWidths.map(String.init).joined(separator: ",")) x \(config.filters) filters"
            case .knn: "knn over \(config.memory) training sentences"
            case .recurrent: "\(config.bidirectional ? "bi" : "")\(config.cell.rawValue) \(config.layers)x\(config.hidden) pool \(config.pool.rawValue)"
            }
        }
        if kinds.count > 1 {
            let sizes = try memberKinds.indices.map { k throws -> String in
                let m = k == 0 ? first : try SentenceClassifier(config: configs[k], vocabulary: vocabulary, labels: labels)
                return "\(describe(configs[k])) (embedding \(configs[k].embedding), \(formatCount(Double(m.parameterCount))) parameters"
            }
            // Members of one architecture in a row are named once: "3 x bilstm ... each".
            var groups: [(description: String, count: Int)] = []
            for d in sizes {
                if groups.last?.description == d { groups[groups.count - 1].count += 1 } else { groups.append((d, 1)) }
            }
            let members = groups.map { $0.count > 1 ? "\($0.count) x \($0.description) each)" : "\($0.description))" }
            progress.finish("mixed ensemble of \(ensemble): \(members.joined(separator: ", "))\(config.loss == .ova ? ", one-vs-all loss" : "")"
                + "\(freeze ? ", embeddings frozen" : ""), vocabulary \(vocabulary.count), \(labels.count) labels, "
                + "\(trainSet.count) training examples, \(Matmul.threads) BLAS threads")
        } else {
            progress.finish("\(describe(config))\(config.loss == .ova ? ", one-vs-all loss" : ""), embedding \(config.embedding)\(freeze ? " (frozen)" : ""), vocabulary \(vocabulary.count), "
                + "\(labels.count) labels, \(formatCount(Double(first.parameterCount))) parameters"
                + "\(ensemble > 1 ? " per model, ensemble of \(ensemble)" : ""), "
                + "\(trainSet.count) training examples, \(Matmul.threads) BLAS threads")
        }
        training.willTrain = { k, trainer in
            if ensemble > 1 { print("model \(k + 1) of \(ensemble) (\(kinds.count > 1 ? "\(memberKinds[k].rawValue), " : "")seed \(seed &+ UInt64(k)))") }
            trainer.onProgress = { epoch, done, total, loss, rate in
                progress.update("epoch \(epoch) \(done)/\(total) loss \(formatFixed(loss, 4)) \(formatCount(rate)) examples/s")
            }
            trainer.onEpoch = { r in
                progress.clear()
                var line = "epoch \(r.epoch)  loss \(formatFixed(r.trainLoss, 4))  train acc \(formatFixed(100 * r.trainAccuracy, 2))"
                if !r.devAccuracy.isNaN { line += "  dev acc \(formatFixed(100 * r.devAccuracy, 2))" }
                line += "  \(formatCount(r.examplesPerSecond)) examples/s  \(formatFixed(r.seconds, 1)) s"
                print(line)
                fflush(nil)   // per-epoch lines reach a log file as they happen
            }
        }
        training.didRemember = { k, m, accuracy in
            let chosen = "\(m.config.neighbours) neighbours\(neighbours == nil && devData != nil ? " (chosen on dev)" : "")"
            if let accuracy {
                print("\(ensemble > 1 ? "model \(k + 1): " : "")best dev accuracy \(formatFixed(100 * accuracy, 2)) (\(chosen))")
            } else {
                print("\(ensemble > 1 ? "model \(k + 1): " : "")\(chosen)")
            }
        }
        training.didTrain = { k, trainer in
            if trainer.bestDevAccuracy >= 0 {
                print("\(ensemble > 1 ? "model \(k + 1): " : "")best dev accuracy \(formatFixed(100 * trainer.bestDevAccuracy, 2)) (epoch \(trainer.bestEpoch))")
            }
        }
        let model = try training.run(train: trainSet, dev: devSet, first: first)
        if let accuracy = training.ensembleDevAccuracy {
            print("ensemble dev accuracy \(formatFixed(100 * accuracy, 2)) (\(ensemble) models"
                + "\(training.weighting != .equal ? ", weights \(model.weights.map { formatFixed(Double($0), 2) }.joined(separator: ","))" : ""))")
        }
        let secondsPerEpoch = training.secondsPerEpoch
        try model.save(to: output)
        if let testData { try Self.printTestScore(of: model, on: testData) }
        let allMembers = training.memberSecondsPerEpoch.reduce(0, +)
        print("seconds per epoch \(formatFixed(secondsPerEpoch, 2))\(ensemble > 1 ? " (per model; \(formatFixed(allMembers, 2)) for all \(ensemble))" : "")")
        progress.finish("model written to \(output)")
    }

    /// --model knn --encoder: the trained model's members made nearest-neighbour classifiers over
    /// their pooled vectors, on the encoder's tokenizer, vocabulary and labels.
    func runNeighbours(over path: String, progress: ProgressLine) throws {
        let encoder = try ClassifierEnsemble.load(path: path)
        let read = { (p: String) throws -> [EncodedExample] in try encoder.encode(readLabeled(p, tokenizer: encoder.tokenizer, progress: progress)) }
        let trainSet = try read(train)
        let devSet = try dev.map(read) ?? []
        let kinds = encoder.members.map { $0.config.model.rawValue }
        progress.finish("knn over the pooled vectors of \(path) (\(encoder.members.count > 1 ? "\(encoder.members.count) members: " : "")"
            + "\(kinds.joined(separator: ", "))), \(trainSet.count) training sentences, \(Matmul.threads) BLAS threads")
        let start = monotonicSeconds()
        let model = try encoder.withNeighbourHeads(train: trainSet, dev: devSet, neighbours: neighbours)
        let devProbabilities = devSet.isEmpty ? [] : model.memberProbabilities(devSet)
        for (k, m) in model.members.enumerated() {
            // As a knn model over word vectors reports it.
            let chosen = "\(m.config.neighbours) neighbours\(neighbours == nil && dev != nil ? " (chosen on dev)" : "")"
            let member = model.members.count > 1 ? "model \(k + 1): " : ""
            if devSet.isEmpty {
                print(member + chosen)
            } else {
                let right = zip(devProbabilities[k], devSet).filter { p, e in e.hasLabel(p.indices.max { p[$0] < p[$1] } ?? 0) }.count
                print(member + "best dev accuracy \(formatFixed(100 * Double(right) / Double(devSet.count), 2)) (\(chosen))")
            }
        }
        if !devSet.isEmpty && model.members.count > 1 {
            print("ensemble dev accuracy \(formatFixed(100 * model.accuracy(on: devSet), 2)) (\(model.members.count) models)")
        }
        model.trainingSummary = ["encoder": path, "neighbours": model.members.map { "\($0.config.neighbours)" }.joined(separator: ","),
                                 "seconds": formatFixed(monotonicSeconds() - start, 2)]
        try model.save(to: output)
        if let test { try Self.printTestScore(of: model, on: readLabeled(test, tokenizer: encoder.tokenizer, progress: progress)) }
        progress.finish("model written to \(output)")
    }

    /// One line: test accuracy and macro-F1, or P@1 and R@1 for multi-label data or models.
    static func printTestScore(of model: ClassifierEnsemble, on data: LabeledText) throws {
        let testSet = try model.encode(data)
        if model.config.loss == .ova || data.isMultiLabel {
            let report = MultiLabelReport(labels: model.labels, gold: testSet.map { $0.labels.map(Int.init) },
                                          probabilities: model.probabilities(testSet), k: 1)
            print("test P@1 \(formatFixed(100 * report.precision, 2)) R@1 \(formatFixed(100 * report.recall, 2)) (\(report.examples) examples)")
        } else {
            let report = ClassificationReport(labels: model.labels, gold: testSet.map { Int($0.label) }, predicted: model.predict(testSet))
            print("test accuracy \(formatFixed(100 * report.accuracy, 2)) macro-F1 \(formatFixed(100 * report.macroF1, 2)) (\(report.total) examples)")
        }
    }

    /// How much of the training data the vectors cover (the rest starts random).
    static func coverage(of data: LabeledText, by vectors: WordVectors, found: Int, path: String) -> String {
        let c = data.coverage(by: vectors)
        return "embeddings: \(found) words from \(path); \(c.coveredTypes) of \(c.types) training word types "
            + "(\(formatFixed(100 * Double(c.coveredTokens) / Double(max(c.tokens, 1)), 1))% of tokens) have a vector"
    }

}

// MARK: - test

struct ClassifyTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Score a classifier on labeled data: accuracy, macro-F1, per-class precision/recall, confusion matrix.",
        discussion: """
        With --top K (or multi-label data, or a --loss ova model) it scores the K most probable labels \
        (with probability at least --threshold) against each line's labels, as fastText's test and \
        test-label do: precision at K (right predictions / predictions made), recall at K (right \
        predictions / gold labels), and per label precision, recall and F1.
        """)
    @Option(help: "Model file from `lexis classify train`.") var model: String
    @Argument(help: "Labeled data (label<TAB>text or __label__x text per line).") var file: String
    @Option(help: "Score the K most probable labels per line: P@K, R@K and per-label precision/recall/F1 (fastText's test, test-label).")
    var top: Int?
    @Option(help: "With --top: only labels with at least this probability count as predicted.") var threshold: Float = 0
    @Flag(help: "Print one JSON object (accuracy and F1 as fractions between 0 and 1).") var json = false
    @Option(help: "OpenBLAS threads.") var threads = 1
    @Flag(name: .shortAndLong, help: "No warnings on stderr.") var quiet = false

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        if !(threshold >= 0 && threshold <= 1) { throw ValidationError("--threshold must be in [0, 1]") }
    }

    func run() throws {
        Matmul.setThreads(threads)
        let classifier = try ClassifierEnsemble.load(path: model)
        let data = try readLabeled(file, tokenizer: classifier.tokenizer, progress: ProgressLine(quiet: quiet))
        let examples = try classifier.encode(data)
        if top != nil || data.isMultiLabel || classifier.config.loss == .ova {
            let report = MultiLabelReport(labels: classifier.labels, gold: examples.map { $0.labels.map(Int.init) },
                                          probabilities: classifier.probabilities(examples), k: top ?? 1, threshold: threshold)
            print(json ? Self.json(report) : Self.text(report))
            return
        }
        let report = ClassificationReport(labels: classifier.labels, gold: examples.map { Int($0.label) },
                                          predicted: classifier.predict(examples))
        if json { print(Self.json(report)) } else { print(Self.text(report)) }
    }

    static func text(_ r: ClassificationReport) -> String {
        var lines = ["accuracy \(formatFixed(100 * r.accuracy, 2)) (\(r.correct)/\(r.total))",
                     "macro-F1 \(formatFixed(100 * r.macroF1, 2))", ""]
        let width = max(5, r.labels.map(\.count).max() ?? 5)
        lines.append(pad("label", width) + "  precision  recall      f1  support")
        for k in r.labels.indices {
            lines.append(pad(r.labels[k], width) + "  " + lpad(formatFixed(100 * r.precision(k), 2), 9) + "  "
                + lpad(formatFixed(100 * r.recall(k), 2), 6) + "  " + lpad(formatFixed(100 * r.f1(k), 2), 6) + "  "
                + lpad("\(r.support(k))", 7))
        }
        lines.append("")
        lines.append("confusion matrix (rows: true label, columns: predicted)")
        let cell = max(6, width)
        lines.append(pad("", width) + r.labels.map { lpad($0, cell + 1) }.joined())
        for k in r.labels.indices {
            lines.append(pad(r.labels[k], width) + r.confusion[k].map { lpad("\($0)", cell + 1) }.joined())
        }
        return lines.joined(separator: "\n")
    }

    static func text(_ r: MultiLabelReport) -> String {
        var lines = ["P@\(r.k) \(formatFixed(100 * r.precision, 2))", "R@\(r.k) \(formatFixed(100 * r.recall, 2))",
                     "examples \(r.examples)\(r.threshold > 0 ? " (threshold \(r.threshold))" : "")", ""]
        let width = max(5, r.labels.map(\.count).max() ?? 5)
        lines.append(pad("label", width) + "  precision  recall      f1  support  predicted")
        for c in r.labels.indices {
            lines.append(pad(r.labels[c], width) + "  " + lpad(formatFixed(100 * r.precision(c), 2), 9) + "  "
                + lpad(formatFixed(100 * r.recall(c), 2), 6) + "  " + lpad(formatFixed(100 * r.f1(c), 2), 6) + "  "
                + lpad("\(r.goldCounts[c])", 7) + "  " + lpad("\(r.predictedCounts[c])", 9))
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ r: MultiLabelReport) -> String {
        let classes: [JSON] = r.labels.indices.map { c in
            .object([("label", .string(r.labels[c])), ("precision", .number(r.precision(c))), ("recall", .number(r.recall(c))),
                     ("f1", .number(r.f1(c))), ("support", .integer(r.goldCounts[c])), ("predicted", .integer(r.predictedCounts[c]))])
        }
        return JSON.object([
            ("k", .integer(r.k)), ("threshold", .number(Double(r.threshold))), ("precision_at_k", .number(r.precision)),
            ("recall_at_k", .number(r.recall)), ("examples", .integer(r.examples)),
            ("labels", .array(r.labels.map { .string($0) })), ("classes", .array(classes)),
        ]).text
    }

    static func json(_ r: ClassificationReport) -> String {
        let classes: [JSON] = r.labels.indices.map { k in
            .object([("label", .string(r.labels[k])), ("precision", .number(r.precision(k))), ("recall", .number(r.recall(k))),
                     ("f1", .number(r.f1(k))), ("support", .integer(r.support(k)))])
        }
        return JSON.object([
            ("accuracy", .number(r.accuracy)), ("macro_f1", .number(r.macroF1)), ("examples", .integer(r.total)),
            ("correct", .integer(r.correct)), ("labels", .array(r.labels.map { .string($0) })), ("classes", .array(classes)),
            ("confusion", .array(r.confusion.map { .array($0.map { .integer($0) }) })),
        ]).text
    }
}

// MARK: - predict

struct ClassifyPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Print the most likely label and its probability for every line of text.",
        discussion: """
        Input: plain text, one sentence per line (no labels). Output: one line per input line, \
        label<TAB>probability (with --top K, K such pairs separated by tabs, most likely first; with \
        --threshold P only labels of probability P or more, as fastText's predict -k K -th P). A line with \
        no words (or no label above the threshold) gives an empty output line, so outputs stay aligned with inputs.
        """)
    @Option(help: "Model file from `lexis classify train`.") var model: String
    @Argument(help: "Text file, or - for standard input.") var file: String = "-"
    @Option(help: "Print the K most likely labels.") var top = 1
    @Option(help: "Print only labels with at least this probability.") var threshold: Float = 0
    @Option(help: "OpenBLAS threads.") var threads = 1
    @Flag(name: .shortAndLong, help: "No warnings on stderr.") var quiet = false

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1") }
        if !(threshold >= 0 && threshold <= 1) { throw ValidationError("--threshold must be in [0, 1]") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        Matmul.setThreads(threads)
        let classifier = try ClassifierEnsemble.load(path: model)
        let examples = try classifier.encodeLines(of: Corpus(paths: [file]))
        let nonEmpty = examples.indices.filter { !examples[$0].ids.isEmpty }
        let probabilities = classifier.probabilities(nonEmpty.map { examples[$0] })
        var byLine = [[Float]?](repeating: nil, count: examples.count)
        for (i, line) in nonEmpty.enumerated() { byLine[line] = probabilities[i] }
        let k = min(top, classifier.labels.count)
        var out = ""
        for p in byLine {
            if let p {
                let ranked = MultiLabelReport.top(p, k: k, threshold: threshold)
                out += ranked.map { "\(classifier.labels[$0])\t\(formatFixed(Double(p[$0]), 4))" }.joined(separator: "\t")
            }
            out += "\n"
            if out.utf8.count > 1 << 16 { print(out, terminator: ""); out = "" }
        }
        print(out, terminator: "")
        let empty = examples.count - nonEmpty.count
        if empty > 0 && !quiet { printError("warning: \(empty) line(s) had no words; their output lines are empty") }
    }
}

// MARK: - quantize

struct ClassifyQuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Write a smaller copy of a classifier: product-quantized embeddings and 8-bit weights, 6-7 times smaller.",
        discussion: """
        Every weight matrix (recurrent and convolution weights, the output layer, a knn model's \
        sentence vectors) is stored as 8-bit integers with one Float32 scale per row (its largest \
        magnitude / 127); biases stay 32-bit. Rows of zeros are left out (as every model file does). \
        With --method pq (the default) the big embedding tables (1,024 rows or more) are product \
        quantized, as in fastText's .ftz: each pair of columns becomes the nearest of 256 centroids \
        (k-means over the rows, 25 rounds as fastText's), one byte per two floats; a bow model's word \
        rows and bigram rows get codebooks of their own. --method int8 stores the embeddings in 8 bits \
        too: closer to the original, but under 4 times smaller. The copy loads and predicts like any \
        model file. With --test, prints the accuracy of both on that data (BENCHMARKS.md has both \
        methods on TREC, SST-2 and MR).
        """)
    @Option(help: "Model file from `lexis classify train`.") var model: String
    @Option(name: [.short, .customLong("output")], help: "The quantized model file to write.") var output: String
    @Option(help: "Labeled data to score both models on.") var test: String?
    @Option(help: "pq (product-quantized embedding tables, 8-bit weights) or int8 (8-bit weights everywhere).")
    var method: ClassifierQuantization = .pq
    @Option(help: "OpenBLAS threads.") var threads = 1
    @Flag(name: .shortAndLong, help: "No warnings on stderr.") var quiet = false

    func validate() throws {
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        try FileIO.checkWritable(output)
        Matmul.setThreads(threads)
        let original = try ClassifierEnsemble.load(path: model)
        try original.save(to: output, quantization: method == .none ? .int8 : method)
        let quantized = try ClassifierEnsemble.load(path: output)
        let before = try FileIO.readAll(model).count, after = try FileIO.readAll(output).count
        print("size \(formatFixed(Double(before) / 1e6, 2)) MB -> \(formatFixed(Double(after) / 1e6, 2)) MB "
              + "(\(formatFixed(Double(before) / Double(max(after, 1)), 2))x smaller)")
        if let test {
            let data = try readLabeled(test, tokenizer: original.tokenizer, progress: ProgressLine(quiet: quiet))
            let examples = try original.encode(data)
            let a = original.accuracy(on: examples), b = quantized.accuracy(on: examples)
            print("accuracy \(formatFixed(100 * a, 2)) -> \(formatFixed(100 * b, 2)) (\(b >= a ? "+" : "")\(formatFixed(100 * (b - a), 2)) points, \(examples.count) examples)")
        }
    }
}
