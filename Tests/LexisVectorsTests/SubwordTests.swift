// Subword (fastText) models: hashing and n-grams against fastText's own (fixtures made by
// Fixtures/fasttext/make_fasttext_fixtures.py with the fasttext module), reading fastText .bin
// models, vectors for unknown words, round trips through .lexis and fastText .bin, broken files.
import Foundation
import LexisTestSupport
import LexisText
import LexisVectors
import Testing

let fastTextFixtures = fixtures + "/fasttext"

/// fastText's get_word_vector results from the fixture: word, in vocabulary or not, values.
func fastTextExpected() throws -> [(word: String, known: Bool, values: [Float])] {
    let text = try String(contentsOfFile: fastTextFixtures + "/tiny-vectors.tsv", encoding: .utf8)
    return text.split(separator: "\n").map { line in
        let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
        return (String(parts[0]), parts[1] == "in", parts[2].split(separator: " ").map { Float(bitPattern: UInt32($0, radix: 16)!) })
    }
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

@Suite struct SubwordHashingTests {
    @Test func hashMatchesFastTextOnKnownValues() {
        // FNV-1a 32 of "" is the offset basis; bytes >= 0x80 are sign-extended first.
        #expect([UInt8]().withUnsafeBufferPointer { SubwordHashing.hash($0) } == 2_166_136_261)
        let plain: UInt32 = (2_166_136_261 ^ 0x61) &* 16_777_619
        #expect([UInt8(0x61)].withUnsafeBufferPointer { SubwordHashing.hash($0) } == plain)
        let signed: UInt32 = (2_166_136_261 ^ 0xFFFF_FFC3) &* 16_777_619
        #expect([UInt8(0xC3)].withUnsafeBufferPointer { SubwordHashing.hash($0) } == signed)
    }

    @Test func ngramsAndBucketsEqualFastTexts() throws {
        let text = try String(contentsOfFile: fastTextFixtures + "/subwords.tsv", encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let head = fields[0].split(separator: " ", maxSplits: 3).map(String.init)
            let hashing = try SubwordHashing(minn: Int(head[0])!, maxn: Int(head[1])!, buckets: Int(head[2])!)
            let word = head[3]
            var grams: [String] = [], ids: [Int32] = []
            var k = 1
            while k + 1 < fields.count { grams.append(fields[k]); ids.append(Int32(fields[k + 1])!); k += 2 }
            #expect(hashing.ngrams(of: word) == grams, "n-grams of '\(word)' with \(head[0])...\(head[1])")
            #expect(hashing.bucketIDs(of: word) == ids, "buckets of '\(word)' with \(head[0])...\(head[1]) in \(head[2])")
            checked += 1
        }
        #expect(checked >= 50)
    }

    @Test func endOfSentenceHasNoNgrams() throws {
        let hashing = try SubwordHashing(minn: 1, maxn: 6, buckets: 100)
        #expect(hashing.bucketIDs(of: "</s>").isEmpty)
        #expect(!hashing.bucketIDs(of: "</s>x").isEmpty)
    }

    @Test func badSettingsAreRefused() {
        #expect(throws: LexisError.self) { try SubwordHashing(minn: 0, maxn: 6, buckets: 10) }
        #expect(throws: LexisError.self) { try SubwordHashing(minn: 4, maxn: 3, buckets: 10) }
        #expect(throws: LexisError.self) { try SubwordHashing(minn: 3, maxn: 6, buckets: 0) }
    }
}

@Suite struct FastTextModelTests {
    @Test func loadsFastTextBinAndGivesItsVectors() throws {
        let vectors = try WordVectors.load(path: fastTextFixtures + "/tiny.bin")
        #expect(try WordVectors.detectFormat(path: fastTextFixtures + "/tiny.bin") == .fastText)
        #expect(vectors.dimension == 8)
        #expect(vectors.hasSubwords)
        #expect(vectors.subwords?.hashing == (try SubwordHashing(minn: 2, maxn: 4, buckets: 1009)))
        for expected in try fastTextExpected() {
            let query = vectors.lookup(expected.word)
            if expected.values.allSatisfy({ $0 == 0 }) && !expected.known {
                #expect(query == nil, "'\(expected.word)' has no n-grams, so no vector")
                continue
            }
            let got = try #require(query, "no vector for '\(expected.word)'")
            #expect(got.isFromSubwords == !expected.known, "'\(expected.word)'")
            #expect(maxAbsDifference(got.values, expected.values) <= 1e-5, "'\(expected.word)': \(got.values) vs \(expected.values)")
            #expect(vectors.vector(for: expected.word) == got.values)
        }
    }

    @Test func unknownWordsAnswerQueries() throws {
        let vectors = try WordVectors.load(path: fastTextFixtures + "/tiny.bin")
        #expect(!vectors.contains("cats!"))
        let neighbors = try #require(vectors.neighbors(for: "cats!", maximumCount: 3))
        #expect(neighbors.count == 3)
        #expect(vectors.similarity(between: "cats!", and: "cat") != nil)
        #expect(vectors.analogy(a: "dog", b: "dogs", c: "catz") != nil)
        #expect(vectors.doesntMatch(["cat", "catz", "北京"]) != nil)
    }

    @Test func roundTripsThroughLexisAndFastTextFormats() throws {
        let original = try WordVectors.load(path: fastTextFixtures + "/tiny.bin")
        let dir = try TestSupport.temporaryDirectory()
        for format in [VectorFormat.lexis, .fastText] {
            let path = dir.appendingPathComponent("copy.\(format.rawValue)").path
            try original.save(to: path, format: format)
            let copy = try WordVectors.load(path: path)
            #expect(copy.words == original.words)
            #expect(bits(copy) == bits(original), "\(format)")
            #expect(copy.subwords?.hashing == original.subwords?.hashing)
            for word in ["unseen", "京大", "cat"] {
                #expect(copy.vector(for: word) == original.vector(for: word), "\(format): '\(word)'")
            }
        }
    }

    @Test func plainLexisFilesStayVersionOne() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("plain.lexis").path
        try sampleVectors().save(to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes[8] == 1)
        #expect(try WordVectors.load(path: path).subwords == nil)
    }

    @Test func plainVectorsCannotBeWrittenAsFastText() throws {
        let dir = try TestSupport.temporaryDirectory()
        #expect(throws: LexisError.self) { try sampleVectors().save(to: dir.appendingPathComponent("x.bin").path, format: .fastText) }
    }

    @Test func truncatedQuantizedAndForeignFilesAreClearErrors() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fastTextFixtures + "/tiny.bin")))
        let dir = try TestSupport.temporaryDirectory()
        // Cut at many places: header, settings, dictionary, matrices.
        for cut in [5, 20, 60, 61, 100, 400, bytes.count / 2, bytes.count - 1] {
            let path = try TestSupport.write(bytes: Array(bytes[0..<cut]), to: "cut\(cut).bin", in: dir)
            #expect(throws: LexisError.self) { try WordVectors.load(path: path, format: .fastText) }
            if cut >= 4 { #expect(throws: LexisError.self) { try WordVectors.load(path: path) } }
        }
        // The quantized-input flag set (what a .ftz has).
        let dictionaryEnd = try quantFlagOffset(bytes)
        var quantized = bytes
        quantized[dictionaryEnd] = 1
        let ftz = try TestSupport.write(bytes: quantized, to: "model.ftz", in: dir)
        do {
            _ = try WordVectors.load(path: ftz)
            Issue.record("a quantized model loaded")
        } catch {
            #expect("\(error)".contains("quantized"))
        }
        // A foreign file named as fastText.
        let foreign = try TestSupport.write("not a model at all\n", to: "foreign.bin", in: dir)
        #expect(throws: LexisError.self) { try WordVectors.load(path: foreign, format: .fastText) }
        // A supervised model's header.
        var supervised = bytes
        supervised[8 + 7 * 4] = 3
        let sup = try TestSupport.write(bytes: supervised, to: "sup.bin", in: dir)
        do {
            _ = try WordVectors.load(path: sup)
            Issue.record("a supervised model loaded")
        } catch {
            #expect("\(error)".contains("supervised"))
        }
    }

    /// Where the quantized-input byte of a fastText .bin is: after the dictionary.
    func quantFlagOffset(_ bytes: [UInt8]) throws -> Int {
        func int32(_ at: Int) -> Int { Int(Int32(littleEndian: bytes[at..<at + 4].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })) }
        var at = 8 + 12 * 4 + 8
        let size = int32(at)
        at += 12 + 16
        for _ in 0..<size {
            while bytes[at] != 0 { at += 1 }
            at += 1 + 8 + 1
        }
        return at
    }
}
