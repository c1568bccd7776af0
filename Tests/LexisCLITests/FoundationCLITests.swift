import Foundation
import Testing
import LexisTestSupport

/// Runs of the built `lexis` binary: stdout, stderr and exit codes.
@Suite struct FoundationCLITests {
    @Test func tokenizeFromStdin() throws {
        let r = try TestSupport.runLexis(["tokenize"], stdin: "Hello, World!\n\nDon't PANIC 42\n")
        #expect(r.status == 0)
        #expect(r.stdout == "hello world\n\ndon't panic 42\n")
        #expect(r.stderr.isEmpty)
    }

    @Test func tokenizeReportsInvalidUTF8() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.write(bytes: Array("ok ".utf8) + [0xFF] + Array(" fine\n".utf8), to: "bad.txt", in: dir)
        let r = try TestSupport.runLexis(["tokenize", path])
        #expect(r.status == 0)
        #expect(r.stdout == "ok fine\n")
        #expect(r.stderr.contains("replaced 1 invalid UTF-8"))
        let quiet = try TestSupport.runLexis(["tokenize", "--quiet", path])
        #expect(quiet.stderr.isEmpty)
    }

    @Test func tokenizeWhitespaceModeAndEmptyInput() throws {
        let r = try TestSupport.runLexis(["tokenize", "--tokenizer", "whitespace", "--no-fold-case"], stdin: "A, b-c\n")
        #expect(r.stdout == "A, b-c\n")
        let empty = try TestSupport.runLexis(["tokenize"], stdin: "")
        #expect(empty.status == 0 && empty.stdout.isEmpty)
    }

    @Test func vocabBuildAndShow() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = TestSupport.writeOrFail("the cat sat on the mat\nthe dog\n", to: "c.txt", in: dir)
        let out = dir.appendingPathComponent("v.tsv").path
        let build = try TestSupport.runLexis(["vocab", "build", corpus, "-o", out, "--min-count", "1"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.contains("6 tokens"))
        let saved = try String(contentsOfFile: out, encoding: .utf8)
        #expect(saved.hasPrefix("# lexis vocabulary 1\n# tokenizer: mode=icu fold=true"))
        #expect(saved.hasSuffix("the\t3\ncat\t1\ndog\t1\nmat\t1\non\t1\nsat\t1\n"))
        let show = try TestSupport.runLexis(["vocab", "show", out, "--top", "2"])
        #expect(show.status == 0)
        let lines = show.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[2] == "1\tthe\t3\t37.500%")  // 3 of 8 tokens
        #expect(lines[3].hasPrefix("2\tcat\t1\t"))
        let quiet = try TestSupport.runLexis(["vocab", "build", corpus, "-o", out, "--min-count", "1", "--quiet"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty)
    }

    @Test func emptyVocabularySaysWhatToDo() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = TestSupport.writeOrFail("rare words only\n", to: "c.txt", in: dir)
        let r = try TestSupport.runLexis(["vocab", "build", corpus, "-o", dir.appendingPathComponent("v.tsv").path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("Empty vocabulary"))
        #expect(r.stderr.contains("Try a smaller --min-count"))
    }

    @Test func badFlagsExit64WithUsage() throws {
        let r = try TestSupport.runLexis(["vocab", "build", "x.txt", "--min-count", "abc"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("Usage"))
        let zero = try TestSupport.runLexis(["vocab", "build", "x.txt", "--min-count", "0"])
        #expect(zero.status == 64)
        let unknown = try TestSupport.runLexis(["tokenize", "--frobnicate"])
        #expect(unknown.status == 64)
    }

    @Test func missingFileExit1NamingTheFile() throws {
        let r = try TestSupport.runLexis(["vocab", "build", "/no/such/corpus.txt", "-o", "/tmp/x.tsv"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/no/such/corpus.txt"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        let show = try TestSupport.runLexis(["vocab", "show", "/no/such/vocab.tsv"])
        #expect(show.status == 1 && show.stderr.contains("/no/such/vocab.tsv"))
    }

    @Test(arguments: [["--help"], ["tokenize", "--help"], ["vocab", "build", "--help"], ["vocab", "show", "--help"]])
    func helpEverywhere(arguments: [String]) throws {
        let r = try TestSupport.runLexis(arguments)
        #expect(r.status == 0)
        #expect(r.stdout.contains("USAGE"))
    }
}

/// `lexis --version` names the kernels that run, and LEXIS_KERNELS picks them.
@Suite struct KernelPathCLITests {
    @Test func versionNamesTheKernelsAndBLASCore() throws {
        let r = try TestSupport.runLexis(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("lexis "))
        #expect(r.stdout.contains("kernels: ") && r.stdout.contains("OpenBLAS: "))
        let forced = try TestSupport.runLexis(["--version"], environment: ["LEXIS_KERNELS": "baseline"])
        #if arch(x86_64)
        #expect(forced.stdout.contains("kernels: baseline"))
        #else
        #expect(forced.stdout.contains("kernels: neon"))
        #endif
    }

    @Test func unknownKernelRequestWarnsAndRuns() throws {
        let r = try TestSupport.runLexis(["--version"], environment: ["LEXIS_KERNELS": "sse9"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("LEXIS_KERNELS=sse9 is not one of"))
    }

    @Test func usersOpenBLASCoreTypeIsKept() throws {
        // Prescott runs on every x86-64 CPU; lexis must not replace a user's choice.
        #if arch(x86_64)
        let r = try TestSupport.runLexis(["--version"], environment: ["OPENBLAS_CORETYPE": "Prescott"])
        #expect(r.stdout.contains("OpenBLAS: Prescott kernels"), "\(r.stdout)")
        #endif
    }
}
