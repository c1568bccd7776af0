import Foundation
import Testing
import LexisText
import LexisTestSupport

/// Reads a whole range and returns its whitespace tokens and segment count.
func readTokens(_ corpus: Corpus, _ range: CorpusRange? = nil, chunkSize: Int = 1 << 20) throws -> ([String], Int) {
    let reader = try CorpusReader(corpus: corpus, range: range, chunkSize: chunkSize)
    let tokenizer = try Tokenizer(options: .pretokenized)
    var tokens: [String] = []
    var segments = 0
    while let segment = try reader.next() {
        segments += 1
        tokenizer.forEachToken(in: segment.bytes) { token, _ in tokens.append(String(decoding: token, as: UTF8.self)) }
    }
    return (tokens, segments)
}

@Suite struct CorpusTests {
    @Test func linesAndFilesInOrder() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        TestSupport.writeOrFail("a b\nc\r\n\nd", to: "1.txt", in: dir)
        TestSupport.writeOrFail("e f\n", to: "2.txt", in: dir)
        let corpus = try Corpus(paths: [dir.path])
        #expect(corpus.files.map { ($0 as NSString).lastPathComponent } == ["1.txt", "2.txt"])
        let reader = try CorpusReader(corpus: corpus)
        var lines: [String] = []
        while let segment = try reader.next() {
            #expect(segment.endsLine)
            lines.append(String(decoding: segment.bytes, as: UTF8.self))
        }
        #expect(lines == ["a b", "c", "", "d", "e f"])
    }

    @Test func emptyFileGivesNothing() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = TestSupport.writeOrFail("", to: "empty.txt", in: dir)
        let (tokens, segments) = try readTokens(try Corpus(paths: [path]))
        #expect(tokens.isEmpty && segments == 0)
    }

    @Test func missingFileIsAClearError() {
        #expect(throws: LexisError.cannotRead(path: "/no/such/file.txt", reason: "No such file or directory")) {
            try Corpus(paths: ["/no/such/file.txt"])
        }
    }

    /// A 10 MB line with no newline goes through a 64 KB buffer, cut at spaces, nothing lost.
    @Test func longLineInBoundedMemory() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var words: [String] = []
        var text = ""
        var k = 0
        while text.utf8.count < 10_000_000 {
            let w = "w\(k % 9973)"
            words.append(w)
            text += w + " "
            k += 1
        }
        let path = TestSupport.writeOrFail(text, to: "long.txt", in: dir)
        let (tokens, segments) = try readTokens(try Corpus(paths: [path]), chunkSize: 1 << 16)
        #expect(segments > 100)
        #expect(tokens == words)
    }

    /// No white space at all: cut at character boundaries, so multi-byte characters survive.
    @Test func longLineWithoutSpacesKeepsCharactersWhole() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = String(repeating: "我們a😀", count: 50_000)
        let path = TestSupport.writeOrFail(text, to: "cjk.txt", in: dir)
        let reader = try CorpusReader(corpus: try Corpus(paths: [path]), chunkSize: 1000)
        var joined = ""
        var segments = 0
        while let segment = try reader.next() {
            segments += 1
            joined += String(decoding: segment.bytes, as: UTF8.self)
        }
        #expect(segments > 100)
        #expect(reader.invalidBytes == 0)
        #expect(joined == text)
    }

    /// Every token is seen exactly once across N ranges, for several N and several files.
    @Test(arguments: [1, 2, 3, 7, 16])
    func rangesCoverEveryTokenOnce(count: Int) throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var expected: [String] = []
        for f in 0..<3 {
            var text = ""
            for line in 0..<200 {
                let n = (line * 7 + f) % 13
                let words = (0..<n).map { "t\(f)_\(line)_\($0)" + String(repeating: "x", count: $0 % 5) }
                expected += words
                text += words.joined(separator: line % 3 == 0 ? "  " : " ") + "\n"
            }
            TestSupport.writeOrFail(text, to: "part\(f).txt", in: dir)
        }
        let corpus = try Corpus(paths: [dir.path])
        let ranges = try corpus.ranges(count)
        #expect(ranges.count == count)
        #expect(ranges.first?.start == 0 && ranges.last?.end == corpus.totalBytes)
        var seen: [String] = []
        for range in ranges {
            seen += try readTokens(corpus, range).0
        }
        #expect(seen == expected)
    }
}
