// Save/load round trips in every format, peer-written fixtures, and broken files.
import Foundation
import LexisTestSupport
import LexisText
import LexisVectors
import Testing

let fixtures = TestSupport.repositoryRoot.appendingPathComponent("Tests/LexisVectorsTests/Fixtures").path

/// A small set with awkward values: extremes, negative zero, non-ASCII words.
func sampleVectors(counts: Bool = true, tokenizer: Bool = true) throws -> WordVectors {
    let words = ["the", "king", "queen", "café", "北京", "x"]
    var values: [Float] = []
    for i in 0..<words.count {
        for j in 0..<7 { values.append(Float(i * 7 + j).squareRoot() * (j % 2 == 0 ? 1 : -1) / 3) }
    }
    values[35] = -0.0
    values[36] = 1e-30
    values[37] = 3.4e38
    values[38] = Float.leastNonzeroMagnitude
    return try WordVectors(words: words, dimension: 7, vectors: values,
                           counts: counts ? [100, 50, 40, 3, 2, 1] : nil,
                           tokenizer: tokenizer ? TokenizerOptions(mode: .whitespace, nfkc: true, locale: "th") : nil)
}

func bits(_ v: WordVectors) -> [UInt32] { v.withUnsafeMatrix { $0.map(\.bitPattern) } }

/// The fixture's expected vectors, from the hex bit patterns make_fixtures.py wrote.
func expectedFixture() throws -> (words: [String], bits: [UInt32]) {
    let text = try String(contentsOfFile: fixtures + "/expected.tsv", encoding: .utf8)
    var words: [String] = [], values: [UInt32] = []
    for line in text.split(separator: "\n") {
        let parts = line.split(separator: "\t")
        words.append(String(parts[0]))
        values += parts[1].split(separator: " ").map { UInt32($0, radix: 16)! }
    }
    return (words, values)
}

@Suite struct WordVectorsIOTests {
    @Test func formatFromExtension() {
        #expect(VectorFormat.forPath("a/b.bin") == .binary)
        #expect(VectorFormat.forPath("b.TXT") == .text)
        #expect(VectorFormat.forPath("wiki.en.vec") == .text)
        #expect(VectorFormat.forPath("v.lexis") == .lexis)
        #expect(VectorFormat.forPath("v.lexis.gz") == nil)
        #expect(VectorFormat.forPath("dir.bin/vectors") == nil)
    }

    @Test func initRejectsBadInput() {
        #expect(throws: LexisError.self) { try WordVectors(words: ["a", "b"], dimension: 2, vectors: [1, 2, 3]) }
        #expect(throws: LexisError.self) { try WordVectors(words: ["a", "a"], dimension: 1, vectors: [1, 2]) }
        #expect(throws: LexisError.self) { try WordVectors(words: [], dimension: 1, vectors: []) }
        #expect(throws: LexisError.self) { try WordVectors(words: ["a"], dimension: 0, vectors: []) }
        #expect(throws: LexisError.self) { try WordVectors(words: ["a"], dimension: 1, vectors: [.nan]) }
        #expect(throws: LexisError.self) { try WordVectors(words: ["a"], dimension: 1, vectors: [1], counts: [1, 2]) }
    }

    @Test func accessors() throws {
        let v = try sampleVectors()
        #expect(v.count == 6)
        #expect(v.dimension == 7)
        #expect(v.index(of: "queen") == 2)
        #expect(v.index(of: "Queen") == nil)
        let king: [Float] = (0..<7).map { j in
            let magnitude = Float(7 + j).squareRoot() / 3
            return j % 2 == 0 ? magnitude : -magnitude
        }
        #expect(v.vector(for: "king") == king)
        #expect(v.vector(for: "nope") == nil)
        #expect(v.words == ["the", "king", "queen", "café", "北京", "x"])
    }

    @Test func repeatedWordsKeepTheFirstVector() throws {
        // As gensim does; the .lexis format refuses repeats (its writer never makes them).
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try TestSupport.write("3 2\na 1 2\nb 3 4\na 5 6\n", to: "d.txt", in: dir)
        let bin = dir.appendingPathComponent("d.bin").path
        let binBytes = Array("3 1\na ".utf8) + [Float(1)].withUnsafeBytes { Array($0) } + Array("\nb ".utf8)
            + [Float(2)].withUnsafeBytes { Array($0) } + Array("\na ".utf8) + [Float(3)].withUnsafeBytes { Array($0) } + [10]
        try Data(binBytes).write(to: URL(fileURLWithPath: bin))
        let t = try WordVectors.load(path: text), b = try WordVectors.load(path: bin)
        #expect(t.words == ["a", "b"] && t.vector(for: "a") == [1, 2] && t.vector(for: "b") == [3, 4])
        #expect(b.words == ["a", "b"] && b.vector(for: "a") == [1] && b.vector(for: "b") == [2])
    }

    @Test func lookupIsByteExact() throws {
        // Canonically equivalent spellings are different words (as in gensim), and 20,000 words
        // make the lookup table probe.
        let words = ["caf\u{E9}", "cafe\u{301}"] + (0..<20_000).map { "w\($0)" }
        let v = try WordVectors(words: words, dimension: 1, vectors: (0..<words.count).map(Float.init))
        #expect(v.index(of: "caf\u{E9}") == 0)
        #expect(v.index(of: "cafe\u{301}") == 1)
        #expect(v.index(of: "cafe") == nil)
        for i in stride(from: 0, to: 20_000, by: 997) { #expect(v.index(of: "w\(i)") == i + 2) }
        #expect(v.index(of: "w20000") == nil && !v.contains(""))
    }

    // fastText model files need a subword model: SubwordTests round-trips them.
    @Test(arguments: VectorFormat.allCases.filter { $0 != .fastText })
    func roundTripIsBitIdentical(format: VectorFormat) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = try sampleVectors()
        let path = dir.appendingPathComponent("v.out").path
        try original.save(to: path, format: format)
        #expect(try WordVectors.detectFormat(path: path) == format)
        for explicit in [nil, format] {
            let loaded = try WordVectors.load(path: path, format: explicit)
            #expect(loaded.words == original.words)
            #expect(loaded.dimension == original.dimension)
            #expect(bits(loaded) == bits(original))
            if format == .lexis {
                #expect(loaded.counts == original.counts)
                #expect(loaded.tokenizer == original.tokenizer)
            } else {
                #expect(loaded.counts == nil)
                #expect(loaded.tokenizer == nil)
            }
        }
    }

    @Test func lexisWithoutCountsOrTokenizer() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = try sampleVectors(counts: false, tokenizer: false)
        let path = dir.appendingPathComponent("v.lexis").path
        try original.save(to: path)
        let loaded = try WordVectors.load(path: path)
        #expect(loaded.counts == nil && loaded.tokenizer == nil)
        #expect(bits(loaded) == bits(original))
        // The matrix sits at a 64-byte-aligned offset.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let offset = data[32..<40].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(offset % 64 == 0)
    }

    @Test func saveUsesExtensionThenBinary() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let v = try sampleVectors()
        for (name, format) in [("a.txt", VectorFormat.text), ("a.vec", .text), ("a.lexis", .lexis), ("a.bin", .binary), ("a", .binary)] {
            let path = dir.appendingPathComponent(name).path
            try v.save(to: path)
            #expect(try WordVectors.detectFormat(path: path) == format, "\(name)")
        }
        // No temporary files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a", "a.bin", "a.lexis", "a.txt", "a.vec"])
    }

    @Test func wordsWithSpacesOnlyInLexis() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let v = try WordVectors(words: ["new york", "b"], dimension: 1, vectors: [1, 2])
        #expect(throws: LexisError.self) { try v.save(to: dir.appendingPathComponent("v.bin").path) }
        #expect(throws: LexisError.self) { try v.save(to: dir.appendingPathComponent("v.txt").path) }
        try v.save(to: dir.appendingPathComponent("v.lexis").path)
        #expect(try WordVectors.load(path: dir.appendingPathComponent("v.lexis").path).words == ["new york", "b"])
    }

    // MARK: - Peer files

    @Test(arguments: ["gensim.bin", "gensim.txt"])
    func gensimFilesLoadExactly(name: String) throws {
        let expected = try expectedFixture()
        let v = try WordVectors.load(path: fixtures + "/" + name)
        #expect(v.words == expected.words)
        #expect(v.dimension == 5)
        #expect(bits(v) == expected.bits)
    }

    @Test(arguments: ["glove.txt", "fasttext.vec"])
    func roundedTextFilesLoad(name: String) throws {
        let expected = try expectedFixture()
        let v = try WordVectors.load(path: fixtures + "/" + name)
        #expect(v.words == expected.words)
        #expect(v.dimension == 5)
        let got = bits(v).map(Float.init(bitPattern:)), want = expected.bits.map(Float.init(bitPattern:))
        for (a, b) in zip(got, want) {
            let close: Bool = abs(a - b) <= 5e-5 * max(1, abs(b))
            #expect(close, "\(a) vs \(b)")
        }
    }

    @Test func textParsingMatchesStrtof() throws {
        // Values that stress the fast path: many digits, ties, exponents, subnormals.
        let tokens = ["0.1", "-0.000001", "1.17549435e-38", "1e-45", "3.4028235e38", "0.30000001", "16777217",
                      "1.00000005960464477539", "2.5e-3", "+7", "-0", "123456789012345678901234567890", "4.2E+2",
                      "0.000000000000000000000000000000123", "33554431", "1.4e-45", "9.99999999e-41"]
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.write("w " + tokens.joined(separator: " ") + "\n", to: "t.txt", in: dir)
        let v = try WordVectors.load(path: path)
        let expected = tokens.map { strtof($0, nil).bitPattern }
        #expect(bits(v) == expected)
    }

    // MARK: - Broken files

    static let brokenFiles: [(name: String, bytes: [UInt8], mentions: String)] = {
        var cases: [(String, [UInt8], String)] = []
        func text(_ s: String) -> [UInt8] { Array(s.utf8) }
        cases.append(("empty.txt", [], "empty"))
        cases.append(("garbage.txt", text("hello world\nfoo\n"), "not a word-vector file"))
        cases.append(("short.txt", text("3 2\na 1 2\nb 3 4\n"), "ends after 2"))
        cases.append(("fewer.txt", text("2 3\na 1 2 3\nb 3 4\n"), "has 2 values but the dimension is 3"))
        cases.append(("more.txt", text("2 2\na 1 2\nb 3 4 5\n"), "more than 2 values"))
        cases.append(("nan.txt", text("2 2\na 1 2\nb nan 4\n"), "contains nan"))
        cases.append(("inf.txt", text("a 1 2\nb 3 inf\n"), "contains inf"))
        cases.append(("word.txt", text("2 2\na 1 2\nb 3 x4\n"), "'x4' is not a number"))
        cases.append(("zero.txt", text("0 5\n"), "no vectors"))
        cases.append(("huge.txt", text("99999999999 300\na 1\n"), "more than the"))
        cases.append(("glove-ragged.txt", text("a 1 2\nb 3\n"), "has 1 values but the dimension is 2"))
        func floats(_ values: [Float]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }
        cases.append(("truncated.bin", text("2 2\na ") + floats([1, 2]) + text("\nb ") + floats([3]), "truncated"))
        cases.append(("nan.bin", text("1 2\na ") + floats([1, .nan]) + [10], "contains nan"))
        cases.append(("wrongdim.bin", text("2 1\na ") + floats([1, 2]) + text("\nb ") + floats([3, 4]) + [10], "header"))
        cases.append(("toosmall.bin", text("3 2\na ") + floats([1, 2]), "more than the"))
        cases.append(("fasttext.bin", [0xBA, 0x16, 0x4F, 0x2F, 12, 0, 0, 0] + [UInt8](repeating: 0, count: 100), "fastText model"))
        cases.append(("future.lexis", text("LEXISVEC") + [3, 0, 0, 0] + [UInt8](repeating: 0, count: 120), "newer Lexis"))
        cases.append(("stub.lexis", text("LEXISVEC") + [1, 0, 0, 0], "too short"))
        return cases
    }()

    @Test(arguments: brokenFiles.indices)
    func brokenFilesGiveClearErrors(index: Int) throws {
        let (name, bytes, mentions) = Self.brokenFiles[index]
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.write(bytes: bytes, to: name, in: dir)
        do {
            let v = try WordVectors.load(path: path)
            Issue.record("\(name) loaded \(v.count) words instead of failing")
        } catch {
            #expect(error.description.contains(mentions), "\(name): \(error.description)")
            #expect(error.description.contains(path), "\(name): \(error.description)")
        }
    }

    @Test func truncatedLexisFilesFail() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("v.lexis").path
        try sampleVectors().save(to: path)
        let full = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        // Every prefix must fail cleanly (the full file loads).
        for length in stride(from: 0, to: full.count, by: 7) {
            let cut = try TestSupport.write(bytes: Array(full[0..<length]), to: "cut.lexis", in: dir)
            #expect(throws: LexisError.self, "length \(length)") { try WordVectors.load(path: cut) }
        }
        #expect(try WordVectors.load(path: path).count == 6)
    }

    @Test func truncatedWord2VecFilesFail() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for format in [VectorFormat.binary, .text] {
            let path = dir.appendingPathComponent("v").path
            try sampleVectors().save(to: path, format: format)
            let full = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            // A text file cut inside its very last number still reads as a (shorter) number, so
            // text cuts stop at the last value's start.
            let end = format == .text ? full.lastIndex(of: 32)! : full.count - 1
            for length in stride(from: 1, to: end, by: 5) {
                let cut = try TestSupport.write(bytes: Array(full[0..<length]), to: "cut", in: dir)
                #expect(throws: LexisError.self, "\(format) length \(length)") { try WordVectors.load(path: cut, format: format) }
            }
        }
    }

    @Test func missingFile() {
        #expect(throws: LexisError.cannotRead(path: "/nonexistent/v.bin", reason: "No such file or directory")) {
            try WordVectors.load(path: "/nonexistent/v.bin")
        }
    }
}
