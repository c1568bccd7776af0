// The tokenizer: ICU word boundaries over UTF-8, or whitespace splitting for pre-tokenized text.
//
// Tokens come out as byte ranges of the input (or of a scratch buffer when case folding or NFKC
// changed them); no String is made per token, since that costs more than the ICU break itself.
//
// ASCII shortcut: a whitespace-delimited span made only of ASCII letters and digits is one token
// under Unicode's word-boundary rules (UAX #29: WB5, WB8-WB10; no rule joins across a space), so
// such spans skip ICU. Every other span (punctuation, apostrophes, non-ASCII) goes through ICU.
// `TokenizerOptions` has no switch for this: the results are the same, which the tests check
// against `forceICU`.
internal import CICU

/// Splits UTF-8 text into tokens: ICU word boundaries, or white space for pre-tokenized text,
/// followed by the case folding and NFKC that ``TokenizerOptions`` asks for.
///
/// Tokens are byte ranges; no `String` is made per token on the ``forEachToken(in:_:)`` path.
/// A tokenizer holds scratch buffers: use one per thread.
///
/// ```swift
/// let tokenizer = try Tokenizer(options: TokenizerOptions())
/// tokenizer.tokens(in: "Straße, 3 cafés!")  // ["strasse", "3", "cafés"]
/// ```
public final class Tokenizer {
    /// The settings the tokenizer was made with.
    public let options: TokenizerOptions
    /// Send every span through ICU (for testing the ASCII shortcut and for benchmarks).
    @exclusivity(unchecked) public var forceICU = false
    /// How runs of 3- and 4-byte characters (CJK, Thai, kana) reach ICU; nil (the default) is the
    /// process-wide choice, ``ICUTextPath/chosen``, measured at the first such run.
    @exclusivity(unchecked) public var widePath: ICUTextPath?

    private let dictionary: DictionaryMatcher?
    private let joiner: PhraseJoiner?
    /// Whether ICU's punctuation tokens come out of the splitting: when asked for, and always when
    /// joining phrases (punctuation stops a phrase even where it is then dropped).
    @exclusivity(unchecked) private var emitPunctuation: Bool

    private let breaker: OpaquePointer
    @exclusivity(unchecked) private var utext: UnsafeMutableRawPointer?
    private let normalizer: OpaquePointer?
    private let byteClass: UnsafeMutablePointer<UInt8>
    private let folded = ByteBuffer(capacity: 1024)
    @exclusivity(unchecked) private var utf16In: UnsafeMutablePointer<UInt16>
    @exclusivity(unchecked) private var utf16Out: UnsafeMutablePointer<UInt16>
    @exclusivity(unchecked) private var utf16Capacity = 1024
    /// For the UTF-16 path: byte offset (in the UTF-8 run) of each UTF-16 index.
    @exclusivity(unchecked) private var utf8Offsets: UnsafeMutablePointer<Int32>
    /// For the UTF-16 path: the run being broken (kept apart from the normalization buffers,
    /// which are used while ICU still iterates over this one).
    @exclusivity(unchecked) private var runUTF16: UnsafeMutablePointer<UInt16>
    @exclusivity(unchecked) private var offsetsCapacity = 1024

    // Byte classes, also used as bit flags when scanning a span.
    private static let lower: UInt8 = 1, upper: UInt8 = 2, digit: UInt8 = 4, other: UInt8 = 8,
                       nonASCII: UInt8 = 16, space: UInt8 = 32

    /// Creates a tokenizer.
    ///
    /// - Throws: ``LexisError/invalidArgument(_:)`` when ICU cannot open a word-break iterator
    ///   for `options.locale`, or has no NFKC normalizer, or when the options name a phrase table
    ///   that is not attached (``TokenizerOptions/attaching(phrases:)``).
    public init(options: TokenizerOptions = TokenizerOptions()) throws(LexisError) {
        self.options = options
        if let phrases = options.phrases {
            guard let table = phrases.table else {
                throw .invalidArgument("this text must be tokenized with a phrase table (\(phrases)) that was not given: "
                    + "pass --phrases with the table the vocabulary or model was built with")
            }
            joiner = PhraseJoiner(table: table)
        } else {
            joiner = nil
        }
        dictionary = options.dictionary.isEmpty || options.mode != .icu
            ? nil : DictionaryMatcher(words: options.dictionary, foldASCII: options.caseFold)
        emitPunctuation = options.keepPunctuation
        var status: Int32 = 0
        guard let bi = lexis_word_break_open(options.locale, &status), lexis_failed(status) == 0 else {
            throw .invalidArgument("ICU could not open a word break iterator for locale '\(options.locale)'")
        }
        breaker = bi
        if options.nfkc {
            normalizer = lexis_normalizer(options.caseFold ? 1 : 0, &status)
            if lexis_failed(status) != 0 { throw .invalidArgument("ICU has no NFKC normalizer") }
        } else {
            normalizer = nil
        }
        byteClass = .allocate(capacity: 256)
        for b in 0..<256 {
            let c: UInt8
            switch UInt8(b) {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): c = Self.lower
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): c = Self.upper
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c = Self.digit
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: c = Self.space
            case 0x80...0xFF: c = Self.nonASCII
            default: c = Self.other
            }
            byteClass[b] = c
        }
        utf16In = .allocate(capacity: utf16Capacity)
        utf16Out = .allocate(capacity: utf16Capacity)
        utf8Offsets = .allocate(capacity: offsetsCapacity)
        runUTF16 = .allocate(capacity: offsetsCapacity)
    }

    deinit {
        utf8Offsets.deallocate()
        runUTF16.deallocate()
        lexis_utext_close(utext)
        lexis_break_close(breaker)
        byteClass.deallocate()
        utf16In.deallocate()
        utf16Out.deallocate()
    }

    // MARK: - Public entry points

    /// Longer tokens are dropped (word2vec.c truncates words at 100 bytes; Lexis keeps every
    /// token of a real text whole, and drops what cannot be one).
    public static let maximumTokenBytes = 1024

    /// Calls `body` with each token of `text`, which must be valid UTF-8 (see `UTF8Sanitizer`).
    /// The token's bytes are valid only during the call. `text` is one line (or part of one):
    /// phrases never join across calls.
    public func forEachToken(in text: UnsafeBufferPointer<UInt8>,
                             _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        forEachToken(in: text, keepingPunctuation: options.keepPunctuation, body)
    }

    /// ``forEachToken(in:_:)``, with punctuation tokens passed on or not whatever the options say:
    /// phrase detection counts pairs between punctuation it does not count as words.
    public func forEachToken(in text: UnsafeBufferPointer<UInt8>, keepingPunctuation: Bool,
                             _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        guard let p = text.baseAddress, text.count > 0 else { return }
        guard let joiner else {
            emitPunctuation = keepingPunctuation
            split(p, text.count, body)
            return
        }
        emitPunctuation = true
        func deliver(_ token: UnsafeBufferPointer<UInt8>, _ kind: TokenKind) {
            if kind != .punctuation || keepingPunctuation { body(token, kind) }
        }
        split(p, text.count) { token, kind in joiner.feed(0, token, kind, deliver) }
        joiner.flush(0, deliver)
    }

    private func split(_ p: UnsafePointer<UInt8>, _ n: Int, _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        switch options.mode {
        case .whitespace: splitWhitespace(p, n, body)
        case .icu: splitWords(p, n, body)
        }
    }

    /// Tokens of a Swift string, for queries and tests (the training path never makes Strings).
    public func tokens(in string: String) -> [String] {
        tokensWithKinds(in: string).map(\.0)
    }

    /// Tokens of a Swift string with their kinds.
    public func tokensWithKinds(in string: String) -> [(String, TokenKind)] {
        var copy = string
        var result: [(String, TokenKind)] = []
        copy.withUTF8 { utf8 in
            forEachToken(in: utf8) { token, kind in
                result.append((String(decoding: token, as: UTF8.self), kind))
            }
        }
        return result
    }

    // Index arithmetic in the byte loops below wraps (&+): every index stays below the buffer
    // length, and a checked add costs 15-20% of tokenizer speed (measured; BENCHMARKS.md).

    /// Skips ASCII white space from `i`, then reads one span up to the next white space.
    /// Returns its start and the OR of its bytes' classes, and leaves `i` at its end.
    @inline(__always)
    private func nextSpan(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) -> (Int, UInt8)? {
        let cls = byteClass
        while i < n && cls[Int(p[i])] == Self.space { i &+= 1 }
        if i >= n { return nil }
        let start = i
        var flags: UInt8 = 0
        while i < n {
            let c = cls[Int(p[i])]
            if c == Self.space { break }
            flags |= c
            i &+= 1
        }
        return (start, flags)
    }

    // MARK: - Whitespace mode

    private func splitWhitespace(_ p: UnsafePointer<UInt8>, _ n: Int,
                                 _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        var i = 0
        while let (start, flags) = nextSpan(p, n, &i) {
            let kind: TokenKind = flags == Self.digit ? .number : .word
            emit(p + start, i - start, flags, kind, body)
        }
    }

    // MARK: - ICU mode

    private func splitWords(_ p: UnsafePointer<UInt8>, _ n: Int,
                            _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        if forceICU {
            breakRun(p, 0, n, body)
            return
        }
        let cls = byteClass
        var i = 0
        var complexStart = -1
        while let (start, flags) = nextSpan(p, n, &i) {
            if flags & (Self.other | Self.nonASCII) == 0 {
                if complexStart >= 0 {
                    breakRun(p, complexStart, start, body)
                    complexStart = -1
                }
                // ICU labels a letter-digit run by the rule that matched last: "abc123" and
                // "q3" are numbers, "3rd" is a word. The last byte decides the same way.
                if cls[Int(p[i - 1])] != Self.digit {
                    emit(p + start, i - start, flags, .word, body)
                } else if options.keepNumbers {
                    emit(p + start, i - start, flags, .number, body)
                }
            } else if complexStart < 0 {
                complexStart = start
            }
        }
        if complexStart >= 0 { breakRun(p, complexStart, n, body) }
    }

    /// Breaks bytes [from, to) with ICU, after taking out the user dictionary's words (longest
    /// match first; see UserDictionary.swift for the rules).
    private func breakRun(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int,
                          _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        guard let dictionary else {
            breakWithICU(p, from, to, body)
            return
        }
        var i = from, rest = from
        while i < to {
            let b = p[i]
            if dictionary.mayStart(b), let end = dictionary.longestMatch(p, i, to),
               !Self.insideWord(p, i), end == to || !Self.insideWord(p, end) {
                if rest < i { breakWithICU(p, rest, i, body) }
                emit(p + i, end - i, nil, dictionaryKind(p + i, end - i), body)
                i = end
                rest = end
                continue
            }
            i &+= utf8Length(b)
        }
        if rest < to { breakWithICU(p, rest, to, body) }
    }

    /// Whether the boundary before `p[i]` falls inside a word of a script written with spaces
    /// (letters, marks, digits or `_` on both sides). Scripts without spaces have no such inside.
    private static func insideWord(_ p: UnsafePointer<UInt8>, _ i: Int) -> Bool {
        guard i > 0 else { return false }
        var k = i - 1
        while k > 0 && p[k] & 0xC0 == 0x80 { k -= 1 }
        // The text is valid UTF-8 and p[i] starts a whole character, so 4 bytes bound its length.
        return isSpacedWordCharacter(firstScalar(p + k, i - k)) && isSpacedWordCharacter(firstScalar(p + i, 4))
    }

    private static func isSpacedWordCharacter(_ c: Int32) -> Bool {
        if c < 0x80 {
            let b = UInt8(c)
            return b &- 48 < 10 || (b | 0x20) &- 97 < 26 || b == 0x5F
        }
        if isUnspaced(UInt32(c)) { return false }
        return (1...11).contains(lexis_char_type(c))  // letters, marks, numbers
    }

    /// A dictionary word's kind: ideographic when it starts with kana or an ideograph, a number
    /// when it is all digits, a word otherwise.
    private func dictionaryKind(_ p: UnsafePointer<UInt8>, _ n: Int) -> TokenKind {
        let first = Self.firstScalar(p, n)
        if (0x3040...0x30FF).contains(first) || (0x3400...0x9FFF).contains(first) || (0x20000...0x3FFFF).contains(first) {
            return .ideographic
        }
        var digits = true
        for i in 0..<n where p[i] &- 48 >= 10 { digits = false; break }
        return digits ? .number : .word
    }

    /// Breaks bytes [from, to) with ICU. Text with 3- and 4-byte characters (CJK, Thai, kana...)
    /// goes through ICU's UTF-16 interface when ``widePath`` says so (faster for those scripts on
    /// some CPUs, slower on others: ``ICUTextPath/chosen`` measures); other text always through a
    /// UTF-8 UText with no conversion.
    private func breakWithICU(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int,
                              _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        var status: Int32 = 0
        let base = p + from
        let length = to - from
        var wide = false
        for i in 0..<length where base[i] >= 0xE0 { wide = true; break }
        if wide && (widePath ?? .chosen) == .utf8 { wide = false }
        if wide {
            let units = toUTF16(base, length)
            lexis_break_set_utf16(breaker, runUTF16, Int32(units), &status)
        } else {
            utext = lexis_break_set_utf8(breaker, utext, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                         Int64(length), &status)
        }
        guard lexis_failed(status) == 0 else { return }
        let offsets = utf8Offsets
        var previous = Int(lexis_break_first(breaker))
        while true {
            var next = Int(lexis_break_next(breaker))
            if next < 0 { break }
            if wide { next = Int(offsets[next]) }  // UTF-16 index -> byte offset
            let rule = lexis_break_rule_status(breaker)
            let token = base + previous
            let length = next - previous
            previous = next
            let kind: TokenKind
            if rule >= Int32(LEXIS_STATUS_KANA) {
                kind = .ideographic
            } else if rule >= Int32(LEXIS_STATUS_LETTER) {
                kind = .word
            } else if rule >= Int32(LEXIS_STATUS_NUMBER) {
                kind = .number
            } else {
                guard let k = classifyUnlabelled(token, length) else { continue }
                kind = k
            }
            switch kind {
            case .number where !options.keepNumbers: continue
            case .punctuation where !emitPunctuation: continue
            case .symbol where !options.keepSymbols: continue
            default: break
            }
            emit(token, length, nil, kind, body)
        }
    }

    /// ICU gives spaces, punctuation and symbols the same "none" status; the first code point's
    /// general category tells them apart. Nil means white space or control: not a token.
    private func classifyUnlabelled(_ p: UnsafePointer<UInt8>, _ n: Int) -> TokenKind? {
        let scalar = Self.firstScalar(p, n)
        // White space is not a token, nor U+FFFD, which stands for bytes that were not UTF-8.
        if scalar == 0xFFFD || lexis_is_white_space(scalar) != 0 { return nil }
        switch lexis_char_type(scalar) {
        case 19...23, 28, 29: return .punctuation  // Pd Ps Pe Pc Po Pi Pf
        case 24...27: return .symbol  // Sm Sc Sk So (emoji are So)
        case 9...11: return .number  // Nd Nl No
        case 1...8: return .word  // letters and marks
        default: return nil  // controls, format characters, unassigned
        }
    }

    @inline(__always)
    private static func firstScalar(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let b0 = Int32(p[0])
        if b0 < 0x80 || n < 2 { return b0 }
        if b0 < 0xE0 { return (b0 & 0x1F) << 6 | Int32(p[1] & 0x3F) }
        if b0 < 0xF0 || n < 4 {
            return n < 3 ? 0xFFFD : (b0 & 0x0F) << 12 | Int32(p[1] & 0x3F) << 6 | Int32(p[2] & 0x3F)
        }
        return (b0 & 0x07) << 18 | Int32(p[1] & 0x3F) << 12 | Int32(p[2] & 0x3F) << 6 | Int32(p[3] & 0x3F)
    }

    /// Decodes valid UTF-8 into `runUTF16`, recording each unit's byte offset in `utf8Offsets`
    /// (plus one past the end). Returns the number of UTF-16 units.
    private func toUTF16(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        if n + 1 > offsetsCapacity {
            utf8Offsets.deallocate()
            runUTF16.deallocate()
            offsetsCapacity = max(n + 1, offsetsCapacity * 2)
            utf8Offsets = .allocate(capacity: offsetsCapacity)
            runUTF16 = .allocate(capacity: offsetsCapacity)
        }
        let out = runUTF16, offsets = utf8Offsets
        var i = 0, j = 0
        while i < n {
            let b0 = UInt32(p[i])
            offsets[j] = Int32(i)
            if b0 < 0x80 {
                out[j] = UInt16(b0); i &+= 1; j &+= 1
            } else if b0 < 0xE0 {
                out[j] = UInt16((b0 & 0x1F) << 6 | UInt32(p[i &+ 1] & 0x3F)); i &+= 2; j &+= 1
            } else if b0 < 0xF0 {
                out[j] = UInt16((b0 & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F))
                i &+= 3; j &+= 1
            } else {
                let scalar = (b0 & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6
                    | UInt32(p[i + 3] & 0x3F)
                let v = scalar - 0x10000
                out[j] = UInt16(0xD800 | (v >> 10))
                out[j + 1] = UInt16(0xDC00 | (v & 0x3FF))
                offsets[j + 1] = Int32(i)
                i &+= 4; j &+= 2
            }
        }
        offsets[j] = Int32(n)
        return j
    }

    // MARK: - Normalization

    /// Emits a token after case folding and NFKC as the options ask. `flags` are the byte
    /// classes seen when the caller already scanned the token, nil when it has not.
    @inline(__always)
    private func emit(_ p: UnsafePointer<UInt8>, _ n: Int, _ flags: UInt8?, _ kind: TokenKind,
                      _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        // No word is this long: a gigabyte without a separator (a blob, a broken file) would
        // otherwise become a thousand megabyte-sized "words" in the vocabulary's table.
        if n > Self.maximumTokenBytes { return }
        if !options.caseFold && !options.nfkc {
            body(UnsafeBufferPointer(start: p, count: n), kind)
            return
        }
        var f: UInt8 = 0
        if let flags { f = flags } else { for i in 0..<n { f |= byteClass[Int(p[i])] } }
        if f & Self.nonASCII == 0 {
            // ASCII: NFKC is the identity and folding is lowercasing.
            if !options.caseFold || f & Self.upper == 0 {
                body(UnsafeBufferPointer(start: p, count: n), kind)
                return
            }
            folded.count = 0
            folded.reserve(n)
            for i in 0..<n {
                let b = p[i]
                folded.base[i] = b &- 65 < 26 ? b | 0x20 : b
            }
            folded.count = n
            body(folded.bytes, kind)
            return
        }
        if !options.nfkc && Self.isCaseless(p, n) {
            body(UnsafeBufferPointer(start: p, count: n), kind)
            return
        }
        guard let out = normalizeNonASCII(p, n), out.count > 0 else { return }
        body(out, kind)
    }

    /// True when no character of the token has a case mapping, judged by UTF-8 lead bytes:
    /// U+0800-0FFF (E0: Indic, Thai, ...), U+3000-9FFF (E3-E9: CJK, kana) and U+B000-EFFF
    /// (EB-EE: Hangul, private use) have none. Latin, Greek, Cyrillic and friends (2-byte leads,
    /// E1, E2, EA, EF) and 4-byte characters go through ICU's folding.
    @inline(__always)
    static func isCaseless(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i < n {
            let b = p[i]
            if b < 0x80 {
                if b &- 65 < 26 { return false }
                i &+= 1
            } else if b == 0xE0 || (b >= 0xE3 && b <= 0xE9) || (b >= 0xEB && b <= 0xEE) {
                i &+= 3
            } else {
                return false
            }
        }
        return true
    }

    private func ensureUTF16(_ needed: Int) {
        if needed <= utf16Capacity { return }
        utf16Capacity = max(needed, utf16Capacity * 2)
        utf16In.deallocate()
        utf16Out.deallocate()
        utf16In = .allocate(capacity: utf16Capacity)
        utf16Out = .allocate(capacity: utf16Capacity)
    }

    /// UTF-8 -> UTF-16 -> ICU (NFKC, NFKC_Casefold or full case folding) -> UTF-8 in `folded`.
    private func normalizeNonASCII(_ p: UnsafePointer<UInt8>, _ n: Int) -> UnsafeBufferPointer<UInt8>? {
        var status: Int32 = 0
        ensureUTF16(n + 1)
        let source = UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self)
        let length16 = lexis_utf8_to_utf16(utf16In, Int32(utf16Capacity), source, Int32(n), &status)
        guard lexis_failed(status) == 0 else { return nil }
        var outLength: Int32 = 0
        for _ in 0..<2 {  // a second try when the result did not fit
            let outCapacity = Int32(utf16Capacity)
            if let normalizer {
                outLength = lexis_normalize(normalizer, utf16In, length16, utf16Out, outCapacity, &status)
            } else {
                outLength = lexis_fold_case(utf16Out, outCapacity, utf16In, length16, &status)
            }
            if lexis_failed(status) == 0 { break }
            if Int(outLength) < utf16Capacity { return nil }
            let keep = Array(UnsafeBufferPointer(start: utf16In, count: Int(length16)))
            ensureUTF16(Int(outLength) + 1)
            keep.withUnsafeBufferPointer { utf16In.update(from: $0.baseAddress!, count: keep.count) }
            status = 0
        }
        guard lexis_failed(status) == 0 else { return nil }
        folded.count = 0
        folded.reserve(Int(outLength) * 3 + 4)
        let written = lexis_utf16_to_utf8(UnsafeMutableRawPointer(folded.base).assumingMemoryBound(to: CChar.self),
                                          Int32(folded.capacity), utf16Out, outLength, &status)
        guard lexis_failed(status) == 0 else { return nil }
        folded.count = Int(written)
        return folded.bytes
    }
}
