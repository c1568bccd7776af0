// Runs the built `lexis` binary: `lexis lm train|eval|generate`.
import Foundation
import LexisTestSupport
import Testing

@Suite(.serialized) struct LMCommandTests {
    static func corpus(in dir: URL) throws -> (train: String, valid: String) {
        (try TestSupport.write(tinyCorpus(lines: 40), to: "train.txt", in: dir),
         try TestSupport.write("the cat sat on the mat\nthe dog ran in the park\n", to: "valid.txt", in: dir))
    }

    static let small = ["--hidden", "12", "--layers", "1", "--batch", "4", "--bptt", "5", "--eval-batch", "2", "--threads", "1"]

    @Test func trainEvalGenerate() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-cli-lm")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (train, valid) = try Self.corpus(in: dir)
        let model = dir.appendingPathComponent("m.lexis").path, plot = dir.appendingPathComponent("curve.svg").path
        let r = try TestSupport.runLexis(["lm", "train", "--train", train, "--valid", valid, "--test", valid,
                                          "--epochs", "3", "--plot", plot, "-o", model] + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("epoch 1") && r.stdout.contains("epoch 3") && r.stdout.contains("valid ppl"))
        #expect(r.stdout.contains("test ppl"))
        #expect(r.stderr.contains("model written to"))
        #expect(FileManager.default.fileExists(atPath: model) && FileManager.default.fileExists(atPath: model + ".checkpoint"))
        let svg = try String(contentsOfFile: plot, encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))

        let e = try TestSupport.runLexis(["lm", "eval", "--model", model, valid])
        #expect(e.status == 0, "\(e.stderr)")
        #expect(e.stdout.hasPrefix("perplexity "))

        let g1 = try TestSupport.runLexis(["lm", "generate", "--model", model, "--prompt", "the cat", "--words", "12", "--seed", "4"])
        let g2 = try TestSupport.runLexis(["lm", "generate", "--model", model, "--prompt", "the cat", "--words", "12", "--seed", "4"])
        #expect(g1.status == 0 && g1.stdout == g2.stdout && g1.stdout.hasPrefix("the cat"))

        // --resume continues after the last finished epoch.
        let resumed = try TestSupport.runLexis(["lm", "train", "--train", train, "--valid", valid, "--epochs", "4",
                                                "--resume", model + ".checkpoint", "-o", model] + Self.small)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("epoch 4") && !resumed.stdout.contains("epoch 3 "))
        #expect(resumed.stderr.contains("resuming"))
    }

    @Test func embeddingsFromAWordVectorFile() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-cli-lm")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (train, _) = try Self.corpus(in: dir)
        let vectors = try TestSupport.write("2 3\nthe 0.1 0.2 0.3\ncat 0.3 0.2 0.1\n", to: "v.txt", in: dir)
        let r = try TestSupport.runLexis(["lm", "train", "--train", train, "--epochs", "1", "--embeddings", vectors,
                                          "--freeze-embeddings", "-o", dir.appendingPathComponent("m.lexis").path] + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("embeddings: 2 of"))
        #expect(r.stderr.contains("embedding 3"))
    }

    @Test(arguments: [["--hidden", "abc"], ["--dropout", "1.5"], ["--cell", "gru"], ["--bptt", "0"],
                      ["--tied", "--embedding-size", "7"], ["--freeze-embeddings"]])
    func badFlagsExit64WithUsage(_ flags: [String]) throws {
        let r = try TestSupport.runLexis(["lm", "train", "--train", "x.txt", "-o", "m.lexis"] + flags)
        #expect(r.status == 64, "\(flags): \(r.status) \(r.stderr)")
        #expect(r.stderr.lowercased().contains("usage"))
    }

    @Test func badInputFilesExit1WithOneLineErrors() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-cli-lm")
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try TestSupport.runLexis(["lm", "train", "--train", dir.path + "/nope.txt", "-o", dir.path + "/m.lexis"])
        #expect(missing.status == 1 && missing.stderr.contains("nope.txt"))
        let empty = try TestSupport.write("\n\n", to: "empty.txt", in: dir)
        let e = try TestSupport.runLexis(["lm", "train", "--train", empty, "-o", dir.path + "/m.lexis"])
        #expect(e.status == 1 && e.stderr.contains("no tokens"))
        let junk = try TestSupport.write("this is not a model", to: "junk.lexis", in: dir)
        let j = try TestSupport.runLexis(["lm", "eval", "--model", junk, empty])
        #expect(j.status == 1 && j.stderr.contains("not a Lexis language model") && j.stderr.contains("junk.lexis"))
        let g = try TestSupport.runLexis(["lm", "generate", "--model", dir.path + "/none.lexis"])
        #expect(g.status == 1 && g.stderr.contains("none.lexis"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/m.lexis"))
    }

    @Test func helpDocumentsTheLearningRateConvention() throws {
        let r = try TestSupport.runLexis(["lm", "train", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("SUMMED over the --bptt steps"))
        #expect(r.stdout.contains("default: 13"))
    }
}
