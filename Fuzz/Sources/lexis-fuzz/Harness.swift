// libFuzzer entry point for Lexis's parsers. LEXIS_FUZZ_TARGET names the parser (the list is
// `targets` below). Every parser must return a value or throw LexisError; a trap, a hang or a
// large allocation is reported by libFuzzer. The loaders take paths, so each input is written to
// a file in /dev/shm (memory, no disk) first.
import Glibc
import Lexis

/// The parsers, by the name LEXIS_FUZZ_TARGET gives; the seed folders of
/// scripts/make-fuzz-seeds.sh have the same names. (libFuzzer runs one input at a time on one
/// thread, hence the unchecked globals.)
nonisolated(unsafe) let targets: [String: ([UInt8]) -> Void] = [
    "w2v-bin": { vectors($0, .binary) },
    "w2v-text": { vectors($0, .text) },
    "glove": { vectors($0, .text) },
    "lexis-vec": { vectors($0, .lexis) },
    "fasttext-bin": { vectors($0, .fastText) },
    "vocab": { bytes in load(bytes) { path throws(LexisError) in _ = try Vocabulary.load(path: path) } },
    "lm": { bytes in load(framed(bytes)) { path throws(LexisError) in _ = try RecurrentLanguageModel.load(path: path) } },
    "classifier": { bytes in load(framed(bytes, firstFramed: 3)) { path throws(LexisError) in _ = try ClassifierEnsemble.load(path: path) } },
    "w2v-checkpoint": { bytes in load(framed(bytes)) { path throws(LexisError) in _ = try Word2VecTrainer.resume(from: path) } },
    "lm-state": { bytes in load(framed(bytes)) { path throws(LexisError) in _ = try TrainerStateFile.load(path: path) } },
    "tsv": { bytes in load(bytes) { path throws(LexisError) in _ = try LabeledText.read(path: path, tokenizer: TokenizerOptions()) } },
    "tokenizer": tokenize,
    "phrases": { bytes in load(bytes) { path throws(LexisError) in _ = try PhraseTable.load(path: path) } },
    "dictionary": { bytes in
        load(bytes) { path throws(LexisError) in
            var options = TokenizerOptions()
            options.dictionary = try UserDictionary.load(path: path)
            _ = try Tokenizer(options: options).tokens(in: "玄德曰 c++ and C# iced")
        }
    },
    "framed": frame,
]

nonisolated(unsafe) var run: ([UInt8]) -> Void = { _ in }
nonisolated(unsafe) var inputPath = ""
let verbose = getenv("LEXIS_FUZZ_VERBOSE") != nil

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> CInt {
    let name = getenv("LEXIS_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = targets[name] else {
        print("set LEXIS_FUZZ_TARGET to one of: \(targets.keys.sorted().joined(separator: " "))")
        exit(2)
    }
    run = target
    let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    inputPath = "\(dir)/lexis-fuzz-\(getpid())-\(name)"
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// Writes `bytes` to the input file and calls `parse` on it. A LexisError is a correct answer;
/// the file is removed afterwards so that no mapping of it outlives the run.
func load(_ bytes: [UInt8], _ parse: (String) throws(LexisError) -> Void) {
    unlink(inputPath)
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot create \(inputPath)")
    var done = 0
    bytes.withUnsafeBytes { b in
        while done < b.count {
            let n = write(fd, b.baseAddress! + done, b.count - done)
            precondition(n > 0, "cannot write \(inputPath)")
            done += n
        }
    }
    close(fd)
    do { try parse(inputPath) } catch {
        // A LexisError: the file was refused, as it should be. LEXIS_FUZZ_VERBOSE=1 shows why
        // (to check that the seeds load: `lexis-fuzz -runs=0 SEEDS`).
        if verbose { print("refused: \(error)") }
    }
    unlink(inputPath)
}

func vectors(_ bytes: [UInt8], _ format: VectorFormat) {
    load(bytes) { path throws(LexisError) in
        let v = try WordVectors.load(path: path, format: format)
        // Touch what was read, so that a loader that accepts an inconsistent file shows it here.
        if v.count > 0 { _ = v.vector(for: v.words[0]) }
        _ = v.vector(for: "fuzzword")   // an unknown word: built from the n-gram rows of subword models
    }
}

/// Framed files end in a checksum, so almost every mutation would stop at the checksum test and
/// never reach the parser behind it. This walks the sections as `FramedFile` does and rewrites
/// the checksum after the end tag, or, for a version before `firstFramed` (legacy, unframed),
/// the last 8 bytes. The `framed` target fuzzes the checksum test itself.
func framed(_ bytes: [UInt8], firstFramed: UInt32 = 2) -> [UInt8] {
    var b = bytes
    guard b.count >= 20 else { return b }
    let version = (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[8 + $1]) << (8 * UInt32($1)) }
    if version < firstFramed {
        var h = FNV1a()
        b.withUnsafeBytes { h.add(UnsafeRawBufferPointer(rebasing: $0[12..<b.count - 8])) }
        for k in 0..<8 { b[b.count - 8 + k] = UInt8(truncatingIfNeeded: h.value >> (8 * UInt64(k))) }
        return b
    }
    var i = 12
    while i + 4 <= b.count {
        if b[i..<i + 4].elementsEqual("END.".utf8) {
            guard i + 12 <= b.count else { break }
            var h = FNV1a()
            b.withUnsafeBytes { h.add(UnsafeRawBufferPointer(rebasing: $0[12..<i])) }
            for k in 0..<8 { b[i + 4 + k] = UInt8(truncatingIfNeeded: h.value >> (8 * UInt64(k))) }
            break
        }
        guard i + 12 <= b.count else { break }
        var length: UInt64 = 0
        for k in 0..<8 { length |= UInt64(b[i + 4 + k]) << (8 * UInt64(k)) }
        guard length <= UInt64(b.count - i - 12) else { break }
        i += 12 + Int(length)
    }
    return b
}

/// Tokenizers for every mode with and without NFKC and case folding; the first input byte picks
/// one, the rest is the text (made valid UTF-8 first, as the corpus reader does).
nonisolated(unsafe) let tokenizers: [Tokenizer] = TokenizerOptions.Mode.allCases.flatMap { mode in
    [(false, false), (true, false), (false, true), (true, true)].map { fold, nfkc in
        try! Tokenizer(options: TokenizerOptions(mode: mode, caseFold: fold, nfkc: nfkc, keepPunctuation: nfkc,
                                                 keepSymbols: fold))
    }
}

func tokenize(_ bytes: [UInt8]) {
    guard let first = bytes.first else { return }
    let tokenizer = tokenizers[Int(first) % tokenizers.count]
    var sanitizer = UTF8Sanitizer()
    bytes.dropFirst().withUnsafeBufferPointer { text in
        let valid = sanitizer.sanitize(text)
        var total = 0
        tokenizer.forEachToken(in: valid) { token, _ in
            precondition(token.count > 0, "empty token")
            total += token.count
        }
    }
}

let testFormat = FramedFileFormat(magic: "LEXFUZZ1", version: 2, firstFramedVersion: 2, name: "fuzz test",
                                  damagedFix: "none")

func frame(_ bytes: [UInt8]) {
    guard let file = try? FramedFile(bytes: bytes, path: "input", format: testFormat), !file.isLegacy else { return }
    for tag in ["HEAD", "PARM", "VOCA"] where file.has(tag) {
        if var r = try? file.section(tag) { _ = try? r.take(r.remaining) }
    }
}
