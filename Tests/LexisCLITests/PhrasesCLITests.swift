// The phrase pipeline from the command line: build a table, tokenize, build a vocabulary and
// train with it; files record the table, and commands that read them ask for it.
import Foundation
import LexisTestSupport
import Testing

@Suite struct PhrasesCLITests {
    /// "new york" and "los angeles" always together, among words that vary.
    func corpus(in dir: URL) -> String {
        var text = ""
        let fillers = ["big", "old", "sunny", "busy", "far", "near", "loud", "quiet"]
        for i in 0..<300 {
            let a = fillers[i % 8], b = fillers[(i * 3 + 1) % 8]
            text += i % 2 == 0 ? "\(a) new york \(b)\n" : "\(a) los angeles, \(b)\n"
        }
        return TestSupport.writeOrFail(text, to: "corpus.txt", in: dir)
    }

    @Test func buildTokenizeVocabAndTrainWithPhrases() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-phrases-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = corpus(in: dir)
        let table = dir.appendingPathComponent("phrases.tsv").path
        let build = try TestSupport.runLexis(["phrases", "build", corpus, "-o", table, "--threshold", "0.1", "--passes", "2"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.contains("pass 2/2"))
        let show = try TestSupport.runLexis(["phrases", "show", table])
        #expect(show.stdout.contains("new_york") && show.stdout.contains("los_angeles"), "\(show.stdout)")

        let tokens = try TestSupport.runLexis(["tokenize", "--phrases", table], stdin: "New York is near Los Angeles\n")
        #expect(tokens.stdout == "new_york is near los_angeles\n", "\(tokens.stdout) \(tokens.stderr)")

        let vocab = dir.appendingPathComponent("vocab.tsv").path
        let v = try TestSupport.runLexis(["vocab", "build", corpus, "-o", vocab, "--min-count", "1", "--phrases", table])
        #expect(v.status == 0, "\(v.stderr)")
        let vocabText = try String(contentsOfFile: vocab, encoding: .utf8)
        #expect(vocabText.contains("phrases=") && vocabText.contains("new_york\t150"))

        // A vocabulary built with phrases is read with the same table, and only with it.
        let out = dir.appendingPathComponent("v.lexis").path
        let noTable = try TestSupport.runLexis(["train", corpus, "--vocab", vocab, "-o", out, "--dim", "8", "--epochs", "1"])
        #expect(noTable.status != 0 && noTable.stderr.contains("--phrases"), "\(noTable.stderr)")
        let train = try TestSupport.runLexis(["train", corpus, "--vocab", vocab, "--phrases", table, "-o", out,
                                              "--dim", "8", "--epochs", "1", "--threads", "1"])
        #expect(train.status == 0, "\(train.stderr)")
        let neighbors = try TestSupport.runLexis(["neighbors", out, "new_york", "-k", "3"])
        #expect(neighbors.status == 0, "\(neighbors.stderr)")

        // Training from the corpus with the table joins on the fly.
        let direct = try TestSupport.runLexis(["train", corpus, "--phrases", table, "-o", out, "--dim", "8", "--epochs", "1",
                                               "--min-count", "1", "--threads", "1"])
        #expect(direct.status == 0, "\(direct.stderr)")
        #expect(try TestSupport.runLexis(["neighbors", out, "los_angeles", "-k", "2"]).status == 0)
    }

    @Test func aTableBuiltWithOtherTokenizerSettingsIsRefused() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-phrases-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = corpus(in: dir)
        let table = dir.appendingPathComponent("phrases.tsv").path
        #expect(try TestSupport.runLexis(["phrases", "build", corpus, "-o", table, "--threshold", "0.1"]).status == 0)
        let r = try TestSupport.runLexis(["tokenize", "--phrases", table, "--no-fold-case"], stdin: "new york\n")
        #expect(r.status != 0 && r.stderr.contains("other tokenizer settings"), "\(r.stderr)")
        let bad = try TestSupport.runLexis(["phrases", "build", corpus, "-o", table, "--passes", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("passes"))
        let notTable = try TestSupport.runLexis(["tokenize", "--phrases", corpus], stdin: "new york\n")
        #expect(notTable.status != 0 && notTable.stderr.contains("not a Lexis phrase table"), "\(notTable.stderr)")
    }

    @Test func aDictionaryIsRecordedAndKeepsNamesWhole() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-dictionary-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = try TestSupport.write("玄德\n诸葛亮\n", to: "names.txt", in: dir)
        let text = String(repeating: "玄德曰：诸葛亮在此。\n", count: 20)
        let corpus = try TestSupport.write(text, to: "zh.txt", in: dir)
        let t = try TestSupport.runLexis(["tokenize", "--dictionary", names, corpus])
        #expect(t.stdout.hasPrefix("玄德 曰 诸葛亮 在此"), "\(t.stdout)")
        let vocab = dir.appendingPathComponent("v.tsv").path
        #expect(try TestSupport.runLexis(["vocab", "build", corpus, "-o", vocab, "--min-count", "1", "--dictionary", names]).status == 0)
        let recorded = try String(contentsOfFile: vocab, encoding: .utf8)
        #expect(recorded.contains("dictionary=玄德,诸葛亮") || recorded.contains("dictionary=诸葛亮,玄德"), "\(recorded)")
        #expect(recorded.contains("玄德\t20"))
        let ws = try TestSupport.runLexis(["tokenize", "--tokenizer", "whitespace", "--dictionary", names], stdin: "a\n")
        #expect(ws.status != 0 && ws.stderr.contains("icu"))
    }
}
