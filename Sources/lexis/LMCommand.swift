// `lexis lm train|eval|generate`: recurrent language models. Thin: parses flags, prints progress
// and results, calls LexisRecurrent.
import ArgumentParser
import Lexis
#if canImport(Glibc)
import Glibc
#endif

struct LMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lm",
        abstract: "Train, evaluate and sample word-level RNN/LSTM language models.",
        subcommands: [LMTrainCommand.self, LMEvalCommand.self, LMGenerateCommand.self])
}

extension CellKind: ExpressibleByArgument {}
extension LMOptimizerKind: ExpressibleByArgument {}
extension LMScheduleKind: ExpressibleByArgument {}

enum LMTokenizerChoice: String, ExpressibleByArgument, CaseIterable {
    case whitespace, icu
    var options: TokenizerOptions { self == .whitespace ? .pretokenized : TokenizerOptions() }
}

// MARK: - train

struct LMTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a language model with truncated backpropagation through time.",
        discussion: """
        The training text is split into --batch parallel streams (the standard PTB setup); every line \
        ends with <eos>, words outside the training vocabulary become <unk>. Defaults are Zaremba et al.'s \
        small PTB configuration (test perplexity about 115 after 13 epochs).

        --lr convention: the cross-entropy is SUMMED over the --bptt steps of a segment and AVERAGED over \
        the batch (Zaremba et al.), so --lr 1 here equals lr 20 on a per-token mean loss at --bptt 20 \
        (PyTorch word_language_model style). A plain RNN (--cell rnn) diverges at --lr 1; use about 0.3.
        """)

    @Option(help: "Training text (one sentence per line, tokens separated by spaces by default).") var train: String
    @Option(help: "Validation text: perplexity after every epoch; the best epoch is kept.") var valid: String?
    @Option(help: "Test text: perplexity of the best model at the end.") var test: String?
    @Option(name: [.short, .customLong("output")], help: "Model file to write (the best epoch on validation).")
    var output: String

    @Option(help: "Recurrent cell: lstm or rnn.") var cell: CellKind = .lstm
    @Option(help: "Stacked recurrent layers.") var layers = 2
    @Option(help: "Hidden units per layer.") var hidden = 200
    @Option(help: "Embedding width (default: --hidden, or the dimension of --embeddings).") var embeddingSize: Int?
    @Option(help: "Truncated-BPTT segment length (time steps).") var bptt = 20
    @Option(help: "Parallel streams per batch.") var batch = 20
    @Option(help: "Parallel streams for validation and test perplexity.") var evalBatch = 10
    @Option(help: "Epochs.") var epochs = 13
    @Option(help: "SGD learning rate on the loss summed over --bptt steps and averaged over the batch (see above).")
    var lr = 1.0
    @Option(help: "Optimizer: sgd, adam or adamw.") var optimizer: LMOptimizerKind = .sgd
    @Option(help: "Learning-rate schedule: step (decay every epoch after --decay-after) or plateau (decay when validation perplexity does not improve).")
    var schedule: LMScheduleKind = .step
    @Option(help: "Learning-rate factor per decay.") var decay = 0.5
    @Option(help: "Epochs at the full learning rate before the step decay starts.") var decayAfter = 4
    @Option(help: "Dropout on non-recurrent connections (0 disables).") var dropout: Float = 0
    @Option(help: "Clip the gradient's global norm to this value (0 disables).") var clip = 5.0
    @Option(help: "L2 weight decay added to the gradient.") var weightDecay: Float = 0
    @Option(help: "Weights start uniform in [-s, s].") var initScale: Float = 0.1
    @Option(help: "Initial LSTM forget-gate bias.") var forgetBias: Float = 1
    @Flag(help: "Tie input and output embeddings (needs embedding size = --hidden).") var tied = false
    @Option(help: "Word2vec text or binary file to initialize the embedding (unknown words random).")
    var embeddings: String?
    @Flag(help: "Do not train the embedding (with --embeddings).") var freezeEmbeddings = false
    @Option(help: "Words seen fewer times become <unk>.") var minCount = 1
    @Option(help: "Tokenizer: whitespace (pre-tokenized text such as PTB) or icu.") var tokenizer: LMTokenizerChoice = .whitespace
    @Option(help: "Random seed (initialization, dropout).") var seed: UInt64 = 1
    @Option(help: "OpenBLAS threads.") var threads = 2
    @Option(help: "Continue from a checkpoint (written as <output>.checkpoint after every epoch); the architecture, vocabulary, tokenizer, training settings (all but --epochs) and optimizer state come from the checkpoint.") var resume: String?
    @Option(help: "Write an SVG plot of train/validation perplexity per epoch.") var plot: String?
    @Option(help: "Stop every epoch after this many batches (for benchmarks).") var maxBatches: Int?
    @Flag(name: .shortAndLong, help: "No progress output on stderr.") var quiet = false

    /// The training settings these flags ask for; `LMTrainingOptions.validate()` owns their checks.
    var trainingOptions: LMTrainingOptions {
        var options = LMTrainingOptions()
        options.batch = batch; options.steps = bptt; options.evalBatch = evalBatch
        options.epochs = epochs; options.learningRate = lr; options.decay = decay
        options.decayAfter = decayAfter; options.clip = clip; options.weightDecay = weightDecay
        options.seed = seed
        options.maxBatches = maxBatches
        options.optimizer = optimizer; options.schedule = schedule
        return options
    }

    /// The model these flags ask for; `LanguageModelConfig.validate()` owns its checks.
    func modelConfig(vocabularySize: Int, embeddingDimension: Int? = nil) -> LanguageModelConfig {
        LanguageModelConfig(cell: cell, layers: layers, hidden: hidden,
                            embedding: embeddingSize ?? embeddingDimension ?? hidden,
                            vocabularySize: vocabularySize, tied: tied, dropout: dropout, frozenEmbedding: freezeEmbeddings)
    }

    func validate() throws {
        do {
            try trainingOptions.validate()
            // The vocabulary size is known only after its pass; 2 stands for any valid one here.
            try modelConfig(vocabularySize: 2).validate()
        } catch { throw ValidationError(error.description) }
        // What only the command line has.
        if !(initScale > 0) { throw ValidationError("--init-scale must be positive") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if minCount < 1 { throw ValidationError("--min-count must be at least 1") }
        if freezeEmbeddings && embeddings == nil { throw ValidationError("--freeze-embeddings needs --embeddings") }
    }

    func run() throws {
        // Before training, not after it: the model, its checkpoint and the plot.
        for path in [output, output + ".checkpoint"] + (plot.map { [$0] } ?? []) { try FileIO.checkWritable(path) }
        Matmul.setThreads(threads)
        let progress = ProgressLine(quiet: quiet)
        let model: RecurrentLanguageModel
        if let resume {
            model = try RecurrentLanguageModel.load(path: resume)
            printError("resuming from \(resume) after epoch \(model.training.epoch)")
        } else {
            let vocabulary = try RecurrentLanguageModel.buildVocabulary(path: train, tokenizer: tokenizer.options, minCount: minCount)
            let vectors = try embeddings.map { try WordVectors.load(path: $0) }
            if let vectors, tied, vectors.dimension != hidden {
                throw LexisError.invalidArgument("--tied needs the vectors in \(embeddings!) to have dimension --hidden (\(hidden)), not \(vectors.dimension)")
            }
            let config = modelConfig(vocabularySize: vocabulary.count, embeddingDimension: vectors?.dimension)
            model = try RecurrentLanguageModel(config: config, vocabulary: vocabulary)
            model.initialize(seed: seed, scale: initScale, forgetBias: forgetBias)
            if let vectors {
                let found = try model.loadEmbeddings(vectors)
                progress.finish("embeddings: \(found) of \(vocabulary.count) words found in \(embeddings!)")
            }
        }
        let trainIDs = try encode(train, with: model.vocabulary, progress: progress)
        let validIDs = try valid.map { try encode($0, with: model.vocabulary, progress: progress) }
        let testIDs = try test.map { try encode($0, with: model.vocabulary, progress: progress) }
        let c = model.config
        progress.finish("\(c.cell.rawValue) \(c.layers)x\(c.hidden), embedding \(c.embedding), vocabulary \(c.vocabularySize), "
            + "\(formatCount(Double(model.parameterCount))) parameters, \(formatCount(Double(trainIDs.count))) training tokens, "
            + ComputeSummary.line)

        var trainOptions = trainingOptions
        var saved: TrainerStateFile?
        if let resume {
            trainOptions.seed = model.training.seed
            // The run's own settings (all but --epochs and --max-batches) and optimizer moments.
            if let (options, state) = try LMTrainingOptions.resumed(checkpoint: resume, model: model, epochs: epochs,
                                                                    maxBatches: maxBatches) {
                trainOptions = options
                saved = state
                printError("training settings from the checkpoint: --optimizer \(options.optimizer.rawValue) "
                    + "--lr \(options.learningRate) --schedule \(options.schedule.rawValue) --decay \(options.decay) "
                    + "--decay-after \(options.decayAfter) --clip \(options.clip) --batch \(options.batch) --bptt \(options.steps)")
            } else {
                printError("warning: \(TrainerStateFile.path(forCheckpoint: resume)) is missing: training continues with "
                    + "this command's settings and fresh optimizer state")
            }
        }
        let trainer = try LMTrainer(model: model, options: trainOptions, train: trainIDs, valid: validIDs)
        if let saved, !trainer.restoreOptimizer(saved) {
            printError("warning: the trainer state beside \(resume!) is from epoch \(saved.epoch), not \(model.training.epoch): "
                + "the optimizer starts afresh")
        }
        trainer.onProgress = { p in
            progress.update("epoch \(p.epoch) \(p.segment)/\(p.segments) lr \(formatFixed(p.learningRate, 4)) "
                + "ppl \(formatFixed(p.perplexity, 2)) loss \(formatFixed(log(p.perplexity), 3)) "
                + "\(formatCount(p.tokensPerSecond)) tokens/s")
        }
        let plotPath = plot
        trainer.onEpoch = { r in
            progress.clear()
            print("epoch \(r.epoch)  lr \(formatFixed(r.learningRate, 5))  train ppl \(formatFixed(r.trainPerplexity, 2))  "
                + "valid ppl \(formatFixed(r.validPerplexity, 2))  \(formatCount(trainer.lastTokensPerSecond)) tokens/s  "
                + "\(formatFixed(r.seconds, 1)) s")
            fflush(nil)   // all streams: per-epoch lines reach a log file as they happen
            if let plotPath {
                do {
                    let writer = try AtomicFileWriter(path: plotPath)
                    try writer.write(PerplexityPlot.svg(model.training.history))
                    try writer.commit()
                } catch { printError("warning: \(error)") }
            }
        }
        try trainer.run(outputPath: output, checkpointPath: output + ".checkpoint")
        print("train tokens/s \(formatFixed(trainer.lastTokensPerSecond, 0))")
        if model.training.bestValidPerplexity.isFinite && valid != nil {
            print("best valid ppl \(formatFixed(model.training.bestValidPerplexity, 2))")
        }
        if let testIDs {
            let ppl = model.evaluate(tokens: testIDs, batch: evalBatch, steps: bptt)
            print("test ppl \(formatFixed(ppl.value, 2)) (\(ppl.tokens) tokens)")
        }
        progress.finish("model written to \(output)")
    }
}

// MARK: - eval

struct LMEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Print a model's perplexity on a text file.")
    @Option(help: "Model file from `lexis lm train`.") var model: String
    @Argument(help: "Text file to score (tokenized as in training).") var file: String
    @Option(help: "Parallel streams.") var batch = 10
    @Option(help: "Segment length (state is carried across segments).") var bptt = 35
    @Option(help: "OpenBLAS threads.") var threads = 2

    func validate() throws {
        if batch < 1 || bptt < 1 || threads < 1 { throw ValidationError("--batch, --bptt and --threads must be at least 1") }
    }

    func run() throws {
        Matmul.setThreads(threads)
        let lm = try RecurrentLanguageModel.load(path: model)
        let ids = try encode(file, with: lm.vocabulary, progress: ProgressLine(quiet: false))
        guard ids.count >= 2 else { throw LexisError.emptyVocabulary("'\(file)' has no text to score") }
        let ppl = lm.evaluate(tokens: ids, batch: batch, steps: bptt)
        print("perplexity \(formatFixed(ppl.value, 2)) (\(ppl.tokens) tokens, loss \(formatFixed(ppl.perLoss, 4)) nats/token)")
    }
}

// MARK: - generate

struct LMGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Sample text from a model.")
    @Option(help: "Model file from `lexis lm train`.") var model: String
    @Option(help: "Text to continue (default: start of a sentence).") var prompt: String?
    @Option(help: "Words to generate (<eos> prints a line break and counts as a word).") var words = 100
    @Option(help: "Softmax temperature; 0 always picks the most likely word.") var temperature = 0.8
    @Option(help: "Random seed; the same seed gives the same text.") var seed: UInt64 = 1

    func validate() throws {
        if words < 0 { throw ValidationError("--words must be 0 or more") }
        if !(temperature >= 0) { throw ValidationError("--temperature must be 0 or more") }
    }

    func run() throws {
        Matmul.setThreads(1)
        let lm = try RecurrentLanguageModel.load(path: model)
        let promptIDs = try prompt.map { try lm.vocabulary.encode(text: $0) } ?? []
        let ids = lm.generate(prompt: promptIDs, count: words, temperature: temperature, seed: seed)
        var text = lm.text(for: ids)
        if let prompt { text = prompt + (text.hasPrefix("\n") ? "" : " ") + text }
        print(text)
    }
}

/// The token ids of a text file for a language model; invalid UTF-8 is repaired and reported.
func encode(_ path: String, with vocabulary: Vocabulary, progress: ProgressLine) throws -> [Int32] {
    let encoded = try vocabulary.encode(Corpus(paths: [path]))
    progress.warnInvalidBytes(encoded.invalidBytes, in: path)
    return encoded.ids
}
