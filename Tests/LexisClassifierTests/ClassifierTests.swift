// Library-level behaviour: reading labeled data, learning a separable task, model files.
@testable import LexisRecurrent
import LexisTensor
import LexisTestSupport
import LexisVectors
import LexisText
import Foundation
import Testing

/// A task a bag of words separates: the label is carried by one cue word among random fillers.
func separableData(count: Int, seed: UInt64) -> String {
    var rng = RandomGenerator(seed: seed)
    let fillers = ["the", "a", "film", "movie", "story", "plot", "was", "is", "very", "quite", "and", "but", "it"]
    let cues = ["pos": ["great", "wonderful"], "neg": ["awful", "boring"], "mid": ["okay", "average"]]
    let labels = ["pos", "neg", "mid"]
    var lines: [String] = []
    for i in 0..<count {
        let label = labels[i % 3]
        var words = (0..<(2 + Int(rng.next() % 6))).map { _ in fillers[Int(rng.next() % UInt64(fillers.count))] }
        let cue = cues[label]![Int(rng.next() % 2)]
        words.insert(cue, at: Int(rng.next() % UInt64(words.count + 1)))
        lines.append("\(label)\t\(words.joined(separator: " "))")
    }
    return lines.joined(separator: "\n") + "\n"
}

@Suite struct ClassifierTests {
    static let options = TokenizerOptions()

    @Test func readsLabeledTextAndReportsEmptyTexts() throws {
        let text = "pos\tA great film!\n\nneg\t  ...  \nneg\tboring\r\n"
        let data = try labeled(text, name: "x.tsv", tokenizer: Self.options)
        #expect(data.examples.map(\.label) == ["pos", "neg"])
        #expect(data.tokens(of: data.examples[0]) == ["a", "great", "film"])
        #expect(data.examples[1].line == 4 && data.tokens(of: data.examples[1]) == ["boring"])
        #expect(data.emptyLines == [3])
        #expect(data.labels == ["neg", "pos"])
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let text: String, line: Int, problem: String
        var testDescription: String { problem }
    }

    @Test(arguments: [
        Malformed(text: "pos\tfine\nno tab on this line\n", line: 2, problem: "no tab"),
        Malformed(text: "pos\tfine\nneg\tok\n\tmissing label\n", line: 3, problem: "empty label"),
        Malformed(text: " \tspace label\n", line: 1, problem: "empty label"),
    ])
    func malformedLinesNameTheLine(_ c: Malformed) {
        #expect {
            _ = try labeled(c.text, name: "data.tsv", tokenizer: Self.options)
        } throws: { error in
            guard case let LexisError.malformed(path, line, problem, _) = error else { return false }
            return path.hasSuffix("/data.tsv") && line == c.line && problem.contains(c.problem)
        }
    }

    /// A model of the separable task and its trainer (not yet run).
    static func trainer(_ model: ClassifierModelKind = .recurrent, cell: CellKind = .lstm, seed: UInt64 = 5,
                        options: ClassifierTrainingOptions) throws -> (SentenceClassifier, ClassifierTrainer) {
        let data = try labeled(separableData(count: 90, seed: 1), name: "train", tokenizer: Self.options)
        let heldOut = try labeled(separableData(count: 30, seed: 2), name: "dev", tokenizer: Self.options)
        let vocabulary = try SentenceClassifier.buildVocabulary(data)
        // No bigrams: bigrams of random fillers are spurious features a set this small memorizes.
        let config = ClassifierConfig(model: model, cell: cell, hidden: 8, embedding: 8, vocabularySize: vocabulary.count,
                                      bigramBuckets: 0, classes: 3, pool: model == .bow ? .mean : .max,
                                      dropout: 0.1, filters: 16)
        let m = try SentenceClassifier(config: config, vocabulary: vocabulary, labels: data.labels)
        m.initialize(seed: seed)
        var options = options
        options.batch = 8; options.learningRate = 0.02
        let train = try m.encode(data), dev = try m.encode(heldOut)
        return (m, ClassifierTrainer(model: m, options: options, train: train, dev: dev))
    }

    static func trained(_ model: ClassifierModelKind, cell: CellKind = .lstm,
                        seed: UInt64 = 5) throws -> (SentenceClassifier, [EncodedExample]) {
        var options = ClassifierTrainingOptions()
        options.epochs = 30; options.patience = 0
        let (m, trainer) = try trainer(model, cell: cell, seed: seed, options: options)
        try trainer.run()
        #expect(trainer.history.first!.trainLoss > trainer.history.last!.trainLoss)
        return (m, trainer.train + trainer.dev)
    }

    @Test(arguments: [ClassifierModelKind.recurrent, .bow, .cnn])
    func learnsASeparableTaskCompletely(_ kind: ClassifierModelKind) throws {
        let (m, examples) = try Self.trained(kind)
        let predicted = m.predict(examples)
        let correct = zip(predicted, examples).filter { $0.0 == Int($0.1.label) }.count
        #expect(correct == examples.count, "\(correct) of \(examples.count)")
    }

    @Test func saveLoadGivesIdenticalPredictions() throws {
        let (m, examples) = try Self.trained(.recurrent, cell: .rnn)
        let dir = try TestSupport.temporaryDirectory("lexis-classifier")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.lexis").path
        m.trainingSummary = ["best_epoch": "3"]
        try m.save(to: path)
        let loaded = try SentenceClassifier.load(path: path)
        #expect(loaded.config == m.config && loaded.labels == m.labels && loaded.vocabulary.sameContents(as: m.vocabulary))
        #expect(loaded.tokenizer == m.tokenizer && loaded.trainingSummary["best_epoch"] == "3")
        #expect((0..<m.store.count).allSatisfy { loaded.store.values[$0].bitPattern == m.store.values[$0].bitPattern })
        #expect(loaded.probabilities(examples) == m.probabilities(examples))

        // Truncated, corrupted, foreign and future files are typed errors.
        let bytes = try FileIO.readAll(path)
        func expectMalformed(_ data: [UInt8], _ needle: String) throws {
            let bad = try TestSupport.write(bytes: data, to: "bad.lexis", in: dir)
            #expect {
                _ = try SentenceClassifier.load(path: bad)
            } throws: { error in
                guard case let LexisError.malformed(_, _, problem, _) = error else { return false }
                return problem.contains(needle)
            }
        }
        try expectMalformed(Array(bytes.prefix(bytes.count / 2)), "truncated")
        try expectMalformed(Array(bytes.prefix(10)), "magic")
        var flipped = bytes
        flipped[bytes.count - 20] ^= 0x40
        try expectMalformed(flipped, "checksum")
        var future = bytes
        future[8] = 9
        try expectMalformed(future, "newer")
        try expectMalformed(Array("LEXISLM\n".utf8) + bytes.dropFirst(8), "magic")

        // A version 3 file (no loss or convolution fields) still loads: softmax, same predictions.
        let head = FramedFiles.sections(bytes).first { $0.tag == "HEAD" }!.payload
        let oldHeader = String(decoding: bytes[head], as: UTF8.self).split(separator: "\n")
            .filter { !$0.hasPrefix("loss=") && !$0.hasPrefix("filter") }.joined(separator: "\n") + "\n"
        #expect(!oldHeader.contains("loss") && oldHeader.contains("model=recurrent"))
        let v3 = try TestSupport.write(bytes: FramedFiles.rewritten(bytes, section: "HEAD", payload: Array(oldHeader.utf8), version: 3),
                                       to: "v3.lexis", in: dir)
        let old = try SentenceClassifier.load(path: v3)
        var expected = m.config
        expected.filters = 100   // what a file without the field means (the test model has 16)
        #expect(old.config == expected && old.config.loss == .softmax)
        #expect(old.probabilities(examples) == m.probabilities(examples))
    }

    @Test func convolutionalAndOneVsAllModelsRoundTrip() throws {
        let (m, examples) = try Self.trained(.cnn)
        let dir = try TestSupport.temporaryDirectory("lexis-classifier-cnn")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.lexis").path
        try m.save(to: path)
        let loaded = try SentenceClassifier.load(path: path)
        #expect(loaded.config == m.config && loaded.config.filterWidths == [3, 4, 5] && loaded.config.filters == 16)
        #expect(loaded.probabilities(examples) == m.probabilities(examples))
        let bytes = try FileIO.readAll(path)
        #expect(bytes[8] == 4, "classifier files are version 4")
    }
}

@Suite struct WordDropoutTests {
    @Test func replacesWordsAtTheRateAndKeepsBigrams() throws {
        let m = try tinyClassifier(model: .bow, bidirectional: false, pool: .mean, buckets: 5)
        let words = (0..<2000).map { ["a", "b", "c", "d", "e", "f"][$0 % 6] }
        let example = EncodedExample(ids: m.encode(tokens: words), label: 0)
        var options = ClassifierTrainingOptions()
        options.wordDropout = 0.3
        let trainer = ClassifierTrainer(model: m, options: options, train: [example], dev: [])
        var rng = RandomGenerator(seed: 4)
        let dropped = trainer.dropWords(&rng)[0].ids
        let V = Int32(m.config.vocabularySize), unk = m.vocabulary.unknownID
        let replaced = zip(example.ids, dropped).filter { $0.0 != $0.1 }
        #expect(replaced.allSatisfy { $0.0 < V && $0.1 == unk })
        #expect(Array(dropped[2000...]) == Array(example.ids[2000...]))   // bigram ids untouched
        #expect(abs(Double(replaced.count) / 2000 - 0.3) < 0.04, "\(replaced.count)")
    }
}

@Suite struct PretrainedEmbeddingTests {
    /// Vectors for two training words and one word seen only at prediction time.
    static let values: [Float] = (0..<24).map { Float($0 % 8) * 0.05 - 0.2 + Float($0 / 8) * 0.01 }
    static let vectors = try! WordVectors(words: ["great", "awful", "superb"], dimension: 8, vectors: values)

    @Test func frozenVectorsStayAndUnseenWordsKeepTheirVector() throws {
        let options = TokenizerOptions()
        let data = try labeled(separableData(count: 60, seed: 1), name: "train", tokenizer: options)
        let vocabulary = try SentenceClassifier.buildVocabulary(data, vectors: Self.vectors)
        #expect(vocabulary.contains("superb") && vocabulary.contains("great"))   // vector-only word kept
        let config = ClassifierConfig(hidden: 4, embedding: 8, vocabularySize: vocabulary.count, classes: 3,
                                      dropout: 0.2, frozenEmbedding: true)
        let m = try SentenceClassifier(config: config, vocabulary: vocabulary, labels: data.labels)
        m.initialize(seed: 2)
        #expect(try m.loadEmbeddings(Self.vectors) == 3)
        var training = ClassifierTrainingOptions()
        training.epochs = 2; training.batch = 8; training.learningRate = 0.01
        try ClassifierTrainer(model: m, options: training, train: try m.encode(data), dev: []).run()
        let table = m.store.value(m.embedding.table)
        for (row, word) in Self.vectors.words.enumerated() {
            let id = Int(m.vocabulary.idOrUnknown(word))
            #expect((0..<8).allSatisfy { table[id * 8 + $0] == Self.values[row * 8 + $0] }, "\(word)")
        }
        // A word in neither the training data nor the vectors is <unk>, whose row is zero.
        #expect(m.encode(tokens: ["zyzzyva"]) == [m.unknownID])
        #expect((0..<8).allSatisfy { table[Int(m.unknownID) * 8 + $0] == 0 })
        #expect(throws: LexisError.self) {
            try m.loadEmbeddings(WordVectors(words: ["great"], dimension: 3, vectors: [0, 0, 0]))
        }
    }
}

@Suite struct ClassifierDivergenceTests {
    @Test func aNaNLossStopsTrainingWithWhereAndWhatToTry() throws {
        var options = ClassifierTrainingOptions()
        options.optimizer = .sgd
        options.clip = 0
        options.epochs = 3
        let (model, made) = try ClassifierTests.trainer(.bow, options: options)
        var absurd = made.options
        absurd.learningRate = 1e30   // the weights overflow to inf, then the loss is NaN
        let trainer = ClassifierTrainer(model: model, options: absurd, train: made.train, dev: made.dev)
        #expect {
            try trainer.run()
        } throws: { error in
            guard case let LexisError.diverged(message) = error else { return false }
            return message.contains("training diverged in epoch") && message.contains("--lr")
        }
    }
}
