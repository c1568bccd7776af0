// Smaller model files: zero rows left out (lossless; a bow model's unused bigram buckets) and
// 8-bit weights (`save(quantize:)`, `lexis classify quantize`).
@testable import LexisRecurrent
import LexisTensor
import LexisTestSupport
import LexisText
import Foundation
import Testing

@Suite struct CompactModelTests {
    @Test func unusedBigramBucketsCostNothingAndLoadExactly() throws {
        let data = try labeled(separableData(count: 60, seed: 1), name: "train")
        let vocabulary = try SentenceClassifier.buildVocabulary(data)
        let config = ClassifierConfig(model: .bow, embedding: 16, vocabularySize: vocabulary.count, bigramBuckets: 20_000,
                                      classes: 3, pool: .mean, dropout: 0)
        let m = try SentenceClassifier(config: config, vocabulary: vocabulary, labels: data.labels)
        m.initialize(seed: 1)
        var options = ClassifierTrainingOptions()
        options.epochs = 3; options.batch = 8
        let train = try m.encode(data)
        try ClassifierTrainer(model: m, options: options, train: train, dev: []).run()
        let dir = try TestSupport.temporaryDirectory("lexis-compact")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bow.lexis").path
        try m.save(to: path)
        let dense = m.store.count * 4
        let size = try FileIO.readAll(path).count
        // 20,000 buckets x 16 floats = 1.28 MB dense; 60 short sentences touch a few hundred.
        #expect(size * 20 < dense, "file \(size) bytes, parameters \(dense) bytes")
        let loaded = try SentenceClassifier.load(path: path)
        #expect((0..<m.store.count).allSatisfy { loaded.store.values[$0].bitPattern == m.store.values[$0].bitPattern })
        #expect(loaded.probabilities(train) == m.probabilities(train))
    }

    @Test(arguments: [ClassifierModelKind.recurrent, .cnn])
    func eightBitWeightsAreFourTimesSmallerAndClose(_ kind: ClassifierModelKind) throws {
        let data = try labeled(separableData(count: 90, seed: 1), name: "train")
        let vocabulary = try SentenceClassifier.buildVocabulary(data)
        let config = ClassifierConfig(model: kind, hidden: 32, embedding: 64, vocabularySize: vocabulary.count, classes: 3,
                                      dropout: 0.1, filters: 16)
        let m = try SentenceClassifier(config: config, vocabulary: vocabulary, labels: data.labels)
        m.initialize(seed: 5)
        var options = ClassifierTrainingOptions()
        options.epochs = 8; options.batch = 8; options.learningRate = 0.01
        let examples = try m.encode(data)
        try ClassifierTrainer(model: m, options: options, train: examples, dev: []).run()
        let dir = try TestSupport.temporaryDirectory("lexis-quantized")
        defer { try? FileManager.default.removeItem(at: dir) }
        let full = dir.appendingPathComponent("full.lexis").path, small = dir.appendingPathComponent("small.lexis").path
        try m.save(to: full)
        let ensemble = try ClassifierEnsemble(members: [m])
        try ensemble.save(to: small, quantization: .int8)
        let q = try SentenceClassifier.load(path: small)
        #expect(q.trainingSummary["quantized"] == "int8")
        for view in m.store.views {
            let (a, b) = (m.store.value(view), q.store.value(view))
            if CompactParameters.quantizes(view) {
                for r in 0..<view.rows {
                    let row = (0..<view.cols).map { a[r * view.cols + $0] }
                    let step = (row.map(abs).max() ?? 0) / 127
                    for j in 0..<view.cols { #expect(abs(a[r * view.cols + j] - b[r * view.cols + j]) <= step / 2 * 1.0001) }
                }
            } else {
                #expect((0..<view.count).allSatisfy { a[$0] == b[$0] }, "\(view.name) is kept in 32 bits")
            }
        }
        // 64 columns: 68 bytes a row instead of 256 (3.8x); biases, vocabulary and header stay.
        let ratio = Double(try FileIO.readAll(full).count) / Double(try FileIO.readAll(small).count)
        #expect(ratio > 3.3, "only \(ratio)x smaller")
        #expect(q.predict(examples) == m.predict(examples))
    }

    /// Product quantization of a big table: every pair of columns becomes one of its 256
    /// centroids; a table with at most 256 distinct pairs per column pair comes back exactly.
    @Test func productQuantizedTablesDecodeToTheirCentroids() throws {
        var layout = ParameterLayout()
        let table = layout.add("embedding.weight", rows: 2000, cols: 6)
        let bias = layout.add("output.bias", rows: 1, cols: 3)
        let store = ParameterStore(layout: layout)
        var rng = RandomGenerator(seed: 3)
        // 200 distinct rows repeated: at most 200 distinct pairs in each column pair.
        let distinct = (0..<(200 * 6)).map { _ in rng.uniform(-1, 1) }
        for r in 0..<2000 { for j in 0..<6 { store.value(table)[r * 6 + j] = distinct[(r % 200) * 6 + j] } }
        store.value(table).update(repeating: 0, count: 6)   // row 0 unused
        for j in 0..<3 { store.value(bias)[j] = Float(j) }
        var out = ByteWriter()
        CompactParameters.encode(store, quantization: .pq, into: &out)
        // Per pair of columns 256 centroids (2 KB), then one byte per pair and row: well under 8 bytes a row.
        #expect(out.bytes.count < 3 * 2048 + 2000 * 3 + 2000 * 4 + 200, "\(out.bytes.count) bytes")
        var reader = ByteReader(out.bytes, path: "test", fix: "")
        let back = ParameterStore(layout: layout)
        try CompactParameters.decode(&reader, into: back)
        #expect(reader.isAtEnd)
        let worst = (0..<store.count).map { abs(store.values[$0] - back.values[$0]) }.max()!
        #expect(worst < 1e-6, "worst error \(worst)")
    }

    /// A table of two populations (a bow model's word rows and bigram rows) split into two groups
    /// with codebooks of their own: 200 distinct rows in each come back exactly, where one shared
    /// codebook of 256 centroids cannot hold the 400 distinct pairs; an empty group costs nothing.
    @Test func twoRowGroupsGetCodebooksOfTheirOwn() throws {
        var layout = ParameterLayout()
        let table = layout.add("embedding.weight", rows: 1100, cols: 4)
        let store = ParameterStore(layout: layout)
        var rng = RandomGenerator(seed: 8)
        let words = (0..<(200 * 4)).map { _ in rng.uniform(-1, 1) }, bigrams = (0..<(200 * 4)).map { _ in rng.uniform(-0.1, 0.1) }
        for r in 0..<1100 where r % 7 != 3 {   // some rows unused in both groups
            for j in 0..<4 { store.value(table)[r * 4 + j] = r < 500 ? words[(r % 200) * 4 + j] : bigrams[(r % 200) * 4 + j] }
        }
        func roundTrip(_ groups: [String: Int]) throws -> (worst: Float, bytes: Int) {
            var out = ByteWriter()
            CompactParameters.encode(store, quantization: .pq, groups: groups, into: &out)
            var reader = ByteReader(out.bytes, path: "test", fix: "")
            let back = ParameterStore(layout: layout)
            try CompactParameters.decode(&reader, into: back)
            #expect(reader.isAtEnd)
            return ((0..<store.count).map { abs(store.values[$0] - back.values[$0]) }.max()!, out.bytes.count)
        }
        let grouped = try roundTrip(["embedding.weight": 500])
        #expect(grouped.worst < 1e-6, "worst error \(grouped.worst)")
        let shared = try roundTrip([:])
        #expect(shared.worst > 1e-3, "one codebook for 400 distinct pairs should round some")
        #expect(grouped.bytes == shared.bytes + 4 + 4 + 2 * 256 * 2 * 4, "a split, a second K and a second set of codebooks")
        // A split past every stored row leaves the second group empty.
        store.value(table).advanced(by: 500 * 4).update(repeating: 0, count: 600 * 4)
        let empty = try roundTrip(["embedding.weight": 500])
        #expect(empty.worst < 1e-6)
    }

    @Test func damagedCompactSectionsAreTypedErrors() throws {
        let m = try tinyClassifier(model: .bow, pool: .mean, buckets: 50)
        // Buckets 1... unused (zero), as most are after training.
        let E = m.config.embedding
        (m.store.value(m.embedding.table) + (m.config.vocabularySize + 1) * E).update(repeating: 0, count: 49 * E)
        let dir = try TestSupport.temporaryDirectory("lexis-compact-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.lexis").path
        try m.save(to: path)
        let bytes = try FileIO.readAll(path)
        let section = FramedFiles.sections(bytes).first { $0.tag == "PARZ" }!.payload
        var payload = Array(bytes[section])
        #expect(payload[8] == CompactParameters.sparseFlag, "the embedding table (with empty buckets) is stored sparse")
        func expectMalformed(_ p: [UInt8], _ needle: String) throws {
            let file = try TestSupport.write(bytes: FramedFiles.rewritten(bytes, section: "PARZ", payload: p), to: "bad.lexis", in: dir)
            #expect {
                _ = try SentenceClassifier.load(path: file)
            } throws: { error in
                guard case let LexisError.malformed(_, _, problem, _) = error else { return false }
                return problem.contains(needle)
            }
        }
        try expectMalformed(Array(payload.prefix(payload.count - 3)), "truncated")
        try expectMalformed(payload + [0], "longer")
        var flags = payload
        flags[8] = 9
        try expectMalformed(flags, "unknown encoding")
        var shape = payload
        shape[0] ^= 1
        try expectMalformed(shape, "in the file but")
        // The first two stored rows swapped: out of order.
        (payload[13], payload[17]) = (payload[17], payload[13])
        try expectMalformed(payload, "out of order")
    }
}
