// The trainer's settings and the optimizer's running state beside a language-model checkpoint
// (`<checkpoint>.trainer`), so that `--resume` continues with the same learning rate, schedule
// and optimizer, and with Adam's moments (or SGD momentum) instead of starting them again.
//
// The shared framing (ModelFile): HEAD, UTF-8 "key=value" lines (optimizer, epoch, steps,
// buffers, parameters, then the training settings), and PARM, the buffers one after another.
// Version 1 (before the framing) is refused with a message: only the optimizer moments are lost.
//
// The model checkpoint and this file are two renames: the epoch in the header tells whether they
// belong together.
import LexisTensor
import LexisText

/// The trainer's settings and the optimizer's running state, saved beside a language-model
/// checkpoint so that a resumed run continues with the same schedule and optimizer moments.
///
/// The checkpoint and this file are written one after the other; ``epoch`` tells whether they
/// belong together.
public struct TrainerStateFile: Sendable {
    /// The first 8 bytes of a trainer state file.
    public static var fileMagic: [UInt8] { ModelFile.trainerState.magic }
    /// The format version this Lexis writes and reads.
    public static var fileVersion: UInt32 { ModelFile.trainerState.version }

    /// The run's settings (optimizer, learning rate, schedule, batch, ...).
    public var options: LMTrainingOptions
    /// The optimizer the state belongs to.
    public var optimizer: LMOptimizerKind { options.optimizer }
    /// Epochs completed when the state was saved.
    public var epoch: Int
    /// The optimizer's step count and buffers.
    public var state: OptimizerState

    /// Creates a state file's contents.
    public init(options: LMTrainingOptions, epoch: Int, state: OptimizerState) {
        self.options = options; self.epoch = epoch; self.state = state
    }

    /// Where the trainer state of a checkpoint lives.
    ///
    /// `<checkpoint>.trainer`.
    public static func path(forCheckpoint checkpoint: String) -> String { checkpoint + ".trainer" }

    /// Writes the file atomically, with a checksum.
    ///
    /// - Throws: `LexisError/cannotWrite(path:reason:)`.
    public func save(to path: String) throws(LexisError) {
        let parameters = state.buffers.first?.count ?? 0
        let o = options
        let header = "optimizer=\(o.optimizer.rawValue)\nepoch=\(epoch)\nsteps=\(state.steps)\n"
                         + "buffers=\(state.buffers.count)\nparameters=\(parameters)\n"
                         + "schedule=\(o.schedule.rawValue)\nlr=\(o.learningRate)\ndecay=\(o.decay)\ndecay_after=\(o.decayAfter)\n"
                         + "clip=\(o.clip)\nweight_decay=\(o.weightDecay)\nbatch=\(o.batch)\nbptt=\(o.steps)\n"
                         + "eval_batch=\(o.evalBatch)\nepochs=\(o.epochs)\nseed=\(o.seed)\n"
        let values = state.buffers.flatMap { $0 }
        try values.withUnsafeBufferPointer { (p) throws(LexisError) in
            try ModelFile.write(to: path, format: ModelFile.trainerState, header: header, vocabulary: nil, parameters: [p])
        }
    }

    /// Reads a file written by ``save(to:)``. ``LMTrainingOptions/maxBatches`` is not saved and comes
    /// back nil.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for a file that is not a trainer state, is truncated, fails its checksum or has an
    ///   inconsistent header.
    public static func load(path: String) throws(LexisError) -> TrainerStateFile {
        var file = try ModelFile.read(path: path, format: ModelFile.trainerState, hasLabels: false, specialTokens: [],
                                      legacyReadable: false)
        func bad(_ problem: String) -> LexisError { file.bad(problem) }
        let fields = file.fields
        let count = file.parameterCount
        guard let optimizer = fields["optimizer"].flatMap(LMOptimizerKind.init(rawValue:)),
              let epoch = fields["epoch"].flatMap({ Int($0) }), let steps = fields["steps"].flatMap({ Int($0) }),
              let buffers = fields["buffers"].flatMap({ Int($0) }), let parameters = fields["parameters"].flatMap({ Int($0) }),
              buffers >= 0, buffers <= 2, parameters >= 0, buffers * parameters == count else {
            throw bad("inconsistent trainer state header")
        }
        var options = LMTrainingOptions()
        options.optimizer = optimizer
        func number(_ key: String) throws(LexisError) -> Double {
            guard let v = fields[key].flatMap({ Double($0) }) else { throw bad("header field '\(key)' is missing or not a number") }
            return v
        }
        guard let schedule = fields["schedule"].flatMap(LMScheduleKind.init(rawValue:)),
              let seed = fields["seed"].flatMap({ UInt64($0) }) else { throw bad("inconsistent trainer state header") }
        options.schedule = schedule
        options.seed = seed
        options.learningRate = try number("lr")
        options.decay = try number("decay")
        options.decayAfter = Int(try number("decay_after"))
        options.clip = try number("clip")
        options.weightDecay = Float(try number("weight_decay"))
        options.batch = Int(try number("batch"))
        options.steps = Int(try number("bptt"))
        options.evalBatch = Int(try number("eval_batch"))
        options.epochs = Int(try number("epochs"))
        guard options.batch >= 1, options.steps >= 1, options.evalBatch >= 1 else { throw bad("inconsistent trainer state header") }
        let values = try file.parameters.floats(count)
        let state = OptimizerState(steps: steps, buffers: (0..<buffers).map { Array(values[$0 * parameters..<($0 + 1) * parameters]) })
        return TrainerStateFile(options: options, epoch: epoch, state: state)
    }
}
