// Ensembles (averaged probabilities, one model file), <unk> learned from words seen once, and
// learning-rate halving on a dev plateau.
@testable import LexisRecurrent
import LexisTensor
import LexisTestSupport
import LexisText
import Foundation
import Testing

@Suite struct EnsembleTests {
    /// `count` models of the separable task trained from seeds 5, 6, ...
    static func members(_ count: Int) throws -> ([SentenceClassifier], [EncodedExample]) {
        var models: [SentenceClassifier] = []
        var examples: [EncodedExample] = []
        for k in 0..<count {
            let (m, e) = try ClassifierTests.trained(.recurrent, cell: .rnn, seed: 5 + UInt64(k))
            models.append(m)
            examples = e
        }
        return (models, examples)
    }

    @Test func anEnsembleOfOneIsTheModel() throws {
        let (models, examples) = try Self.members(1)
        let ensemble = try ClassifierEnsemble(members: models)
        #expect(ensemble.probabilities(examples) == models[0].probabilities(examples))
        #expect(ensemble.predict(examples) == models[0].predict(examples))
    }

    @Test func probabilitiesAreTheMembersAverage() throws {
        let (models, examples) = try Self.members(3)
        let ensemble = try ClassifierEnsemble(members: models)
        let each = models.map { $0.probabilities(examples) }
        for (i, p) in ensemble.probabilities(examples).enumerated() {
            #expect(abs(p.reduce(0, +) - 1) < 1e-5)
            for k in p.indices {
                let mean = (each[0][i][k] + each[1][i][k] + each[2][i][k]) / 3
                #expect(abs(p[k] - mean) < 1e-6)
            }
        }
        #expect(models[0].store.values[0] != models[1].store.values[0])   // different seeds, different models
    }

    @Test func membersMustShareVocabularyAndLabels() throws {
        let a = try tinyClassifier()
        let vocabulary = try classifierVocabulary(["a", "b", "c", "d", "e", "g"], tokenizer: a.tokenizer)
        let b = try SentenceClassifier(config: a.config, vocabulary: vocabulary, labels: a.labels)
        #expect(throws: LexisError.self) { try ClassifierEnsemble(members: [a, b]) }
        #expect(throws: LexisError.self) { try ClassifierEnsemble(members: []) }
    }

    @Test func saveLoadGivesIdenticalPredictions() throws {
        let (models, examples) = try Self.members(3)
        let ensemble = try ClassifierEnsemble(members: models)
        ensemble.trainingSummary = ["best_epoch": "3,4,5"]
        let dir = try TestSupport.temporaryDirectory("lexis-ensemble")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("e.lexis").path
        try ensemble.save(to: path)
        let loaded = try ClassifierEnsemble.load(path: path)
        #expect(loaded.members.count == 3 && loaded.trainingSummary["best_epoch"] == "3,4,5")
        for (m, l) in zip(models, loaded.members) {
            #expect((0..<m.store.count).allSatisfy { l.store.values[$0].bitPattern == m.store.values[$0].bitPattern })
        }
        #expect(loaded.probabilities(examples) == ensemble.probabilities(examples))

        // A single-model loader names the ensemble instead of dropping members silently.
        #expect {
            _ = try SentenceClassifier.load(path: path)
        } throws: { error in
            guard case let LexisError.malformed(_, _, problem, _) = error else { return false }
            return problem.contains("ensemble of 3")
        }
        // A members count that does not match the parameter block is a typed error.
        let bytes = try FileIO.readAll(path)
        for (count, needle) in [("members=4", "(4 x"), ("members=0", "(0 x"), ("members=x", "'members'")] {
            let bad = Self.rewritingHeader(bytes) { $0.replacingOccurrences(of: "members=3", with: count) }
            let file = try TestSupport.write(bytes: bad, to: "bad.lexis", in: dir)
            #expect {
                _ = try ClassifierEnsemble.load(path: file)
            } throws: { error in
                guard case let LexisError.malformed(_, _, problem, _) = error else { return false }
                return problem.contains(needle)
            }
        }
    }

    @Test func versionOneFilesHoldOneModel() throws {
        let (models, examples) = try Self.members(1)
        let dir = try TestSupport.temporaryDirectory("lexis-ensemble-v1")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.lexis").path
        try models[0].save(to: path)
        // Version 1 is the layout before the framing, without the members line and with the
        // tokenizer settings in the header.
        let saved = try FileIO.readAll(path)
        let head = FramedFiles.sections(saved).first { $0.tag == "HEAD" }!.payload
        let header = String(decoding: saved[head], as: UTF8.self).replacingOccurrences(of: "members=1\n", with: "")
            + "tokenizer=\(models[0].tokenizer.description)\n"
        let values = Array(UnsafeBufferPointer(start: models[0].store.values, count: models[0].store.count))
        let v1 = FramedFiles.legacyModel(magic: "LEXISCL\n", version: 1, header: header, labels: models[0].labels,
                                         words: models[0].vocabulary.tokens, values: values)
        let file = try TestSupport.write(bytes: v1, to: "v1.lexis", in: dir)
        let loaded = try SentenceClassifier.load(path: file)
        #expect(loaded.probabilities(examples) == models[0].probabilities(examples))
        #expect(try ClassifierEnsemble.load(path: file).members.count == 1)
    }

    /// The file with its HEAD text edited and the checksum recomputed.
    static func rewritingHeader(_ bytes: [UInt8], _ edit: (String) -> String) -> [UInt8] {
        let head = FramedFiles.sections(bytes).first { $0.tag == "HEAD" }!.payload
        let header = Array(edit(String(decoding: bytes[head], as: UTF8.self)).utf8)
        var out = Array(bytes[..<(head.lowerBound - 8)])   // up to the HEAD section's length
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out += $0 }
        out += header
        out += bytes[head.upperBound...]
        return FramedFiles.resealed(out)
    }
}

@Suite struct UnknownReplacementTests {
    @Test func replacesOnlyWordsSeenOnceAtTheRate() throws {
        let m = try tinyClassifier(model: .bow, bidirectional: false, pool: .mean)
        // "a" and "b" occur 2000 times each, "c" once.
        let V = Int32(m.config.vocabularySize), unk = m.unknownID
        var train = (0..<2000).map { _ in EncodedExample(ids: [m.vocabulary.idOrUnknown("a"), m.vocabulary.idOrUnknown("b")], label: 0) }
        train.append(EncodedExample(ids: [m.vocabulary.idOrUnknown("c")], label: 1))
        var options = ClassifierTrainingOptions()
        options.unknownReplacement = 0.5
        let trainer = ClassifierTrainer(model: m, options: options, train: train, dev: [])
        var replaced = 0
        var rng = RandomGenerator(seed: 9)
        for _ in 0..<400 {
            let dropped = trainer.dropWords(&rng)
            #expect(Array(dropped[0..<2000]) == Array(train[0..<2000]))   // frequent words are never replaced
            if dropped[2000].ids == [unk] { replaced += 1 }
        }
        #expect(abs(Double(replaced) / 400 - 0.5) < 0.1, "\(replaced)")
        #expect(train.allSatisfy { $0.ids.allSatisfy { $0 < V } })
        options.unknownReplacement = 0
        var same = RandomGenerator(seed: 9)
        #expect(ClassifierTrainer(model: m, options: options, train: train, dev: []).dropWords(&same) == train)
    }
}

@Suite struct HalvingTests {
    @Test func halvesOnAPlateauThenStops() throws {
        var options = ClassifierTrainingOptions()
        options.epochs = 60; options.patience = 2; options.halvings = 2; options.halvingPatience = 1
        let (m, trainer) = try ClassifierTests.trainer(options: options)
        try trainer.run()
        #expect(trainer.halvingEpochs.count == 2, "\(trainer.halvingEpochs)")
        // After the last halving, training stops `patience` epochs after the best one at the latest.
        #expect(trainer.history.count < 60 && trainer.history.count - max(trainer.bestEpoch, trainer.halvingEpochs.last!) <= 2)
        // The best epoch's parameters are the ones kept.
        let correct = zip(m.predict(trainer.dev), trainer.dev).filter { $0.0 == Int($0.1.label) }.count
        #expect(abs(Double(correct) / Double(trainer.dev.count) - trainer.bestDevAccuracy) < 1e-9)
    }
}

@Suite struct MixedEnsembleTests {
    /// A cnn, a recurrent and a bow model (with bigrams) of the separable task, trained by one
    /// EnsembleTrainer from word-encoded examples.
    static func trained() throws -> (ClassifierEnsemble, [EncodedExample], [EncodedExample]) {
        let data = try labeled(separableData(count: 90, seed: 1), name: "train")
        let heldOut = try labeled(separableData(count: 30, seed: 2), name: "dev")
        let vocabulary = try SentenceClassifier.buildVocabulary(data)
        let V = vocabulary.count
        var options = ClassifierTrainingOptions()
        options.epochs = 15; options.patience = 0; options.batch = 8; options.learningRate = 0.02
        let members: [(ClassifierConfig, ClassifierTrainingOptions)] = [
            (ClassifierConfig(model: .cnn, embedding: 8, vocabularySize: V, classes: 3, dropout: 0.1, filters: 8), options),
            (ClassifierConfig(model: .recurrent, cell: .rnn, hidden: 6, embedding: 8, vocabularySize: V, classes: 3, dropout: 0.1), options),
            (ClassifierConfig(model: .bow, embedding: 6, vocabularySize: V, bigramBuckets: 50, classes: 3, pool: .mean, dropout: 0), options),
        ]
        let trainer = EnsembleTrainer(members: members, vocabulary: vocabulary, labels: data.labels, seed: 4)
        let (first, _) = try trainer.makeMember(0)
        let train = try first.encode(data), dev = try first.encode(heldOut)
        trainer.weighting = .dev
        let ensemble = try trainer.run(train: train, dev: dev, first: first)
        return (ensemble, train, dev)
    }

    @Test func membersOfThreeArchitecturesTrainSaveAndLoadAsOne() throws {
        let (ensemble, train, dev) = try Self.trained()
        let fitted = ensemble.weights
        #expect(ensemble.isMixed && ensemble.members.map(\.config.model) == [.cnn, .recurrent, .bow])
        #expect(ensemble.trainingSummary["models"] == "cnn,recurrent,bow")
        #expect(abs(fitted.reduce(0, +) - 1) < 1e-6)
        // The bow member reads its bigrams from word-encoded examples by itself.
        let encoded = try ensemble.encode(labeled(separableData(count: 30, seed: 2), name: "dev"))
        #expect(encoded.allSatisfy { $0.ids.allSatisfy { $0 < Int32(ensemble.vocabulary.count) } })
        #expect(ensemble.accuracy(on: train + dev) == 1)
        // Combined probabilities are the weighted sum of the members'.
        let each = ensemble.memberProbabilities(dev)
        for (i, p) in ensemble.probabilities(dev).enumerated() {
            for c in p.indices {
                let mixed = (0..<3).reduce(Float(0)) { $0 + ensemble.weights[$1] * each[$1][i][c] }
                #expect(abs(p[c] - mixed) < 1e-6)
            }
        }
        let dir = try TestSupport.temporaryDirectory("lexis-mixed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("mixed.lexis").path
        try ensemble.setWeights([0.5, 0.3, 0.2])
        try ensemble.save(to: path)
        let loaded = try ClassifierEnsemble.load(path: path)
        #expect(loaded.members.map(\.config) == ensemble.members.map(\.config))
        #expect(loaded.weights == ensemble.weights)
        #expect(loaded.probabilities(dev) == ensemble.probabilities(dev))
        // A parameter block that does not fit the members' architectures is a typed error.
        let bytes = try FileIO.readAll(path)
        let bad = EnsembleTests.rewritingHeader(bytes) { $0.replacingOccurrences(of: "member.2.bigram_buckets=50", with: "member.2.bigram_buckets=80") }
        let file = try TestSupport.write(bytes: bad, to: "bad.lexis", in: dir)
        #expect {
            _ = try ClassifierEnsemble.load(path: file)
        } throws: { error in
            guard case let LexisError.malformed(_, _, problem, _) = error else { return false }
            return problem.contains("is 71 x 6 in the file but 101 x 6 in the header")
        }
        // Weights fitted on dev never lose to the average there.
        try ensemble.setWeights([1, 1, 1])
        let average = ensemble.accuracy(on: dev)
        ensemble.fitWeights(on: dev)
        #expect(ensemble.accuracy(on: dev) >= average)
        // One weight per architecture: the two cnn members share theirs equally.
        let four = try ClassifierEnsemble(members: ensemble.members + [ensemble.members[0]])
        let equalFour = four.accuracy(on: dev)
        four.fitWeights(on: dev, sharing: .architecture)
        #expect(four.weights[0] == four.weights[3] && abs(four.weights.reduce(0, +) - 1) < 1e-6, "\(four.weights)")
        #expect(four.accuracy(on: dev) >= equalFour)
        let one = try ClassifierEnsemble(members: [ensemble.members[0], ensemble.members[0]])
        one.fitWeights(on: dev, sharing: .architecture)
        #expect(one.weights == [0.5, 0.5], "one architecture: nothing to weigh")
        #expect(throws: LexisError.self) { try ensemble.setWeights([1, -1, 1]) }
        #expect(throws: LexisError.self) { try ensemble.setWeights([0, 0, 0]) }
    }
}

