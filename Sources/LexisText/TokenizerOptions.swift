// Tokenizer settings. They are recorded in every vocabulary, vector and model file so that
// training, queries and models tokenize text the same way.

/// How text is split into tokens and normalized.
///
/// The options are recorded in every vocabulary, vector and model file (as ``description``), so
/// that training, queries and models tokenize text the same way.
public struct TokenizerOptions: Sendable, Hashable, CustomStringConvertible {
    /// How text is split.
    public enum Mode: String, Sendable, CaseIterable {
        /// ICU word boundaries with dictionary segmentation for Chinese, Japanese and Thai.
        case icu
        /// Split on ASCII white space only, for corpora that are already tokenized (text8 style).
        case whitespace
    }

    /// How text is split.
    public var mode: Mode
    /// Unicode case folding (`Straße` -> `strasse`).
    public var caseFold: Bool
    /// NFKC normalization (`ｶﾀｶﾅ` -> `カタカナ`, `①` -> `1`).
    public var nfkc: Bool
    /// Keep punctuation tokens (ICU mode only).
    public var keepPunctuation: Bool
    /// Keep symbol tokens such as emoji and currency signs (ICU mode only).
    public var keepSymbols: Bool
    /// Keep number tokens (ICU mode only).
    public var keepNumbers: Bool
    /// ICU locale for the break iterator ("" is the root locale, right for most text).
    public var locale: String
    /// Words the tokenizer keeps whole, longest match first, on top of ICU's segmentation (ICU mode
    /// only): a user dictionary of names and terms. Sorted, without duplicates; see ``UserDictionary``.
    public var dictionary: [String] = []
    /// The phrase table whose units are joined after tokenization (`new york` -> `new_york`,
    /// `玄 德` -> `玄德`), or nil. Files record its size and fingerprint, not its entries: a table read
    /// back from a file's settings has ``PhraseTableReference/table`` nil until one is attached
    /// with ``attaching(phrases:)``.
    public var phrases: PhraseTableReference?

    /// Defaults for training word vectors: ICU, fold case, drop punctuation, keep numbers and symbols.
    public init(mode: Mode = .icu, caseFold: Bool = true, nfkc: Bool = false, keepPunctuation: Bool = false,
                keepSymbols: Bool = true, keepNumbers: Bool = true, locale: String = "") {
        self.mode = mode
        self.caseFold = caseFold
        self.nfkc = nfkc
        self.keepPunctuation = keepPunctuation
        self.keepSymbols = keepSymbols
        self.keepNumbers = keepNumbers
        self.locale = locale
    }

    /// Whitespace splitting with no other change: for text8-style corpora.
    public static let pretokenized = TokenizerOptions(mode: .whitespace, caseFold: false)

    /// One line, `key=value` pairs separated by spaces; parsed back by `init(settings:)`.
    public var description: String {
        var text = "mode=\(mode.rawValue) fold=\(caseFold) nfkc=\(nfkc) punctuation=\(keepPunctuation) "
            + "symbols=\(keepSymbols) numbers=\(keepNumbers) locale=\(locale.isEmpty ? "root" : locale)"
        if !dictionary.isEmpty { text += " dictionary=" + UserDictionary.encode(dictionary) }
        if let phrases { text += " phrases=\(phrases)" }
        return text
    }

    /// These settings without the phrase table: how a query word is normalized (phrases join
    /// several tokens, a query is one).
    public var withoutPhrases: TokenizerOptions {
        var copy = self
        copy.phrases = nil
        return copy
    }

    /// These settings with `table` attached for joining.
    ///
    /// - Throws: ``LexisError/invalidArgument(_:)`` when the settings record a different phrase
    ///   table, or when the table was built with other tokenizer settings.
    public func attaching(phrases table: PhraseTable) throws(LexisError) -> TokenizerOptions {
        if let recorded = phrases, recorded != table.reference {
            throw .invalidArgument("the phrase table \(table.path ?? "given") (\(table.reference!)) is not the one these settings "
                + "were made with (\(recorded)): pass the phrase table the vocabulary or model was built with")
        }
        var base = self
        base.phrases = nil
        guard base == table.tokenizer else {
            throw .invalidArgument("the phrase table \(table.path ?? "given") was built with other tokenizer settings "
                + "(\(table.tokenizer)) than these (\(base)): build it again with the same tokenizer flags")
        }
        base.phrases = table.reference
        return base
    }

    /// Parses the `description` form. Unknown keys are an error so that a newer file is not
    /// silently tokenized the wrong way.
    ///
    /// - Throws: ``LexisError/invalidArgument(_:)`` for a malformed pair, an unknown key or mode,
    ///   or a flag that is not `true` or `false`.
    public init(settings: String) throws(LexisError) {
        self.init()
        for pair in settings.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw .invalidArgument("bad tokenizer setting '\(pair)' (expected key=value)")
            }
            let (key, value) = (parts[0], parts[1])
            func flag() throws(LexisError) -> Bool {
                switch value {
                case "true": return true
                case "false": return false
                default: throw .invalidArgument("bad tokenizer setting '\(pair)' (expected true or false)")
                }
            }
            switch key {
            case "mode":
                guard let m = Mode(rawValue: value) else {
                    throw .invalidArgument("unknown tokenizer mode '\(value)' (expected icu or whitespace)")
                }
                mode = m
            case "fold": caseFold = try flag()
            case "nfkc": nfkc = try flag()
            case "punctuation": keepPunctuation = try flag()
            case "symbols": keepSymbols = try flag()
            case "numbers": keepNumbers = try flag()
            case "locale": locale = value == "root" ? "" : value
            case "dictionary": dictionary = try UserDictionary.decode(value)
            case "phrases": phrases = try PhraseTableReference(value)
            default: throw .invalidArgument("unknown tokenizer setting '\(key)'")
            }
        }
    }
}

/// What a token is, from ICU's rule status (ICU mode) or from its bytes (whitespace mode).
///
/// - `word`: letters and marks (including letter-digit runs that end in a letter, such as `3rd`).
/// - `number`: digits, or a letter-digit run that ends in a digit (`abc123`).
/// - `ideographic`: kana and ideographs (ICU mode).
/// - `punctuation`: punctuation characters (ICU mode).
/// - `symbol`: emoji, currency and math signs (ICU mode).
public enum TokenKind: UInt8, Sendable {
    case word, number, ideographic, punctuation, symbol
}
