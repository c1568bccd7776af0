// The user dictionary keeps words whole on top of ICU's segmentation, and the ICU text paths
// (UTF-16 and UTF-8, chosen per CPU) give the same tokens.
import Foundation
import LexisTestSupport
import LexisText
import Testing

@Suite struct UserDictionaryTests {
    func tokens(_ text: String, _ words: [String], fold: Bool = true) throws -> [String] {
        var options = TokenizerOptions(caseFold: fold)
        options.dictionary = UserDictionary.normalized(words)
        return try Tokenizer(options: options).tokens(in: text)
    }

    @Test func aWordSpanningAnICUBoundaryStaysWhole() throws {
        // ICU's dictionary splits these names: 玄|德, 夏目|漱石, ภาษา|ไทย.
        let plain = try Tokenizer().tokens(in: "玄德曰 夏目漱石は ภาษาไทย")
        #expect(plain.contains("玄") && plain.contains("德") && plain.contains("夏目"))
        #expect(try tokens("玄德曰 夏目漱石は ภาษาไทย", ["玄德", "夏目漱石", "ภาษาไทย"])
                == ["玄德", "曰", "夏目漱石", "は", "ภาษาไทย"])
    }

    @Test func theLongestWordWins() throws {
        #expect(try tokens("诸葛亮曰", ["诸葛", "诸葛亮"]) == ["诸葛亮", "曰"])
        #expect(try tokens("诸葛瑾曰", ["诸葛", "诸葛亮"]).first == "诸葛")
    }

    @Test func inScriptsWithSpacesAMatchNeverSplitsAWord() throws {
        #expect(try tokens("ice iced nice ice.", ["ice"]) == ["ice", "iced", "nice", "ice"])
        // A word ICU would break apart at punctuation is kept: c++, and case folds as usual.
        #expect(try tokens("C++ and c++, C#!", ["c++", "C#"]) == ["c++", "and", "c++", "c#"])
        #expect(try tokens("C++ code", ["c++"], fold: false).contains("C++") == false)
        #expect(try tokens("C++ code", ["C++"], fold: false) == ["C++", "code"])
    }

    @Test func theDictionaryIsRecordedInTheSettings() throws {
        var options = TokenizerOptions()
        options.dictionary = UserDictionary.normalized(["玄德", "a,b", "50%", "c++"])
        let back = try TokenizerOptions(settings: options.description)
        #expect(back == options)
        #expect(back.dictionary == ["50%", "a,b", "c++", "玄德"])
        #expect(TokenizerOptions().description.contains("dictionary") == false)
    }

    @Test func badDictionaryFilesNameTheLine() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-dictionary")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try TestSupport.write("# names\n玄德\n\n宋江\n玄德\n", to: "good.txt", in: dir)
        #expect(try UserDictionary.load(path: good) == ["宋江", "玄德"])
        let spaced = try TestSupport.write("玄德\nnew york\n", to: "spaced.txt", in: dir)
        #expect { _ = try UserDictionary.load(path: spaced) } throws: { "\($0)".contains(spaced + ":2:") && "\($0)".contains("white space") }
        let empty = try TestSupport.write("# nothing\n", to: "empty.txt", in: dir)
        #expect { _ = try UserDictionary.load(path: empty) } throws: { "\($0)".contains("no word") }
        let binary = try TestSupport.write(bytes: [0x61, 0xFF, 0xFE, 0x0A], to: "bad.txt", in: dir)
        #expect { _ = try UserDictionary.load(path: binary) } throws: { "\($0)".contains(binary + ":1:") && "\($0)".contains("UTF-8") }
    }

    @Test func bothICUTextPathsGiveTheSameTokens() throws {
        let text = """
            此开卷第一回也．作者自云：因曾历过一番梦幻之后，故将真事隐去。 吾輩は猫である。名前はまだ無い。\
            ภาษาไทยเขียนโดยไม่มีช่องว่าง Straße 3 cafés! 😀 한국어 텍스트 don't
            """
        for dictionary in [[], ["玄德", "名前"]] {
            var options = TokenizerOptions()
            options.dictionary = dictionary
            let utf16 = try Tokenizer(options: options), utf8 = try Tokenizer(options: options)
            utf16.widePath = .utf16
            utf8.widePath = .utf8
            let a = utf16.tokensWithKinds(in: text), b = utf8.tokensWithKinds(in: text)
            #expect(a.map(\.0) == b.map(\.0))
            #expect(a.map(\.1) == b.map(\.1))
            #expect(a.count > 20)
        }
        #expect(ICUTextPath.allCases.contains(ICUTextPath.chosen))
    }
}
