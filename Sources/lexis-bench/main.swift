// Micro-benchmarks behind bench/*.sh (not tests): tokenizer throughput on one thread against raw
// ICU on the same text. Usage: lexis-bench tokenize FILE [LABEL]
import Lexis
#if canImport(Glibc)
import Glibc
#endif

/// Best of `repeats` timings of `body`, in seconds.
func best(_ repeats: Int = 3, _ body: () -> Void) -> Double {
    var result = Double.infinity
    for _ in 0..<repeats {
        let start = monotonicSeconds()
        body()
        result = min(result, monotonicSeconds() - start)
    }
    return result
}

func fixed(_ x: Double, _ digits: Int = 1) -> String {
    var s = 1.0
    for _ in 0..<digits { s *= 10 }
    let v = (x * s).rounded() / s
    return "\(v)"
}

/// Splits a buffer into lines (byte ranges), as the corpus reader would deliver them.
func lines(_ bytes: [UInt8]) -> [Range<Int>] {
    var result: [Range<Int>] = []
    var start = 0
    for (i, b) in bytes.enumerated() where b == 0x0A {
        result.append(start..<i)
        start = i + 1
    }
    if start < bytes.count { result.append(start..<bytes.count) }
    return result
}

func tokenizeBenchmark(path: String, label: String) throws {
    let bytes = try FileIO.readAll(path)
    let ranges = lines(bytes)
    let megabytes = Double(bytes.count) / 1e6
    // A vocabulary of the text itself, so the id lookup does real work.
    let (vocabulary, _) = try VocabularyBuilder(minCount: 1, threads: 1).build(try Corpus(paths: [path]))
    var row: [(String, Double)] = []

    func run(_ name: String, _ options: TokenizerOptions, forceICU: Bool = false, widePath: ICUTextPath? = nil,
             lookup: Bool = true) throws {
        let tokenizer = try Tokenizer(options: options)
        tokenizer.forceICU = forceICU
        tokenizer.widePath = widePath
        var sink: Int64 = 0
        let seconds = bytes.withUnsafeBufferPointer { all in
            best {
                for r in ranges {
                    let line = UnsafeBufferPointer(rebasing: all[r])
                    tokenizer.forEachToken(in: line) { token, _ in
                        sink &+= lookup ? Int64(vocabulary.id(bytes: token)) : Int64(token.count)
                    }
                }
            }
        }
        if sink == 42 { print("") }
        row.append((name, megabytes / seconds))
    }

    let units = bytes.withUnsafeBufferPointer { RawICU.utf16Units($0) }
    var rawCount = 0
    let raw16 = best { rawCount = RawICU.countWords(utf16: units) }
    let raw8 = bytes.withUnsafeBufferPointer { b in best { rawCount = RawICU.countWords(b, utf16: false) } }
    row.append(("raw ICU UTF-16 (count only)", megabytes / raw16))
    row.append(("raw ICU UTF-8 (count only)", megabytes / raw8))
    try run("lexis icu default + ids", TokenizerOptions())
    try run("lexis icu, ICU on every span + ids", TokenizerOptions(), forceICU: true)
    for path in ICUTextPath.allCases {
        try run("lexis icu, wide runs as \(path.rawValue) + ids", TokenizerOptions(), widePath: path)
        try run("lexis icu, every span, \(path.rawValue) + ids", TokenizerOptions(), forceICU: true, widePath: path)
    }
    try run("lexis whitespace + ids", TokenizerOptions.pretokenized)
    let rawBest = max(megabytes / raw16, megabytes / raw8)
    print("\(label): \(fixed(megabytes)) MB, \(rawCount) ICU words; default wide path: \(ICUTextPath.summary)")
    for (name, rate) in row {
        print("  \(name + String(repeating: " ", count: max(0, 40 - name.count))) \(fixed(rate)) MB/s"
              + (name.hasPrefix("lexis icu") ? "  (\(fixed(rate / rawBest, 2))x raw ICU's best)" : ""))
    }
}

/// GFLOP/s of `Matmul.gemm` (OpenBLAS) on the products of one training step of the PTB language
/// models (bench/sgemm.sh runs PyTorch on the same shapes). Shapes: name m n k transA transB.
func sgemmBenchmark(threads: Int) {
    Matmul.setThreads(threads)
    print("# OpenBLAS \(BLASKernels.coreName) kernels, \(Matmul.threads) threads")
    for (name, m, n, k, ta, tb) in lmProductShapes {
        let a = [Float](repeating: 0.01, count: m * k), b = [Float](repeating: 0.02, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        let flops = 2.0 * Double(m) * Double(n) * Double(k)
        let reps = max(3, Int(2e9 / flops))
        let seconds = a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    best(5) {
                        for _ in 0..<reps {
                            Matmul.gemm(transA: ta, transB: tb, m: m, n: n, k: k, a: pa.baseAddress!, lda: ta ? m : k,
                                        b: pb.baseAddress!, ldb: tb ? k : n, beta: 0, c: pc.baseAddress!, ldc: n)
                        }
                    }
                }
            }
        }
        print("\(name) \(m)x\(n)x\(k) \(fixed(flops * Double(reps) / seconds / 1e9)) GFLOP/s")
        guard m <= Matmul.fewRowsLimit else { continue }
        // The same product by Lexis's few-row kernel (B untransposed, as the layers hold it).
        let few = a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    best(5) {
                        for _ in 0..<reps {
                            Matmul.gemmFewRows(m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                                               beta: 0, c: pc.baseAddress!, ldc: n)
                        }
                    }
                }
            }
        }
        print("\(name)-lexis-kernel \(m)x\(n)x\(k) \(fixed(flops * Double(reps) / few / 1e9)) GFLOP/s (Lexis few-row kernel)")
    }
}

/// (name, m, n, k, transA, transB) of the products in one step of the small (H 200, B 20, T 20)
/// and medium (H 650, T 35) PTB models, vocabulary 10,000.
let lmProductShapes: [(String, Int, Int, Int, Bool, Bool)] = [
    ("small-input-proj", 400, 800, 200, false, true),
    ("small-recurrent-step", 20, 800, 200, false, true),
    ("small-recurrent-back", 20, 200, 800, false, false),
    ("small-weight-grad", 800, 200, 400, true, false),
    ("small-output", 400, 10000, 200, false, true),
    ("small-output-dx", 400, 200, 10000, false, false),
    ("small-output-dw", 10000, 200, 400, true, false),
    ("medium-input-proj", 700, 2600, 650, false, true),
    ("medium-recurrent-step", 20, 2600, 650, false, true),
    ("medium-recurrent-back", 20, 650, 2600, false, false),
    ("medium-weight-grad", 2600, 650, 700, true, false),
    ("medium-output", 700, 10000, 650, false, true),
    ("medium-output-dx", 700, 650, 10000, false, false),
    ("medium-output-dw", 10000, 650, 700, true, false),
]

let arguments = CommandLine.arguments
if arguments.count >= 2 && arguments[1] == "sgemm" {
    BLASKernels.reexecWithPreferredKernels()
    sgemmBenchmark(threads: arguments.count > 2 ? Int(arguments[2]) ?? 2 : 2)
    exit(0)
}
guard arguments.count >= 3, arguments[1] == "tokenize" else {
    print("usage: lexis-bench tokenize FILE [LABEL] | lexis-bench sgemm [THREADS]")
    exit(64)
}
do {
    try tokenizeBenchmark(path: arguments[2], label: arguments.count > 3 ? arguments[3] : arguments[2])
} catch {
    print("error: \(error)")
    exit(1)
}
