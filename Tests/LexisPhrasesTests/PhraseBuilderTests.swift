// Phrase detection: counts and scores against hand-computed values, thresholds, passes, and the
// same table at any thread count.
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LexisPhrases
import LexisTestSupport
import LexisText
import Testing

@Suite struct PhraseBuilderTests {
    // new 4, york 4, is 3, big/old/i/like 1: 7 words. Pairs: new york 3, york is 3, is big,
    // is old, i like, like new, is new 1 each: 7 pairs. 15 tokens.
    static let text = "new york is big\nnew york is old\ni like new york\nyork is new\n"

    func build(_ text: String, _ settings: PhraseSettings, threads: Int = 1,
               tokenizer: TokenizerOptions = TokenizerOptions()) throws -> (PhraseTable, [PhraseBuilder.PassReport]) {
        let dir = try TestSupport.temporaryDirectory("lexis-phrase-build")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.write(text, to: "corpus.txt", in: dir)
        return try PhraseBuilder(tokenizer: tokenizer, settings: settings, threads: threads).build(try Corpus(paths: [path]))
    }

    @Test func defaultScoresMatchHandComputedValues() throws {
        let (table, reports) = try build(Self.text, PhraseSettings(threshold: 0, minCount: 1))
        #expect(reports[0].tokens == 15 && reports[0].words == 7 && reports[0].pairs == 7)
        let scores = Dictionary(uniqueKeysWithValues: table.entries.map { ("\($0.left) \($0.right)", $0.score) })
        // (count - minCount) / (count(a) * count(b)) * (7 words + 7 pairs)
        #expect(scores == ["new york": 2.0 / 16.0 * 14.0, "york is": 2.0 / 12.0 * 14.0])
        #expect(table.entries.first { $0.left == "new" }?.count == 3)
        // Only pairs scoring above the threshold are kept.
        let (strict, _) = try build(Self.text, PhraseSettings(threshold: 2, minCount: 1))
        #expect(strict.entries.map { "\($0.left) \($0.right)" } == ["york is"])
    }

    @Test func npmiScoresMatchHandComputedValues() throws {
        let (table, _) = try build(Self.text, PhraseSettings(scorer: .npmi, threshold: 0.6, minCount: 2))
        // ln(p(ab) / (p(a) p(b))) / -ln(p(ab)), p over 15 tokens: new york = ln(0.2 / (4/15)^2) / ln 5
        let newYork = log((3.0 / 15) / ((4.0 / 15) * (4.0 / 15))) / -log(3.0 / 15)
        let yorkIs = log((3.0 / 15) / ((4.0 / 15) * (3.0 / 15))) / -log(3.0 / 15)
        #expect(newYork > 0.6 && yorkIs > 0.6)
        let scores = Dictionary(uniqueKeysWithValues: table.entries.map { ("\($0.left) \($0.right)", $0.score) })
        #expect(scores == ["new york": newYork, "york is": yorkIs])
        #expect(PhraseBuilder.score(.npmi, a: 4, b: 4, pair: 1, minCount: 2, vocabularySize: 14, tokens: 15) == -.infinity)
    }

    @Test func pairsStopAtLineEndsAndPunctuation() throws {
        // "york" ends a line before "new" starts the next; the comma splits "york, new".
        let (_, reports) = try build("new york\nnew york, new\n", PhraseSettings(threshold: 0, minCount: 1))
        #expect(reports[0].pairs == 1 && reports[0].tokens == 5)
    }

    @Test func aSecondPassFindsLongerUnits() throws {
        // new, york and times occur only together, between words seen once.
        var text = ""
        for i in 0..<20 { text += "x\(i) new york times y\(i)\n" }
        let (table, reports) = try build(text, PhraseSettings(threshold: 1, minCount: 3, passes: 2))
        #expect(reports.count == 2)
        let pass1 = Set(table.joinedPhrases(pass: 1)), pass2 = Set(table.joinedPhrases(pass: 2))
        #expect(pass1.contains("new_york"))
        #expect(pass2.contains("new_york_times"))
        #expect(reports[1].tokens < reports[0].tokens)
        let joined = try Tokenizer(options: TokenizerOptions().attaching(phrases: table)).tokens(in: "new york times")
        #expect(joined == ["new_york_times"])
    }

    @Test func chineseNamesJoinWithoutASpace() throws {
        // ICU splits 玄德 into 玄 and 德; detection joins them back.
        let line = "玄德曰：吾乃玄德也。云长曰：玄德公请坐。\n"
        let (table, _) = try build(String(repeating: line, count: 10), PhraseSettings(scorer: .npmi, threshold: 0.9, minCount: 5))
        #expect(table.joinedPhrases(pass: 1).contains("玄德"))
        let tokens = try Tokenizer(options: TokenizerOptions().attaching(phrases: table)).tokens(in: "玄德曰")
        #expect(tokens.first == "玄德")
    }

    @Test func threadCountDoesNotChangeTheTable() throws {
        var text = ""
        for i in 0..<400 { text += "w\(i % 37) new york w\(i % 11) is big w\(i % 7)\n" }
        let settings = PhraseSettings(threshold: 0.05, minCount: 2, passes: 2)
        let (one, _) = try build(text, settings, threads: 1)
        let (three, _) = try build(text, settings, threads: 3)
        #expect(one.entries.count > 3)
        #expect(one.entries == three.entries)
        #expect(one.reference == three.reference)
    }
}
