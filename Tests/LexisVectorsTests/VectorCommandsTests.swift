// The word-vector commands, run as the built `lexis` binary: stdout, stderr and exit codes,
// including the interactive neighbours mode fed through stdin.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LexisTestSupport
import LexisText
import LexisVectors
import Testing

@Suite(.serialized) struct VectorCommandsTests {
    /// toyVectors() saved as word2vec text, in a fresh folder.
    func toyFile(_ name: String = "toy.txt") throws -> (dir: URL, path: String) {
        let dir = try TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent(name).path
        try toyVectors().save(to: path)
        return (dir, path)
    }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func neighborsForWords() throws {
        let (dir, path) = try toyFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let one = try TestSupport.runLexis(["neighbors", path, "king", "-k", "2"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.split(separator: "\n").map { $0.split(separator: "\t")[0] } == ["prince", "man"])
        let two = try TestSupport.runLexis(["neighbors", path, "king", "apple", "-k", "1", "--json"])
        #expect(two.status == 0)
        let parsed = try json(two.stdout) as! [[String: Any]]
        #expect(parsed.map { $0["query"] as! String } == ["king", "apple"])
        let first = (parsed[1]["neighbors"] as! [[String: Any]])[0]
        #expect(first["word"] as! String == "pear")
        #expect(abs((first["similarity"] as! Double) - 0.995037) < 1e-5)
    }

    @Test func jsonEscapesAwkwardWords() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let words = ["plain", "quote\"d", "back\\slash", "ctrl\u{01}x", "ünï", "😀"]
        let path = dir.appendingPathComponent("w.bin").path
        try WordVectors(words: words, dimension: 2, vectors: [1, 0, 0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4, 0.5, 0.5]).save(to: path)
        let result = try TestSupport.runLexis(["neighbors", path, "plain", "-k", "5", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try json(result.stdout) as! [[String: Any]]
        let found = (parsed[0]["neighbors"] as! [[String: Any]]).map { $0["word"] as! String }
        #expect(found == Array(words.dropFirst()))
    }

    @Test func queriesAreNormalizedLikeTheTrainingText() throws {
        // A .lexis file that records case folding (as the trainer writes) answers "King".
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("folded.lexis").path
        let toy = try toyVectors()
        try WordVectors(words: toy.words, dimension: 3, vectors: toy.withUnsafeMatrix { Array($0) },
                        tokenizer: TokenizerOptions()).save(to: path)
        let result = try TestSupport.runLexis(["neighbors", path, "King", "-k", "1"])
        #expect(result.status == 0 && result.stdout == "prince\t0.995037\n", "\(result.stderr)")
        let analogy = try TestSupport.runLexis(["analogy", path, "MAN", "King", "Woman", "-k", "1"])
        #expect(analogy.stdout.hasPrefix("queen\t"))
        let interactive = try TestSupport.runLexis(["neighbors", path, "-k", "1"], stdin: "King - Man + Woman\n")
        #expect(interactive.stdout.hasPrefix("# King - Man + Woman\nqueen\t"))
        // The toy text file records no tokenizer: "King" stays unknown there.
        let (dir2, textPath) = try toyFile()
        defer { try? FileManager.default.removeItem(at: dir2) }
        #expect(try TestSupport.runLexis(["neighbors", textPath, "King"]).status == 1)
    }

    @Test func unknownWordsSuggestSpellings() throws {
        let (dir, path) = try toyFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try TestSupport.runLexis(["neighbors", path, "kign"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("unknown word 'kign'"))
        #expect(result.stderr.contains("closest in spelling: king"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func interactiveModeReadsStdin() throws {
        let (dir, path) = try toyFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = "king\nking - man + woman\nqueeen\n - \napple pear\n\nman\n"
        let result = try TestSupport.runLexis(["neighbors", path, "-k", "1"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        // No prompt: stdin is not a terminal. The empty line ends before "man".
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("#") } == ["# king", "# king - man + woman", "# apple pear"])
        #expect(lines[3].hasPrefix("queen\t"))
        #expect(result.stderr.contains("unknown word 'queeen'") && result.stderr.contains("queen"))
        #expect(result.stderr.contains("' - ' ends with an operator") || result.stderr.contains("'-' ends with"), "\(result.stderr)")
        // JSON lines in stdin mode.
        let jsonResult = try TestSupport.runLexis(["neighbors", path, "-k", "2", "--json"], stdin: "apple\nwoman\n")
        let objects = try jsonResult.stdout.split(separator: "\n").map { try json(String($0)) as! [String: Any] }
        #expect(objects.map { $0["query"] as! String } == ["apple", "woman"])
    }

    @Test func promptOnlyOnATerminal() throws {
        // util-linux `script` runs the command on a pseudo-terminal.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let (dir, path) = try toyFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let command = "'\(TestSupport.lexisBinary.path)' neighbors '\(path)' -k 1"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data("king\n\n".utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("query (word, or a - b + c; empty line ends)> "), "\(text)")
        #expect(text.contains("prince\t0.995037"), "\(text)")
        // Piped stdin: the same queries without any prompt.
        let piped = try TestSupport.runLexis(["neighbors", path, "-k", "1"], stdin: "king\n")
        #expect(piped.stdout == "# king\nprince\t0.995037\n")
    }

    @Test func analogySimilarityDoesntMatch() throws {
        let (dir, path) = try toyFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let add = try TestSupport.runLexis(["analogy", path, "man", "king", "woman", "-k", "1"])
        #expect(add.status == 0 && add.stdout.hasPrefix("queen\t"))
        let mul = try TestSupport.runLexis(["analogy", path, "man", "king", "woman", "--method", "mul", "--json"])
        let object = try json(mul.stdout) as! [String: Any]
        #expect(object["method"] as! String == "mul")
        #expect(((object["answers"] as! [[String: Any]])[0]["word"] as! String) == "queen")
        let similarity = try TestSupport.runLexis(["similarity", path, "king", "queen"])
        #expect(similarity.status == 0 && similarity.stdout == "0.000000\n")
        let odd = try TestSupport.runLexis(["doesnt-match", path, "man", "king", "prince", "apple"])
        #expect(odd.stdout == "apple\n")
        let unknown = try TestSupport.runLexis(["similarity", path, "king", "emperor"])
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown word 'emperor'"))
    }

    @Test func badFlagsExit64() throws {
        let (dir, path) = try toyFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        for arguments in [["neighbors", path, "king", "-k", "0"], ["neighbors", path, "king", "-k", "abc"],
                          ["analogy", path, "a", "b", "c", "--method", "sub"], ["doesnt-match", path, "king"],
                          ["convert", path, dir.path + "/out.unknown"], ["eval", "analogy", path, "q", "--restrict", "0"],
                          ["neighbors", path, "--format", "csv"]] {
            let result = try TestSupport.runLexis(arguments)
            #expect(result.status == 64, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("Usage") || result.stderr.contains("usage"), "\(arguments)")
        }
    }

    @Test func brokenFilesExit1WithOneLine() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.write("2 3\na 1 2 3\nb 1 nan 3\n", to: "bad.txt", in: dir)
        let result = try TestSupport.runLexis(["neighbors", path, "a"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.txt:3") && result.stderr.contains("nan"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        let missing = try TestSupport.runLexis(["similarity", dir.path + "/none.bin", "a", "b"])
        #expect(missing.status == 1 && missing.stderr.contains("none.bin"))
    }

    @Test func convertBetweenAllFormats() throws {
        let (dir, path) = try toyFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let original = try WordVectors.load(path: path)
        var previous = path
        for (name, to) in [("a.bin", [String]()), ("b.lexis", []), ("c.out", ["--to", "text"]), ("d", ["--to", "bin"]), ("e.vec", [])] {
            let target = dir.appendingPathComponent(name).path
            let result = try TestSupport.runLexis(["convert", previous, target] + to)
            #expect(result.status == 0, "\(result.stderr)")
            let loaded = try WordVectors.load(path: target)
            #expect(loaded.words == original.words && bits(loaded) == bits(original), "\(name)")
            previous = target
        }
        #expect(try WordVectors.detectFormat(path: dir.appendingPathComponent("d").path) == .binary)
    }

    @Test func evalCommands() throws {
        let vectors = fixtures + "/eval-vectors.txt"
        let analogy = try TestSupport.runLexis(["eval", "analogy", vectors, fixtures + "/eval-questions.txt", "--restrict", "60", "--json"])
        #expect(analogy.status == 0, "\(analogy.stderr)")
        let object = try json(analogy.stdout) as! [String: Any]
        let gensimAccuracy = ((try json(String(contentsOfFile: fixtures + "/eval-expected.json", encoding: .utf8)) as! [String: Any])["analogy-60"] as! [String: Any])["accuracy"] as! Double
        #expect(abs((object["accuracy"] as! Double) - gensimAccuracy) < 1e-12)
        #expect((object["sections"] as! [[String: Any]]).count == 2)
        let table = try TestSupport.runLexis(["eval", "analogy", vectors, fixtures + "/eval-questions.txt", "--restrict", "60"])
        #expect(table.stdout.contains("total") && table.stdout.contains("54.9%") && table.stdout.contains("coverage"))
        let pairs = try TestSupport.runLexis(["eval", "similarity", vectors, fixtures + "/eval-pairs.tsv", "--json"])
        let p = try json(pairs.stdout) as! [String: Any]
        let expected = try json(String(contentsOfFile: fixtures + "/eval-expected.json", encoding: .utf8)) as! [String: Any]
        let gensimSpearman = (expected["pairs"] as! [String: Double])["spearman"]!
        #expect(abs((p["spearman"] as! Double) - gensimSpearman) < 1e-6)
        #expect(p["oov"] as! Int == 1)
        #expect(p["pearson"] is Double)
    }

    @Test func exportProjectorAndPlot() throws {
        let (dir, path) = try toyFile()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("projector").path
        let export = try TestSupport.runLexis(["export", "projector", path, "-o", out, "--top", "3"])
        #expect(export.status == 0, "\(export.stderr)")
        let metadata = try String(contentsOfFile: out + "/metadata.tsv", encoding: .utf8)
        #expect(metadata == "man\nwoman\nking\n")
        let rows = try String(contentsOfFile: out + "/vectors.tsv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 3 && rows[2] == "1.0\t1.0\t0.0")
        // With corpus counts (a .lexis file from the trainer): two columns under a header.
        let counted = dir.appendingPathComponent("counted.lexis").path
        try WordVectors(words: ["a", "b"], dimension: 1, vectors: [1, 2], counts: [7, 3]).save(to: counted)
        let out2 = dir.appendingPathComponent("projector2").path
        #expect(try TestSupport.runLexis(["export", "projector", counted, "-o", out2]).status == 0)
        #expect(try String(contentsOfFile: out2 + "/metadata.tsv", encoding: .utf8) == "word\tcount\na\t7\nb\t3\n")
        let svgPath = dir.appendingPathComponent("plot.svg").path
        let plot = try TestSupport.runLexis(["plot", path, "--words", "king,queen,man,woman", "--neighbors", "1", "-o", svgPath])
        #expect(plot.status == 0, "\(plot.stderr)")
        let svg = try String(contentsOfFile: svgPath, encoding: .utf8)
        #expect(svg.contains(">queen</text>") && svg.contains(">prince</text>"))
        _ = try XMLDocument(xmlString: svg)   // well-formed XML
        let bad = try TestSupport.runLexis(["plot", path, "--words", "king,kingg", "-o", svgPath])
        #expect(bad.status == 1 && bad.stderr.contains("kingg"))
    }

    @Test func everyCommandHasHelp() throws {
        for command in [["neighbors"], ["analogy"], ["similarity"], ["doesnt-match"], ["convert"], ["eval", "analogy"],
                        ["eval", "similarity"], ["export", "projector"], ["plot"]] {
            let result = try TestSupport.runLexis(command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("USAGE") && result.stdout.contains("--help"), "\(command)")
        }
    }
}
