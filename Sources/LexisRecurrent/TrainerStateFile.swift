// The trainer's settings and the optimizer's running state beside a language-model checkpoint
// (`<checkpoint>.trainer`), so that `--resume` continues with the same learning rate, schedule
// and optimizer, and with Adam's moments (or SGD momentum) instead of starting them again.
//
//   magic "LEXISTRN" | version UInt32 LE | header: UTF-8 "key=value" lines (optimizer, epoch,
//   steps, buffers, parameters, then the training settings) | value count UInt64 | the buffers one
//   after another as Float32 LE | checksum UInt64 (FNV-1a, as in model files)
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
    public static let fileMagic: [UInt8] = Array("LEXISTRN".utf8)
    /// The format version this Lexis writes and reads.
    public static let fileVersion: UInt32 = 1

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
        var body: [UInt8] = []
        ModelFile.append("optimizer=\(o.optimizer.rawValue)\nepoch=\(epoch)\nsteps=\(state.steps)\n"
                         + "buffers=\(state.buffers.count)\nparameters=\(parameters)\n"
                         + "schedule=\(o.schedule.rawValue)\nlr=\(o.learningRate)\ndecay=\(o.decay)\ndecay_after=\(o.decayAfter)\n"
                         + "clip=\(o.clip)\nweight_decay=\(o.weightDecay)\nbatch=\(o.batch)\nbptt=\(o.steps)\n"
                         + "eval_batch=\(o.evalBatch)\nepochs=\(o.epochs)\nseed=\(o.seed)\n", to: &body)
        let values = state.buffers.flatMap { $0 }
        try values.withUnsafeBufferPointer { (p) throws(LexisError) in
            try ModelFile.write(to: path, magic: Self.fileMagic, version: Self.fileVersion, body: body, blocks: [p])
        }
    }

    /// Reads a file written by ``save(to:)``. ``LMTrainingOptions/maxBatches`` is not saved and comes
    /// back nil.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for a file that is not a trainer state, is truncated, fails its checksum or has an
    ///   inconsistent header.
    public static func load(path: String) throws(LexisError) -> TrainerStateFile {
        let bytes = try FileIO.readAll(path)
        let damaged = "Delete it to resume with the command line's settings and fresh optimizer moments"
        func bad(_ problem: String, _ fix: String = damaged)
            -> LexisError { .malformed(path: path, line: nil, problem: problem, fix: fix) }
        var (reader, bodyEnd) = try ModelFile.open(bytes, magic: fileMagic, version: fileVersion, kind: "trainer state",
                                                   noun: "trainer state", foreignFix: damaged, damagedFix: damaged, bad: bad)
        guard let headerLength = reader.uint32(), let headerBytes = reader.bytes(Int(headerLength), limit: bodyEnd) else {
            throw bad("truncated trainer state")
        }
        let count = try ModelFile.parameterCount(&reader, bytes: bytes, bodyEnd: bodyEnd, noun: "trainer state",
                                                 damagedFix: damaged, bad: bad)
        let fields = ModelFile.fields(String(decoding: headerBytes, as: UTF8.self))
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
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { p in
            if let base = p.baseAddress { ModelFile.readValues(bytes, at: reader.offset, into: base, count: count) }
        }
        let state = OptimizerState(steps: steps, buffers: (0..<buffers).map { Array(values[$0 * parameters..<($0 + 1) * parameters]) })
        return TrainerStateFile(options: options, epoch: epoch, state: state)
    }
}
