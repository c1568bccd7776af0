// Checkpoints: everything a run needs to continue exactly where it stopped at an epoch boundary
// (settings, vocabulary, both matrices, the learning-rate position and every thread's random
// state). A single-thread run resumed from a checkpoint ends bit-identical to an uninterrupted one.
//
// The file uses the framing every Lexis binary file shares (LexisText's FramedFile): sections
// HEAD (UTF-8 `key: value` lines: settings, tokenizer, progress, loss history), RAND (per thread
// 4 x UInt64 random state), VOCB (the vocabulary, `Vocabulary.write(to:)`), INPT and OUTP (the
// input and output matrices, V x D Float32, unpadded). Version 1 (before the framing) is refused
// with a message naming it.
import LexisText
import LexisVocab

extension Word2VecTrainer {
    static let checkpointFormat = FramedFileFormat(
        magic: "LEXISCKP", version: 2, firstFramedVersion: 2, name: "checkpoint",
        damagedFix: "The file is damaged or not a checkpoint: start training again or use an earlier checkpoint")

    /// Writes, atomically, everything needed to continue this run where it stands (at an epoch
    /// boundary): settings, vocabulary, both matrices, the learning-rate position and every thread's
    /// random state.
    ///
    /// A single-thread run resumed with ``resume(from:phrases:)`` ends bit-identical to an uninterrupted one.
    ///
    /// - Throws: `LexisError/cannotWrite(path:reason:)`.
    public func saveCheckpoint(to path: String) throws(LexisError) {
        if let releasedInputError { throw releasedInputError }
        let file = try FramedFileWriter(path: path, format: Self.checkpointFormat)
        var header = ByteWriter()
        header.append(bytes: "config: \(config.settingsLine)\n".utf8)
        header.append(bytes: "epochs-done: \(epochsDone)\n".utf8)
        header.append(bytes: "words-done: \(wordsDone)\n".utf8)
        header.append(bytes: "losses: \(epochLosses.map { "\($0.bitPattern)" }.joined(separator: ","))\n".utf8)
        if let roundTokens { header.append(bytes: "round-tokens: \(roundTokens)\n".utf8) }
        try file.section("HEAD", header)
        var random = ByteWriter()
        for state in randomStates {
            for v in [state.state.0, state.state.1, state.state.2, state.state.3] { random.append(v) }
        }
        try file.section("RAND", random)
        var words = ByteWriter()
        vocabulary.write(to: &words)
        try file.section("VOCB", words)
        for (tag, matrix) in [("INPT", input), ("OUTP", output)] {
            let values = matrix.unpadded()
            try values.withUnsafeBufferPointer { (p) throws(LexisError) in try file.section(tag, floats: [p]) }
        }
        try file.commit()
    }

    /// A trainer in the state the checkpoint recorded, ready to `train` the remaining epochs.
    ///
    /// The trainer keeps the checkpoint's settings, thread count included. A checkpoint trained
    /// with phrases needs its phrase table (`phrases`) to read the corpus the same way.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for a file that is not a Lexis checkpoint, has another format version, or is truncated or
    ///   damaged.
    public static func resume(from path: String, phrases: PhraseTable? = nil) throws(LexisError) -> Word2VecTrainer {
        let file = try FramedFile(path: path, format: checkpointFormat)
        guard !file.isLegacy else {
            throw .malformed(path: path, line: nil,
                             problem: "checkpoint version \(file.version) was written by an earlier Lexis (this one reads version \(checkpointFormat.version))",
                             fix: "Resume with the Lexis version that wrote it, or start training again")
        }
        var head = try file.section("HEAD")
        let header = String(decoding: try head.take(head.remaining), as: UTF8.self)
        var fields: [String: String] = [:]
        for line in header.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...].dropFirst())
        }
        func field(_ key: String) throws(LexisError) -> String {
            guard let value = fields[key] else { throw head.damaged("the checkpoint header has no '\(key)'") }
            return value
        }
        let config: Word2VecConfig
        do { config = try Word2VecConfig(settingsLine: try field("config")) } catch {
            throw head.damaged("unreadable settings (\(error))")
        }
        guard let epochsDone = Int(try field("epochs-done")), let wordsDone = Int(try field("words-done")),
              epochsDone >= 0, wordsDone >= 0 else { throw head.damaged("bad numbers in the checkpoint header") }
        let losses = try field("losses").split(separator: ",").map { (text) throws(LexisError) -> Double in
            guard let bits = UInt64(text) else { throw head.damaged("bad loss history") }
            return Double(bitPattern: bits)
        }
        var random = try file.section("RAND")
        guard random.remaining == 32 * config.randomStreams else {
            throw random.damaged("random states for \(random.remaining / 32) threads, not \(config.randomStreams)")
        }
        var states: [RandomGenerator] = []
        for _ in 0..<config.randomStreams {
            let a: UInt64 = try random.integer(), b: UInt64 = try random.integer()
            let c: UInt64 = try random.integer(), d: UInt64 = try random.integer()
            states.append(RandomGenerator(state: (a, b, c, d)))
        }
        var words = try file.section("VOCB")
        var vocabulary = try Vocabulary(reading: &words)
        guard !vocabulary.isEmpty else { throw words.damaged("the checkpoint's vocabulary is empty") }
        if let phrases {
            vocabulary = vocabulary.replacingTokenizer(try vocabulary.tokenizer.attaching(phrases: phrases))
        } else if let recorded = vocabulary.tokenizer.phrases {
            throw .invalidArgument("\(path) was trained with a phrase table (\(recorded) phrases:fingerprint): pass it with --phrases")
        }
        let trainer = try Word2VecTrainer(vocabulary: vocabulary, config: config)
        for (tag, matrix) in [("INPT", trainer.input), ("OUTP", trainer.output)] {
            let floats = matrix.rows * config.dimension   // input rows: words, then n-gram buckets
            var section = try file.section(tag)
            guard section.remaining == 4 * floats else { throw section.damaged("the \(tag) matrix has the wrong size") }
            let values = try section.floats(floats)
            values.withUnsafeBufferPointer { matrix.load($0) }
        }
        trainer.epochsDone = epochsDone
        trainer.wordsDone = wordsDone
        trainer.randomStates = states
        trainer.epochLosses = losses
        if let text = fields["round-tokens"] {
            guard let tokens = Int(text), tokens >= 1 else { throw head.damaged("bad round-tokens in the checkpoint header") }
            trainer.roundTokens = tokens
        }
        return trainer
    }
}
