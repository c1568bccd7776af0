// Phrase tables: joining is greedy from the left, pass after pass, never across punctuation or
// lines; tables round-trip; bad files and mismatched settings give clear errors.
import Foundation
import LexisTestSupport
import LexisText
import Testing

@Suite struct PhraseTableTests {
    func table(_ pairs: [(Int, String, String)], passes: Int = 1, tokenizer: TokenizerOptions = TokenizerOptions()) throws -> PhraseTable {
        try PhraseTable(entries: pairs.map { PhraseTable.Entry(pass: $0.0, left: $0.1, right: $0.2, count: 10, score: 20) },
                        settings: PhraseSettings(passes: passes), tokenizer: tokenizer)
    }

    func join(_ text: String, _ table: PhraseTable) throws -> [String] {
        try Tokenizer(options: table.tokenizer.attaching(phrases: table)).tokens(in: text)
    }

    @Test func joiningIsGreedyFromTheLeft() throws {
        let t = try table([(1, "new", "york"), (1, "york", "city")])
        #expect(try join("New York is new york city", t) == ["new_york", "is", "new_york", "city"])
        #expect(try join("york city new", t) == ["york_city", "new"])
        #expect(try join("new new york", t) == ["new", "new_york"])
    }

    @Test func punctuationStopsAPhraseEvenWhenDropped() throws {
        let t = try table([(1, "new", "york")])
        #expect(try join("new, york. new york", t) == ["new", "york", "new_york"])
        let kept = try table([(1, "new", "york")], tokenizer: TokenizerOptions(keepPunctuation: true))
        #expect(try join("new, york. new york", kept) == ["new", ",", "york", ".", "new_york"])
    }

    @Test func laterPassesJoinEarlierPhrases() throws {
        let t = try table([(1, "new", "york"), (2, "new_york", "times"), (2, "the", "new_york")], passes: 2)
        #expect(try join("the new york times", t) == ["the_new_york", "times"])
        #expect(try join("a new york times", t) == ["a", "new_york_times"])
    }

    @Test func sidesMeetingInCJKJoinWithNothing() throws {
        let t = try table([(1, "玄", "德"), (1, "宋", "江"), (1, "c", "玄")])
        #expect(try join("玄德曰宋江", t) == ["玄德", "曰", "宋江"])
        #expect(PhraseTable.join("c", "玄", t.settings) == "c_玄")
        #expect(t.joinedPhrases(pass: 1).sorted() == ["c_玄", "宋江", "玄德"])
    }

    @Test func tablesRoundTripAndSettingsRecordThem() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-phrases")
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try table([(1, "new", "york"), (2, "new_york", "times"), (1, "玄", "德")], passes: 2)
        let path = dir.appendingPathComponent("p.tsv").path
        try t.save(to: path)
        let back = try PhraseTable.load(path: path)
        #expect(back.entries == t.entries)
        #expect(back.settings == t.settings)
        #expect(back.reference == t.reference)
        let options = try TokenizerOptions().attaching(phrases: back)
        let recorded = try TokenizerOptions(settings: options.description)
        #expect(recorded == options)
        #expect(recorded.phrases?.table == nil)
        // Recorded settings without the table cannot tokenize; with it they can.
        #expect { _ = try Tokenizer(options: recorded) } throws: { "\($0)".contains("--phrases") }
        #expect(try Tokenizer(options: recorded.attaching(phrases: t)).tokens(in: "new york times") == ["new_york_times"])
        // Another table, or other tokenizer settings, are refused.
        let other = try table([(1, "old", "york")])
        #expect { _ = try recorded.attaching(phrases: other) } throws: { "\($0)".contains("not the one") }
        #expect { _ = try TokenizerOptions(caseFold: false).attaching(phrases: t) } throws: { "\($0)".contains("other tokenizer settings") }
    }

    @Test func badPhraseFilesNameTheProblem() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-phrases")
        defer { try? FileManager.default.removeItem(at: dir) }
        let head = "# lexis phrases 1\n# settings: \(PhraseSettings())\n# tokenizer: \(TokenizerOptions())\n"
        let cases: [(String, String)] = [
            ("new\tyork\n", "not a Lexis phrase table"),
            ("# lexis phrases 9\n", "newer"),
            (head + "1\tnew\tyork\t5\n", ":4: expected pass"),
            (head + "# phrases: 2\n1\tnew\tyork\t5\t20\n", "truncated"),
            (head + "3\tnew\tyork\t5\t20\n", "outside 1...1"),
            (head + "1\tnew\tyork\t5\t20\n1\tnew\tyork\t6\t21\n", "twice"),
            ("# lexis phrases 1\n# settings: scorer=magic\n", "unknown phrase scorer"),
        ]
        for (i, (text, expected)) in cases.enumerated() {
            let path = try TestSupport.write(text, to: "bad\(i).tsv", in: dir)
            #expect { _ = try PhraseTable.load(path: path) } throws: { "\($0)".contains(expected) && "\($0)".contains(path) }
        }
    }
}
