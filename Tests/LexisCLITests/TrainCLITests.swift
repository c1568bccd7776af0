import Foundation
import Testing
import LexisTestSupport

@Suite struct TrainCLITests {
    func corpus(in dir: URL) -> String {
        var text = ""
        let words = ["red", "green", "blue", "one", "two", "three"]
        for i in 0..<400 { text += (0..<10).map { words[($0 * 7 + i) % 3 + (i % 2) * 3] }.joined(separator: " ") + "\n" }
        return TestSupport.writeOrFail(text, to: "corpus.txt", in: dir)
    }

    @Test(arguments: ["v.bin", "v.txt", "v.lexis"])
    func trainsAndWritesEachFormat(name: String) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent(name).path
        let r = try TestSupport.runLexis(["train", corpus(in: dir), "-o", out, "--dim", "16", "--epochs", "2",
                                          "--min-count", "1", "--threads", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("trained skipgram"))
        #expect(FileManager.default.fileExists(atPath: out))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
        if name.hasSuffix(".txt") {
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(text.hasPrefix("6 16\n"))
        }
    }

    @Test func continuesFromVectorsOrACheckpoint() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = dir.appendingPathComponent("first.lexis").path, ckpt = dir.appendingPathComponent("c.ckpt").path
        let r = try TestSupport.runLexis(["train", corpus(in: dir), "-o", first, "--dim", "12", "--epochs", "1",
                                          "--min-count", "1", "--threads", "1", "--checkpoint", ckpt])
        #expect(r.status == 0, "\(r.stderr)")
        let more = try TestSupport.write(String(repeating: "red violet green indigo\n", count: 50), to: "more.txt", in: dir)
        for start in [first, ckpt] {
            let out = dir.appendingPathComponent("next.txt").path
            let c = try TestSupport.runLexis(["train", more, "--init", start, "-o", out, "--epochs", "1", "--threads", "1"])
            #expect(c.status == 0, "\(c.stderr)")
            #expect(c.stderr.contains("continuing from") && c.stderr.contains("2 new words"), "\(c.stderr)")
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(text.hasPrefix("8 12\n") && text.contains("\nviolet ") && text.contains("\nthree "))
        }
        let clash = try TestSupport.runLexis(["train", more, "--init", first, "--resume", ckpt, "-o", "/tmp/x.bin"])
        #expect(clash.status != 0 && clash.stderr.contains("--init"))
        let dim = try TestSupport.runLexis(["train", more, "--init", first, "--dim", "8", "-o", dir.appendingPathComponent("x.bin").path])
        #expect(dim.status != 0 && dim.stderr.contains("--dim 12"), "\(dim.stderr)")
    }

    @Test func deterministicGivesTheSameFileAtAnyThreadCount() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = corpus(in: dir)
        var files: [Data] = []
        for threads in ["1", "3"] {
            let out = dir.appendingPathComponent("v\(threads).bin").path
            let r = try TestSupport.runLexis(["train", text, "-o", out, "--dim", "16", "--epochs", "2", "--min-count", "1",
                                              "--threads", threads, "--deterministic", "--model", "cbow"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("deterministic: 16 parts, rounds of"), "\(r.stderr)")
            files.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        #expect(files[0] == files[1])
        let stdin = try TestSupport.runLexis(["train", "-", "--vocab", "none.tsv", "-o", dir.appendingPathComponent("x.bin").path,
                                              "--deterministic"])
        #expect(stdin.status != 0)
    }

    @Test func quietPrintsNothing() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try TestSupport.runLexis(["train", corpus(in: dir), "-o", dir.appendingPathComponent("v.bin").path,
                                          "--dim", "8", "--epochs", "1", "--min-count", "1", "--model", "cbow", "-q"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
    }

    @Test func everythingBelowMinCount() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = TestSupport.writeOrFail("just a few words\n", to: "tiny.txt", in: dir)
        let r = try TestSupport.runLexis(["train", path, "-o", dir.appendingPathComponent("v.bin").path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("Empty vocabulary: no token of") && r.stderr.contains("Try a smaller --min-count"))
        let empty = TestSupport.writeOrFail("", to: "empty.txt", in: dir)
        let e = try TestSupport.runLexis(["train", empty, "-o", dir.appendingPathComponent("v.bin").path])
        #expect(e.status == 1)
        #expect(e.stderr.contains("Empty vocabulary") && e.stderr.contains("has no tokens"))
    }

    @Test func unreadableCorpusAndBadFlags() throws {
        let missing = try TestSupport.runLexis(["train", "/no/such/corpus.txt", "-o", "/tmp/v.bin"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/no/such/corpus.txt"))
        for flags in [["--dim", "abc"], ["--dim", "0"], ["--model", "glove"], ["--window", "-1"], ["--sample", "2"]] {
            let r = try TestSupport.runLexis(["train", "c.txt", "-o", "/tmp/v.bin"] + flags)
            #expect(r.status == 64, "\(flags): \(r.stderr)")
        }
        let format = try TestSupport.runLexis(["train", "c.txt", "-o", "/tmp/v.weird"])
        #expect(format.status == 64)
        #expect(format.stderr.contains("--format"))
    }

    @Test func stdinNeedsAVocabularyAndOneEpoch() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try String(contentsOfFile: corpus(in: dir), encoding: .utf8)
        let out = dir.appendingPathComponent("v.bin").path
        let noVocab = try TestSupport.runLexis(["train", "-", "-o", out, "--min-count", "1"], stdin: text)
        #expect(noVocab.status == 1)
        #expect(noVocab.stderr.contains("--vocab"))
        let vocab = dir.appendingPathComponent("v.tsv").path
        #expect(try TestSupport.runLexis(["vocab", "build", "-", "-o", vocab, "--min-count", "1"], stdin: text).status == 0)
        let twoEpochs = try TestSupport.runLexis(["train", "-", "-o", out, "--vocab", vocab, "--min-count", "1"], stdin: text)
        #expect(twoEpochs.status == 1)
        #expect(twoEpochs.stderr.contains("one epoch"))
        let ok = try TestSupport.runLexis(["train", "-", "-o", out, "--vocab", vocab, "--min-count", "1", "--epochs", "1",
                                           "--dim", "8"], stdin: text)
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test func checkpointAndResume() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = corpus(in: dir)
        let ckpt = dir.appendingPathComponent("run.ckpt").path
        let a = dir.appendingPathComponent("a.bin").path, b = dir.appendingPathComponent("b.bin").path
        let common = ["--dim", "8", "--epochs", "2", "--min-count", "1", "--threads", "1", "--seed", "9"]
        let first = try TestSupport.runLexis(["train", c, "-o", a, "--checkpoint", ckpt] + common)
        #expect(first.status == 0, "\(first.stderr)")
        // Resuming a finished run trains nothing more and writes the same vectors.
        let again = try TestSupport.runLexis(["train", c, "-o", b, "--resume", ckpt])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
    }
}

@Suite struct OutputPathTests {
    /// An output that cannot be written is an error before any training, not after it.
    @Test(arguments: ["train", "vocab", "lm", "classify"])
    func unwritableOutputsFailBeforeTheWork(_ command: String) throws {
        let dir = try TestSupport.temporaryDirectory("lexis-output")
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = try TestSupport.write("a b c\nb c d\n", to: "c.txt", in: dir)
        let tsv = try TestSupport.write("x\ta b\ny\tc d\n", to: "t.tsv", in: dir)
        // A folder named like a vectors file, so that only its being a folder is wrong.
        let folder = dir.appendingPathComponent("out.bin")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (output, problem) in [(folder.path, "it is a folder"), (dir.path + "/missing/out.bin", "does not exist")] {
            let arguments: [String]
            switch command {
            case "train": arguments = ["train", corpus, "-o", output, "--min-count", "1"]
            case "vocab": arguments = ["vocab", "build", corpus, "-o", output]
            case "lm": arguments = ["lm", "train", "--train", corpus, "-o", output]
            default: arguments = ["classify", "train", "--train", tsv, "-o", output]
            }
            let r = try TestSupport.runLexis(arguments)
            #expect(r.status == 1 && r.stderr.contains("cannot write '\(output)'") && r.stderr.contains(problem), "\(r.stderr)")
            #expect(!r.stderr.contains("epoch") && !r.stdout.contains("epoch"), "no training before the error: \(r.stdout)")
        }
    }
}
