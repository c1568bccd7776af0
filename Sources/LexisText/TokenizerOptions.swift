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
        "mode=\(mode.rawValue) fold=\(caseFold) nfkc=\(nfkc) punctuation=\(keepPunctuation) "
            + "symbols=\(keepSymbols) numbers=\(keepNumbers) locale=\(locale.isEmpty ? "root" : locale)"
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
