// Checkpoints: everything a run needs to continue exactly where it stopped at an epoch boundary
// (settings, vocabulary, both matrices, the learning-rate position and every thread's random
// state). A single-thread run resumed from a checkpoint ends bit-identical to an uninterrupted one.
//
// Layout (little-endian): "LEXISCKP", UInt32 version, UInt32 header length, header (UTF-8
// `key: value` lines), per thread 4 x UInt64 random state, per word UInt32 length + UTF-8 bytes +
// Int64 count, the input then the output matrix (V x D Float32, unpadded), "DONE".
import LexisText
import LexisVocab

extension Word2VecTrainer {
    static let checkpointMagic = Array("LEXISCKP".utf8)
    static let checkpointEnd = Array("DONE".utf8)
    static let checkpointVersion: UInt32 = 1

    /// Writes, atomically, everything needed to continue this run where it stands (at an epoch
    /// boundary): settings, vocabulary, both matrices, the learning-rate position and every thread's
    /// random state.
    ///
    /// A single-thread run resumed with ``resume(from:)`` ends bit-identical to an uninterrupted one.
    ///
    /// - Throws: `LexisError/cannotWrite(path:reason:)`.
    public func saveCheckpoint(to path: String) throws(LexisError) {
        let writer = try AtomicFileWriter(path: path)
        var header = "config: \(config.settingsLine)\n"
        header += "tokenizer: \(vocabulary.tokenizer)\n"
        header += "epochs-done: \(epochsDone)\n"
        header += "words-done: \(wordsDone)\n"
        header += "words: \(vocabulary.count)\n"
        header += "losses: \(epochLosses.map { "\($0.bitPattern)" }.joined(separator: ","))\n"
        var bytes = Self.checkpointMagic
        append(Self.checkpointVersion, to: &bytes)
        append(UInt32(header.utf8.count), to: &bytes)
        bytes += Array(header.utf8)
        for state in randomStates {
            for v in [state.state.0, state.state.1, state.state.2, state.state.3] { append(v, to: &bytes) }
        }
        for (token, count) in zip(vocabulary.tokens, vocabulary.counts) {
            append(UInt32(token.utf8.count), to: &bytes)
            bytes += Array(token.utf8)
            append(UInt64(bitPattern: count), to: &bytes)
        }
        try writer.write(bytes)
        for matrix in [input, output] {
            let values = matrix.unpadded()
            try writer.write(values.withUnsafeBytes { Array($0) })
        }
        try writer.write(Self.checkpointEnd)
        try writer.commit()
    }

    /// A trainer in the state the checkpoint recorded, ready to `train` the remaining epochs.
    ///
    /// The trainer keeps the checkpoint's settings, thread count included.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for a file that is not a Lexis checkpoint, has another format version, or is truncated or
    ///   damaged.
    public static func resume(from path: String) throws(LexisError) -> Word2VecTrainer {
        let bytes = try FileIO.readAll(path)
        var reader = ByteReader(bytes: bytes, path: path)
        guard Array(try reader.take(8)) == checkpointMagic else {
            throw .malformed(path: path, line: nil, problem: "not a Lexis checkpoint",
                             fix: "Give a file written by `lexis train --checkpoint`")
        }
        let version: UInt32 = try reader.value()
        guard version == checkpointVersion else {
            throw .malformed(path: path, line: nil, problem: "checkpoint version \(version) is not supported (this Lexis reads \(checkpointVersion))",
                             fix: "Resume with the Lexis version that wrote it")
        }
        let headerLength: UInt32 = try reader.value()
        let header = String(decoding: try reader.take(Int(headerLength)), as: UTF8.self)
        var fields: [String: String] = [:]
        for line in header.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...].dropFirst())
        }
        func field(_ key: String) throws(LexisError) -> String {
            guard let value = fields[key] else {
                throw .malformed(path: path, line: nil, problem: "the checkpoint header has no '\(key)'", fix: "The file is damaged; start training again")
            }
            return value
        }
        let config: Word2VecConfig
        let tokenizer: TokenizerOptions
        do {
            config = try Word2VecConfig(settingsLine: try field("config"))
            tokenizer = try TokenizerOptions(settings: try field("tokenizer"))
        } catch {
            throw .malformed(path: path, line: nil, problem: "unreadable settings (\(error))", fix: "The file is damaged; start training again")
        }
        guard let epochsDone = Int(try field("epochs-done")), let wordsDone = Int(try field("words-done")),
              let count = Int(try field("words")), count > 0, epochsDone >= 0, wordsDone >= 0 else {
            throw .malformed(path: path, line: nil, problem: "bad numbers in the checkpoint header", fix: "The file is damaged; start training again")
        }
        let losses = try field("losses").split(separator: ",").map { (text) throws(LexisError) -> Double in
            guard let bits = UInt64(text) else {
                throw .malformed(path: path, line: nil, problem: "bad loss history", fix: "The file is damaged; start training again")
            }
            return Double(bitPattern: bits)
        }
        var states: [RandomGenerator] = []
        for _ in 0..<config.threads {
            let a: UInt64 = try reader.value(), b: UInt64 = try reader.value()
            let c: UInt64 = try reader.value(), d: UInt64 = try reader.value()
            states.append(RandomGenerator(state: (a, b, c, d)))
        }
        var tokens: [String] = [], counts: [Int64] = []
        tokens.reserveCapacity(count)
        counts.reserveCapacity(count)
        for _ in 0..<count {
            let length: UInt32 = try reader.value()
            tokens.append(String(decoding: try reader.take(Int(length)), as: UTF8.self))
            let c: UInt64 = try reader.value()
            counts.append(Int64(bitPattern: c))
        }
        let vocabulary = try Vocabulary(tokens: tokens, counts: counts, tokenizer: tokenizer)
        let trainer = try Word2VecTrainer(vocabulary: vocabulary, config: config)
        let floats = count * config.dimension
        for matrix in [trainer.input, trainer.output] {
            let raw = try reader.take(floats * 4)
            raw.withUnsafeBytes { buffer in
                let values = Array(buffer.bindMemory(to: Float.self))  // copies out of the byte slice
                values.withUnsafeBufferPointer { matrix.load($0) }
            }
        }
        guard Array(try reader.take(4)) == checkpointEnd, reader.isAtEnd else {
            throw .malformed(path: path, line: nil, problem: "the checkpoint does not end where it should (truncated or damaged)",
                             fix: "Start training again or use an earlier checkpoint")
        }
        trainer.epochsDone = epochsDone
        trainer.wordsDone = wordsDone
        trainer.randomStates = states
        trainer.epochLosses = losses
        return trainer
    }
}

private func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
}

/// Sequential reads from a byte array; running past the end is a "truncated" error.
struct ByteReader {
    let bytes: [UInt8]
    let path: String
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func take(_ n: Int) throws(LexisError) -> ArraySlice<UInt8> {
        guard n >= 0, offset + n <= bytes.count else {
            throw .malformed(path: path, line: nil, problem: "the file is truncated", fix: "Start training again or use an earlier checkpoint")
        }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func value<T: FixedWidthInteger>() throws(LexisError) -> T {
        let slice = try take(MemoryLayout<T>.size)
        var result: T = 0
        withUnsafeMutableBytes(of: &result) { $0.copyBytes(from: slice) }
        return T(littleEndian: result)
    }
}
