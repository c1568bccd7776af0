// Runs the built `lexis` binary: `lexis classify train|test|predict`.
import Foundation
import LexisRecurrent
import LexisTestSupport
import Testing

@Suite(.serialized) struct ClassifyCommandTests {
    static let small = ["--hidden", "6", "--embedding-size", "8", "--epochs", "12", "--batch", "8", "--lr", "0.02",
                        "--threads", "1", "--seed", "3"]

    @Test func trainTestPredict() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-cli-classify")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try TestSupport.write(separableData(count: 60, seed: 1) + "pos\t ... \n", to: "train.tsv", in: dir)
        let dev = try TestSupport.write(separableData(count: 30, seed: 2), to: "dev.tsv", in: dir)
        let model = dir.appendingPathComponent("m.lexis").path
        let r = try TestSupport.runLexis(["classify", "train", "--train", train, "--dev", dev, "--test", dev, "-o", model] + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("epoch 1 ") && r.stdout.contains("dev acc") && r.stdout.contains("examples/s"))
        #expect(r.stdout.contains("test accuracy 100.00"), "\(r.stdout)")
        // The default is an ensemble of 3 LSTMs, a CNN and a bow model from seeds 3 to 7, weighted per architecture on dev.
        #expect(r.stdout.contains("model 3 of 5 (recurrent, seed 5)") && r.stdout.contains("model 4 of 5 (cnn, seed 6)")
                && r.stdout.contains("model 5 of 5 (bow, seed 7)"), "\(r.stdout)")
        #expect(r.stdout.contains("ensemble dev accuracy") && r.stdout.contains("(5 models, weights "), "\(r.stdout)")
        #expect(r.stderr.contains("mixed ensemble of 5: 3 x bilstm 1x6 pool max (embedding 8, ") && r.stderr.contains(" parameters each), cnn widths"),
                "\(r.stderr)")
        let weights = try ClassifierEnsemble.load(path: model).weights
        #expect(weights[0] == weights[1] && weights[1] == weights[2], "the LSTMs share one weight: \(weights)")
        #expect(r.stderr.contains("skipped 1 example(s) with no words (line 61)"), "\(r.stderr)")
        #expect(r.stderr.contains("model written to"))

        let t = try TestSupport.runLexis(["classify", "test", "--model", model, dev])
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.hasPrefix("accuracy 100.00 (30/30)") && t.stdout.contains("macro-F1") && t.stdout.contains("confusion"))
        let j = try TestSupport.runLexis(["classify", "test", "--model", model, "--json", dev])
        #expect(j.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any]
        #expect(object?["accuracy"] as? Double == 1.0)
        #expect((object?["labels"] as? [String]) == ["mid", "neg", "pos"])

        let p = try TestSupport.runLexis(["classify", "predict", "--model", model, "--top", "2"],
                                         stdin: "what a wonderful film\n\nboring and awful\n")
        #expect(p.status == 0, "\(p.stderr)")
        let lines = p.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[1].isEmpty, "\(p.stdout)")
        #expect(lines[0].hasPrefix("pos\t") && lines[2].hasPrefix("neg\t"), "\(p.stdout)")
        #expect(lines[0].split(separator: "\t").count == 4)
        #expect(p.stderr.contains("1 line(s) had no words"))

        let b = try TestSupport.runLexis(["classify", "train", "--train", train, "--dev", dev, "-o", dir.appendingPathComponent("b.lexis").path,
                                          "--model", "bow", "--epochs", "15", "--batch", "8", "--embedding-size", "8", "--lr", "0.05", "--quiet"])
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stderr.isEmpty, "\(b.stderr)")

        let small = dir.appendingPathComponent("q.lexis").path
        let q = try TestSupport.runLexis(["classify", "quantize", "--model", model, "-o", small, "--test", dev])
        #expect(q.status == 0, "\(q.stderr)")
        #expect(q.stdout.contains("x smaller") && q.stdout.contains("accuracy 100.00 -> 100.00 (+0.00 points, 30 examples)"), "\(q.stdout)")
        let qt = try TestSupport.runLexis(["classify", "test", "--model", small, dev])
        #expect(qt.status == 0 && qt.stdout.hasPrefix("accuracy 100.00"), "\(qt.stdout)\(qt.stderr)")
    }

    @Test func ensembleTrainsEachSeedAndPredictsFromOneFile() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-cli-ensemble")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try TestSupport.write(separableData(count: 60, seed: 1), to: "train.tsv", in: dir)
        let dev = try TestSupport.write(separableData(count: 30, seed: 2), to: "dev.tsv", in: dir)
        let model = dir.appendingPathComponent("e.lexis").path
        let small = Self.small.filter { $0 != "--seed" && $0 != "3" } + ["--epochs", "6"]
        let r = try TestSupport.runLexis(["classify", "train", "--train", train, "--dev", dev, "--test", dev, "-o", model,
                                          "--ensemble", "2", "--seed", "7", "--unk-replacement", "0.5", "--halvings", "1"] + small)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("model 1 of 2 (seed 7)") && r.stdout.contains("model 2 of 2 (seed 8)"), "\(r.stdout)")
        #expect(r.stdout.contains("ensemble dev accuracy") && r.stdout.contains("test accuracy"), "\(r.stdout)")
        #expect(r.stderr.contains("per model, ensemble of 2"), "\(r.stderr)")
        let t = try TestSupport.runLexis(["classify", "test", "--model", model, dev])
        #expect(t.status == 0 && t.stdout.hasPrefix("accuracy"), "\(t.stderr)")
        let p = try TestSupport.runLexis(["classify", "predict", "--model", model], stdin: "what a wonderful film\n")
        #expect(p.status == 0 && p.stdout.hasPrefix("pos\t"), "\(p.stdout) \(p.stderr)")
        let bad = try TestSupport.runLexis(["classify", "train", "--train", train, "-o", model, "--ensemble", "0"])
        #expect(bad.status == 64 && bad.stderr.contains("--ensemble must be at least 1"))
    }

    @Test func tokenizerFlagsAreStoredInTheModel() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-cli-classify-tokenizer")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try TestSupport.write(separableData(count: 40, seed: 1), to: "train.tsv", in: dir)
        let model = dir.appendingPathComponent("t.lexis").path
        let r = try TestSupport.runLexis(["classify", "train", "--train", train, "-o", model, "--ensemble", "1",
                                          "--epochs", "1", "--no-fold-case", "--keep-punctuation", "--quiet"] + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        let loaded = try ClassifierEnsemble.load(path: model)
        #expect(!loaded.tokenizer.caseFold && loaded.tokenizer.keepPunctuation)
        let folded = try TestSupport.runLexis(["classify", "train", "--train", train, "-o", model, "--ensemble", "1",
                                               "--epochs", "1", "--quiet"] + Self.small)
        #expect(folded.status == 0, "\(folded.stderr)")
        let defaults = try ClassifierEnsemble.load(path: model)
        #expect(defaults.tokenizer.caseFold && !defaults.tokenizer.keepPunctuation)
    }

    @Test func errorsAreOneLineWithExitCodes() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-cli-classify-errors")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = try TestSupport.write("pos\tgood\nneg bad no tab\n", to: "bad.tsv", in: dir)
        let out = dir.appendingPathComponent("m.lexis").path
        let r = try TestSupport.runLexis(["classify", "train", "--train", bad, "-o", out])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.tsv:2: no tab between label and text"), "\(r.stderr)")
        let flags = try TestSupport.runLexis(["classify", "train", "--train", bad, "-o", out, "--hidden", "abc"])
        #expect(flags.status == 64)
        let freeze = try TestSupport.runLexis(["classify", "train", "--train", bad, "-o", out, "--freeze"])
        #expect(freeze.status == 64 && freeze.stderr.contains("--freeze needs --embeddings"))
        let noModel = try TestSupport.runLexis(["classify", "predict", "--model", bad], stdin: "x\n")
        #expect(noModel.status == 1 && noModel.stderr.contains("not a Lexis classifier"))
        let knn = try TestSupport.runLexis(["classify", "train", "--train", bad, "-o", out, "--model", "knn"])
        #expect(knn.status == 64 && knn.stderr.contains("--model knn needs --embeddings"), "\(knn.stderr)")
        let kind = try TestSupport.runLexis(["classify", "train", "--train", bad, "-o", out, "--model", "cnn,gru"])
        #expect(kind.status == 64 && kind.stderr.contains("--model must be recurrent, cnn, bow or knn"), "\(kind.stderr)")
        let widths = try TestSupport.runLexis(["classify", "train", "--train", bad, "-o", out, "--model", "cnn", "--filter-widths", "3,x"])
        #expect(widths.status == 64 && widths.stderr.contains("--filter-widths"), "\(widths.stderr)")
        let help = try TestSupport.runLexis(["classify", "train", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--bidirectional") && help.stdout.contains("default: 150"))
        #expect(help.stdout.contains("(default: 3; bow, cnn and knn 1)") && help.stdout.contains("(default: 0.5; bow 0)"), "\(help.stdout)")
    }

    /// fastText-format multi-label data: ova by default, `test --top 2` gives P@2 / R@2 and the
    /// per-label table, `predict --top --threshold` filters by probability.
    @Test func multiLabelTrainTestPredict() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-cli-multilabel")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try TestSupport.write(multiLabelData(count: 80, seed: 1), to: "train.txt", in: dir)
        let model = dir.appendingPathComponent("ml.lexis").path
        let r = try TestSupport.runLexis(["classify", "train", "--train", train, "--test", train, "-o", model, "--model", "bow",
                                          "--epochs", "40", "--batch", "8", "--lr", "0.05", "--embedding-size", "12",
                                          "--no-bigrams", "--threads", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("one-vs-all loss") && r.stdout.contains("test P@1 100.00"), "\(r.stdout)\(r.stderr)")
        let t = try TestSupport.runLexis(["classify", "test", "--model", model, "--top", "2", train])
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.hasPrefix("P@2 100.00\nR@2 100.00\nexamples 80"), "\(t.stdout)")
        #expect(t.stdout.contains("precision  recall      f1  support  predicted") && t.stdout.contains("travel     100.00  100.00  100.00       40         40"), "\(t.stdout)")
        let j = try TestSupport.runLexis(["classify", "test", "--model", model, "--top", "2", "--json", train])
        let object = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any]
        #expect(object?["precision_at_k"] as? Double == 1.0 && object?["k"] as? Int == 2, "\(j.stdout)")
        let p = try TestSupport.runLexis(["classify", "predict", "--model", model, "--top", "4", "--threshold", "0.5"],
                                         stdin: "we saw a goal and a guitar\nthe\n")
        #expect(p.status == 0, "\(p.stderr)")
        let first = p.stdout.split(separator: "\n", omittingEmptySubsequences: false)[0].split(separator: "\t")
        #expect(first.count == 4 && Set([first[0], first[2]]) == ["music", "sport"], "\(p.stdout)")
        let softmax = try TestSupport.runLexis(["classify", "train", "--train", train, "-o", model, "--loss", "softmax"])
        #expect(softmax.status == 1 && softmax.stderr.contains("train.txt:1: several labels on one line"), "\(softmax.stderr)")
    }

    /// --model with a list: one member of each kind in one file, each with its own seed.
    @Test func mixedEnsembleFromTheCommandLine() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-cli-mixed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try TestSupport.write(separableData(count: 60, seed: 1), to: "train.tsv", in: dir)
        let dev = try TestSupport.write(separableData(count: 30, seed: 2), to: "dev.tsv", in: dir)
        let model = dir.appendingPathComponent("mixed.lexis").path
        let small = Self.small.filter { $0 != "--hidden" && $0 != "6" } + ["--hidden", "6", "--filters", "8", "--ensemble-weights", "dev"]
        let r = try TestSupport.runLexis(["classify", "train", "--train", train, "--dev", dev, "--test", dev, "-o", model,
                                          "--model", "cnn,recurrent,bow"] + small)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("model 1 of 3 (cnn, seed 3)") && r.stdout.contains("model 3 of 3 (bow, seed 5)"), "\(r.stdout)")
        #expect(r.stderr.contains("mixed ensemble of 3: cnn widths 3,4,5 x 8 filters"), "\(r.stderr)")
        #expect(r.stdout.contains("ensemble dev accuracy") && r.stdout.contains("weights") && r.stdout.contains("test accuracy 100.00"), "\(r.stdout)")
        let loaded = try ClassifierEnsemble.load(path: model)
        #expect(loaded.members.map(\.config.model) == [.cnn, .recurrent, .bow])
        let bad = try TestSupport.runLexis(["classify", "train", "--train", train, "-o", model, "--model", "cnn,bow", "--ensemble", "2"])
        #expect(bad.status == 64 && bad.stderr.contains("drop --ensemble"))
    }

    @Test func nearestNeighboursOverATrainedEncoder() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-cli-knn-encoder")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try TestSupport.write(separableData(count: 60, seed: 1), to: "train.tsv", in: dir)
        let dev = try TestSupport.write(separableData(count: 30, seed: 2), to: "dev.tsv", in: dir)
        let cnn = dir.appendingPathComponent("cnn.lexis").path, knn = dir.appendingPathComponent("knn.lexis").path
        let c = try TestSupport.runLexis(["classify", "train", "--train", train, "--dev", dev, "-o", cnn, "--model", "cnn",
                                          "--filters", "8", "--quiet"] + Self.small)
        #expect(c.status == 0, "\(c.stderr)")
        let r = try TestSupport.runLexis(["classify", "train", "--train", train, "--dev", dev, "--test", dev, "-o", knn,
                                          "--model", "knn", "--encoder", cnn])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("knn over the pooled vectors of \(cnn) (cnn), 60 training sentences"), "\(r.stderr)")
        #expect(r.stdout.contains("best dev accuracy") && r.stdout.contains("neighbours (chosen on dev))") && r.stdout.contains("test accuracy 100.00"), "\(r.stdout)")
        let loaded = try ClassifierEnsemble.load(path: knn)
        #expect(loaded.config.model == .cnn && loaded.config.memory == 60 && loaded.config.votesByNeighbours)
        let t = try TestSupport.runLexis(["classify", "test", "--model", knn, dev])
        #expect(t.status == 0 && t.stdout.hasPrefix("accuracy 100.00 (30/30)"), "\(t.stdout)\(t.stderr)")
        let wrongKind = try TestSupport.runLexis(["classify", "train", "--train", train, "-o", knn, "--model", "cnn", "--encoder", cnn])
        #expect(wrongKind.status == 64 && wrongKind.stderr.contains("use it with --model knn alone"), "\(wrongKind.stderr)")
        let again = try TestSupport.runLexis(["classify", "train", "--train", train, "-o", dir.appendingPathComponent("k2.lexis").path,
                                              "--model", "knn", "--encoder", knn])
        #expect(again.status != 0 && again.stderr.contains("already votes by neighbours"), "\(again.stderr)")
    }
}
