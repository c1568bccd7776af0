import Foundation
import LexisRecurrent
import LexisTensor
import LexisTestSupport
import LexisVectors
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
        #expect(loaded.vocabulary.sameContents(as: model.vocabulary))
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
            // The vocabulary's token count (after its tokenizer settings and special-token bits), in
            // a file resealed as a crafted one would be: the count, not the checksum, must stop it.
            let vocabulary = FramedFiles.sections(bytes).first { $0.tag == "VOCB" }!.payload
            let settingsLength = Int(bytes[vocabulary.lowerBound]) | Int(bytes[vocabulary.lowerBound + 1]) << 8
            for k in 0..<4 { bytes[vocabulary.lowerBound + 4 + settingsLength + 4 + k] = 0xF0 }
            bytes = FramedFiles.resealed(bytes)
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

    /// A file in the layout of format version 1 (before the shared framing), with the header
    /// lines that version wrote, loads into the same model.
    @Test func versionOneFilesStillLoad() throws {
        let (model, _, dir) = try Self.savedModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = model.config
        let header = """
            cell=\(c.cell.rawValue)\nlayers=\(c.layers)\nhidden=\(c.hidden)\nembedding=\(c.embedding)\nvocabulary=\(c.vocabularySize)
            tied=\(c.tied)\ndropout=\(c.dropout)\nfrozen_embedding=\(c.frozenEmbedding)\ntokenizer=\(model.tokenizer.description)
            epoch=2\nseed=\(model.training.seed)\nbest_valid_ppl=12.5\nhistory.1=1.0 30.0 20.0 1.5\nhistory.2=0.5 15.0 12.5 1.25

            """
        let values = Array(UnsafeBufferPointer(start: model.store.values, count: model.store.count))
        let old = FramedFiles.legacyModel(magic: "LEXISLM\n", version: 1, header: header, labels: nil,
                                          words: model.vocabulary.tokens, values: values)
        let path = try TestSupport.write(bytes: old, to: "v1.lexis", in: dir)
        let loaded = try RecurrentLanguageModel.load(path: path)
        #expect(loaded.config == model.config && loaded.training == model.training)
        #expect(loaded.vocabulary.tokens == model.vocabulary.tokens && loaded.tokenizer == model.tokenizer)
        #expect(loaded.endOfSentenceID == model.endOfSentenceID && loaded.unknownID == model.unknownID)
        #expect(Array(UnsafeBufferPointer(start: loaded.store.values, count: loaded.store.count)) == values)
        var damaged = old
        damaged[damaged.count - 20] ^= 1
        let bad = try TestSupport.write(bytes: damaged, to: "v1-bad.lexis", in: dir)
        #expect { try RecurrentLanguageModel.load(path: bad) } throws: { "\($0)".contains("checksum") }
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

@Suite struct PretrainedEmbeddingTests {
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
            let vectors = try WordVectors.load(path: path)
            #expect(vectors.words == ["w0", "zzz", "w2"] && vectors.dimension == 4)
            #expect(vectors.vector(at: 2) == [-1, -2, -3, -4.5])
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
        #expect(throws: LexisError.self) { try WordVectors.load(path: broken) }
        let noHeader = try TestSupport.write("hello world\n", to: "nh.txt", in: dir)
        #expect(throws: LexisError.self) { try WordVectors.load(path: noHeader) }
    }
}
