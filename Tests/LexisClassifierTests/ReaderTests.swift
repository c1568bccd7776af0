// Every command reads text through one streaming reader (LexisText's CorpusReader): labelled
// data (LabeledText), language-model text (Vocabulary.encode) and lines to classify
// (encodeLines). These check what the reader promises them: line numbers in errors, invalid
// UTF-8 repaired and counted, and a 10 MB line read whole, in bounded memory.
import Foundation
@testable import LexisRecurrent
import LexisTestSupport
import LexisText
import LexisVocab
import Testing

@Suite struct UnifiedReaderTests {
    /// A 10 MB line: 2 million five-byte tokens.
    static let hugeLine = String(repeating: "abcd ", count: 2_000_000)

    @Test func labeledDataKeepsLineNumbersAcrossA10MBLine() throws {
        let text = "pos\tfirst line\n" + "neg\t" + Self.hugeLine + "\npos\tthird\nno tab here\n"
        #expect {
            _ = try labeled(text, name: "big.tsv")
        } throws: { error in
            guard case let LexisError.malformed(path, line, problem, _) = error else { return false }
            return path.hasSuffix("big.tsv") && line == 4 && problem.contains("no tab")
        }
        let valid = String(text.dropLast("no tab here\n".count))
        let data = try labeled(valid, name: "big.tsv", maximumTokens: .max)
        #expect(data.examples.map(\.line) == [1, 2, 3])
        #expect(data.examples[1].label == "neg" && data.examples[1].tokenIDs.count == 2_000_000)
        #expect(data.tokens(of: data.examples[2]) == ["third"])
        #expect(data.wordCounts[data.words.firstIndex(of: "abcd")!] == 2_000_000)
        #expect(data.truncatedLines.isEmpty)
        // By default a text keeps its first 10,000 tokens (a recurrent encoder's workspace grows
        // with the longest text), and says which lines were cut.
        let cut = try labeled(valid, name: "big.tsv")
        #expect(cut.examples.map(\.tokenIDs.count) == [2, 10_000, 1] && cut.truncatedLines == [2])
    }

    @Test func invalidUTF8IsRepairedAndCountedEverywhere() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-reader")
        defer { try? FileManager.default.removeItem(at: dir) }
        // "caf\xE9" (Latin-1) and a lone continuation byte: 2 invalid bytes.
        let bytes = Array("pos\tgood caf".utf8) + [0xE9] + Array(" film\nneg\tbad ".utf8) + [0x80] + Array("x\n".utf8)
        let path = try TestSupport.write(bytes: bytes, to: "latin1.tsv", in: dir)
        let data = try LabeledText.read(path: path, tokenizer: TokenizerOptions())
        #expect(data.invalidBytes == 2)
        #expect(data.examples.count == 2 && data.tokens(of: data.examples[0]).contains("film"))
        // The repaired bytes become U+FFFD, which the tokenizer drops: no token carries one.
        #expect(data.words.allSatisfy { !$0.unicodeScalars.contains { $0.value == 0xFFFD } })

        let text = try TestSupport.write(bytes: Array("a b ".utf8) + [0xFF, 0xFE] + Array(" a\n".utf8), to: "lm.txt", in: dir)
        let vocabulary = try RecurrentLanguageModel.buildVocabulary(path: text, tokenizer: .pretokenized)
        let encoded = try vocabulary.encode(Corpus(paths: [text]))
        #expect(encoded.invalidBytes == 2 && encoded.lines == 1)
        #expect(encoded.ids.last == vocabulary.endOfSentenceID)
    }

    @Test func languageModelTextReadsA10MBLineWhole() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-reader")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.write("x y\n\n" + Self.hugeLine + "\nx\n", to: "big.txt", in: dir)
        let vocabulary = try RecurrentLanguageModel.buildVocabulary(path: path, tokenizer: .pretokenized)
        // <eos> once per line with a token (3), whatever the line length.
        #expect(vocabulary.counts[Int(vocabulary.endOfSentenceID!)] == 3)
        #expect(vocabulary.counts[vocabulary.id(of: "abcd")!] == 2_000_000)
        let encoded = try vocabulary.encode(Corpus(paths: [path]))
        #expect(encoded.lines == 3 && encoded.ids.count == 2 + 1 + 2_000_000 + 1 + 1 + 1)
        let eos = vocabulary.endOfSentenceID!
        #expect(encoded.ids.enumerated().filter { $0.element == eos }.map(\.offset) == [2, 2_000_003, 2_000_005])
    }

    @Test func linesToClassifyStayAlignedWithTheirInput() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-reader")
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = try tinyClassifier()
        let path = try TestSupport.write("a b\n\n" + Self.hugeLine + "\nzzz c", to: "lines.txt", in: dir)
        let lines = try m.encodeLines(of: Corpus(paths: [path]), maximumTokens: .max)
        #expect(lines.map(\.ids.count) == [2, 0, 2_000_000, 2])
        #expect(try m.encodeLines(of: Corpus(paths: [path])).map(\.ids.count) == [2, 0, 10_000, 2])
        #expect(lines[3].ids == [m.unknownID, Int32(m.vocabulary.id(of: "c")!)])
    }
}
