import Foundation
import LexisRecurrent
import LexisTensor
import LexisTestSupport
import LexisText
import Testing

@Suite struct ModelFileTests {
    static func savedModel() throws -> (RecurrentLanguageModel, String, URL) {
        let dir = try TestSupport.temporaryDirectory("lexis-model")
        let model = tinyModel(cell: .lstm, dropout: 0.1)
        model.training.epoch = 2
        model.training.bestValidPerplexity = 12.5
        model.training.history = [EpochRecord(epoch: 1, learningRate: 1, trainPerplexity: 30, validPerplexity: 20, seconds: 1.5),
                                  EpochRecord(epoch: 2, learningRate: 0.5, trainPerplexity: 15, validPerplexity: 12.5, seconds: 1.25)]
        let path = dir.appendingPathComponent("m.lexis").path
        try model.save(to: path)
        return (model, path, dir)
    }

    @Test func saveLoadRoundTripIsBitIdenticalWithTheSamePerplexity() throws {
        let (model, path, dir) = try Self.savedModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let loaded = try RecurrentLanguageModel.load(path: path)
        #expect(loaded.config == model.config)
        #expect(loaded.vocabulary == model.vocabulary)
        #expect(loaded.tokenizer == model.tokenizer)
        #expect(loaded.training == model.training)
        #expect(loaded.store.count == model.store.count)
        for i in 0..<model.store.count { #expect(loaded.store.values[i].bitPattern == model.store.values[i].bitPattern) }
        let tokens: [Int32] = (0..<80).map { Int32($0 * 3 % 7) }
        #expect(loaded.evaluate(tokens: tokens, batch: 2, steps: 7) == model.evaluate(tokens: tokens, batch: 2, steps: 7))
        // No temporary file left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.lexis"])
    }

    enum Damage: String, CaseIterable, Sendable { case badMagic, newerVersion, truncatedHeader, truncatedParameters, flippedByte, hugeWordCount, empty }

    @Test(arguments: Damage.allCases)
    func damagedFilesGiveTypedErrors(_ damage: Damage) throws {
        let (_, path, dir) = try Self.savedModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        switch damage {
        case .badMagic: bytes[0] = UInt8(ascii: "X")
        case .newerVersion: bytes[8] = 99
        case .truncatedHeader: bytes = Array(bytes[0..<30])
        case .truncatedParameters: bytes = Array(bytes[0..<(bytes.count - 100)])
        case .flippedByte: bytes[bytes.count - 50] ^= 0x10
        case .hugeWordCount:
            let headerLength = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
            for k in 0..<4 { bytes[16 + headerLength + k] = 0xF0 }
        case .empty: bytes = []
        }
        let damaged = try TestSupport.write(bytes: bytes, to: "damaged.lexis", in: dir)
        do {
            _ = try RecurrentLanguageModel.load(path: damaged)
            Issue.record("loading a \(damage) file succeeded")
        } catch {
            let text = error.description
            #expect(text.contains("damaged.lexis"))
            switch damage {
            case .badMagic, .empty: #expect(text.contains("not a Lexis language model"))
            case .newerVersion: #expect(text.contains("newer"))
            case .truncatedHeader, .truncatedParameters, .hugeWordCount: #expect(text.contains("truncated"))
            case .flippedByte: #expect(text.contains("checksum"))
            }
        }
    }

    @Test func missingFileIsATypedError() {
        #expect(throws: LexisError.self) { try RecurrentLanguageModel.load(path: "/nonexistent/model.lexis") }
    }

    @Test func plotHasOnePointPerEpochAndSeries() throws {
        let (model, _, dir) = try Self.savedModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = PerplexityPlot.svg(model.training.history)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 4)
        #expect(svg.contains("validation") && svg.contains("train"))
    }
}

@Suite struct WordVectorFileTests {
    @Test func readsTextAndBinaryAndInitializesKnownWords() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-vectors")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try TestSupport.write("3 4\nw0 1 2 3 4\nzzz 0.5 0.5 0.5 0.5\nw2 -1 -2 -3 -4.5\n", to: "v.txt", in: dir)
        var binary = Array("3 4\n".utf8)
        let rows: [(String, [Float])] = [("w0", [1, 2, 3, 4]), ("zzz", [0.5, 0.5, 0.5, 0.5]), ("w2", [-1, -2, -3, -4.5])]
        for (w, v) in rows {
            binary += Array(w.utf8) + [0x20]
            for x in v { withUnsafeBytes(of: x.bitPattern.littleEndian) { binary += $0 } }
            binary.append(0x0A)
        }
        let bin = try TestSupport.write(bytes: binary, to: "v.bin", in: dir)
        for path in [text, bin] {
            let vectors = try WordVectorFile.read(path: path)
            #expect(vectors.words == ["w0", "zzz", "w2"] && vectors.dimension == 4)
            #expect(Array(vectors.values.suffix(4)) == [-1, -2, -3, -4.5])
            let model = tinyModel(cell: .lstm, embedding: 4)
            let before = Array(UnsafeBufferPointer(start: model.store.value(model.embedding.table), count: 7 * 4))
            #expect(try model.loadEmbeddings(vectors) == 2)
            let table = model.store.value(model.embedding.table)
            #expect(Array(UnsafeBufferPointer(start: table, count: 4)) == [1, 2, 3, 4])               // w0
            #expect(Array(UnsafeBufferPointer(start: table + 8, count: 4)) == [-1, -2, -3, -4.5])     // w2
            #expect(Array(UnsafeBufferPointer(start: table + 4, count: 4)) == Array(before[4..<8]))  // w1 keeps its random row
            let wrongWidth = tinyModel(cell: .lstm, embedding: 3)
            #expect(throws: LexisError.self) { try wrongWidth.loadEmbeddings(vectors) }
        }
        let broken = try TestSupport.write(bytes: Array("3 4\nw0 1 2".utf8), to: "broken.bin", in: dir)
        #expect(throws: LexisError.self) { try WordVectorFile.read(path: broken) }
        let noHeader = try TestSupport.write("hello world\n", to: "nh.txt", in: dir)
        #expect(throws: LexisError.self) { try WordVectorFile.read(path: noHeader) }
    }
}
