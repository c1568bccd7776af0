import Testing
import LexisText

struct TokenizerCase: CustomTestStringConvertible, Sendable {
    let name: String
    let input: String
    let expected: [String]
    var options = TokenizerOptions()
    var testDescription: String { name }
}

let tokenizerCases: [TokenizerCase] = [
    .init(name: "contractions and hyphens", input: "Don't stop-believing, it's well-known.",
          expected: ["don't", "stop", "believing", "it's", "well", "known"]),
    .init(name: "numbers", input: "It costs 3.14 or 1,000 dollars in 2024",
          expected: ["it", "costs", "3.14", "or", "1,000", "dollars", "in", "2024"]),
    .init(name: "drop numbers", input: "It costs 3.14 in 2024",
          expected: ["it", "costs", "in"], options: TokenizerOptions(keepNumbers: false)),
    .init(name: "URL", input: "see https://example.com/a?b=1 now",
          expected: ["see", "https", "example.com", "a", "b", "=", "1", "now"]),
    .init(name: "emoji kept as symbols", input: "I ❤ NY 😀!", expected: ["i", "❤", "ny", "😀"]),
    .init(name: "emoji dropped", input: "I ❤ NY 😀!", expected: ["i", "ny"],
          options: TokenizerOptions(keepSymbols: false)),
    .init(name: "punctuation kept", input: "Hello, world!", expected: ["hello", ",", "world", "!"],
          options: TokenizerOptions(keepPunctuation: true)),
    .init(name: "Chinese dictionary segmentation", input: "我们在北京大学学习自然语言处理",
          expected: ["我们", "在", "北京", "大学", "学习", "自然", "语言", "处理"]),
    .init(name: "Japanese", input: "これは日本語の文章です。", expected: ["これ", "は", "日本語", "の", "文章", "です"]),
    .init(name: "Thai", input: "ภาษาไทยเป็นภาษาที่สวยงาม", expected: ["ภาษา", "ไทย", "เป็น", "ภาษา", "ที่", "สวยงาม"]),
    .init(name: "NFKC with case folding", input: "ｶﾀｶﾅ ＡＢＣ①", expected: ["カタカナ", "abc", "1"],
          options: TokenizerOptions(nfkc: true)),
    .init(name: "NFKC without folding", input: "ＡＢＣ", expected: ["ABC"],
          options: TokenizerOptions(caseFold: false, nfkc: true)),
    .init(name: "case folding Straße", input: "Straße STRASSE", expected: ["strasse", "strasse"]),
    .init(name: "no case folding", input: "Straße Hello", expected: ["Straße", "Hello"],
          options: TokenizerOptions(caseFold: false)),
    .init(name: "Greek final sigma folds", input: "ΟΔΟΣ", expected: ["οδοσ"]),
    .init(name: "empty input", input: "", expected: []),
    .init(name: "only whitespace", input: " \t \n  \r\n ", expected: []),
    .init(name: "only punctuation", input: "... ,,, !!!", expected: []),
    .init(name: "whitespace mode keeps everything", input: "Hello, world!  a-b",
          expected: ["Hello,", "world!", "a-b"], options: .pretokenized),
    .init(name: "whitespace mode folds when asked", input: "Hello ÀB",
          expected: ["hello", "àb"], options: TokenizerOptions(mode: .whitespace)),
]

@Suite struct TokenizerTests {
    @Test(arguments: tokenizerCases)
    func tokenizes(_ c: TokenizerCase) throws {
        let tokenizer = try Tokenizer(options: c.options)
        #expect(tokenizer.tokens(in: c.input) == c.expected)
    }

    @Test func kindsFromRuleStatus() throws {
        let tokenizer = try Tokenizer(options: TokenizerOptions(keepPunctuation: true))
        let kinds = tokenizer.tokensWithKinds(in: "word 42 北京 , 😀 カタカナ").map(\.1)
        #expect(kinds == [.word, .number, .ideographic, .punctuation, .symbol, .ideographic])
    }

    /// The ASCII shortcut must give exactly what ICU gives on every span.
    @Test func asciiShortcutMatchesICU() throws {
        let text = """
            The U.S. economy grew 3.5% in Q3 2024, said Dr. O'Neil (who's 45) -- e-mail me at x@y.org! \
            abc123 123abc 3rd q3 a1b 1a2 a1a1 1a1a 2nd-to-last Straße naïve café coöperate foo_bar x86_64 C++ #hashtag @user \
            我们在北京 mixed漢字text ภาษาไทย 😀👍🏽 ＡＢＣ ... "quoted" 'single' [brackets] {braces} 1,000,000 -5 +7
            """
        for options in [TokenizerOptions(), TokenizerOptions(caseFold: false, keepPunctuation: true),
                        TokenizerOptions(nfkc: true, keepSymbols: false, keepNumbers: false)] {
            let fast = try Tokenizer(options: options)
            let slow = try Tokenizer(options: options)
            slow.forceICU = true
            for line in text.split(separator: " ").map(String.init) + [text] {
                #expect(fast.tokens(in: line) == slow.tokens(in: line), "\(options) on \(line)")
            }
        }
    }

    @Test func settingsRoundTrip() throws {
        let options = TokenizerOptions(mode: .whitespace, caseFold: false, nfkc: true, keepPunctuation: true,
                                       keepSymbols: false, keepNumbers: false, locale: "th")
        #expect(try TokenizerOptions(settings: options.description) == options)
        #expect(try TokenizerOptions(settings: TokenizerOptions().description) == TokenizerOptions())
        #expect(throws: LexisError.self) { try TokenizerOptions(settings: "mode=magic") }
        #expect(throws: LexisError.self) { try TokenizerOptions(settings: "colour=blue") }
    }
}

@Suite struct UTF8SanitizerTests {
    @Test func validInputIsUntouched() {
        var sanitizer = UTF8Sanitizer()
        let bytes = Array("héllo 世界 😀".utf8)
        let out = bytes.withUnsafeBufferPointer { Array(sanitizer.sanitize($0)) }
        #expect(out == bytes)
        #expect(sanitizer.replacedBytes == 0)
    }

    @Test(arguments: [
        ([0x61, 0xFF, 0x62] as [UInt8], "a\u{FFFD}b", 1),
        ([0xC3, 0x28], "\u{FFFD}(", 1),  // truncated 2-byte sequence
        ([0xE2, 0x82], "\u{FFFD}\u{FFFD}", 2),  // truncated 3-byte sequence at the end
        ([0xC0, 0xAF], "\u{FFFD}\u{FFFD}", 2),  // overlong
        ([0xED, 0xA0, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}", 3),  // surrogate
        ([0xF4, 0x90, 0x80, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}", 4),  // above U+10FFFF
    ])
    func invalidBytesAreReplacedAndCounted(input: [UInt8], expected: String, replaced: Int) {
        var sanitizer = UTF8Sanitizer()
        let out = input.withUnsafeBufferPointer { Array(sanitizer.sanitize($0)) }
        #expect(String(decoding: out, as: UTF8.self) == expected)
        #expect(sanitizer.replacedBytes == replaced)
    }

    @Test func tokenizerDropsReplacementCharacters() throws {
        var sanitizer = UTF8Sanitizer()
        let tokenizer = try Tokenizer()
        var tokens: [String] = []
        let input: [UInt8] = Array("ok ".utf8) + [0xFF, 0xFE] + Array(" fine".utf8)
        input.withUnsafeBufferPointer { raw in
            tokenizer.forEachToken(in: sanitizer.sanitize(raw)) { token, _ in
                tokens.append(String(decoding: token, as: UTF8.self))
            }
        }
        #expect(tokens == ["ok", "fine"])
        #expect(sanitizer.replacedBytes == 2)
    }

    /// A token of Tokenizer.maximumTokenBytes is kept; one byte more and it is dropped, in every
    /// mode (a gigabyte without a separator must not fill the vocabulary with huge "words").
    @Test(arguments: [TokenizerOptions(), .pretokenized, TokenizerOptions(caseFold: false), TokenizerOptions(nfkc: true)])
    func overlongTokensAreDropped(_ options: TokenizerOptions) throws {
        let tokenizer = try Tokenizer(options: options)
        let longest = String(repeating: "x", count: Tokenizer.maximumTokenBytes)
        let text = "a \(longest) \(longest)y b"
        #expect(tokenizer.tokens(in: text) == ["a", longest, "b"])
        #expect(tokenizer.tokens(in: String(repeating: "é", count: 600)).isEmpty)   // 1200 bytes
    }
}
