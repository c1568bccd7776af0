import ArgumentParser
import Lexis

/// Tokenizer settings shared by every command that reads raw text.
struct TokenizerFlags: ParsableArguments {
    @Option(name: .customLong("tokenizer"),
            help: "icu: Unicode word boundaries with dictionary segmentation for Chinese, Japanese and Thai; whitespace: split on spaces only, for pre-tokenized corpora (text8 style).")
    var mode: TokenizerOptions.Mode = .icu

    @Flag(name: .customLong("no-fold-case"), help: "Keep letter case (default: Unicode case folding, Straße -> strasse).")
    var keepCase = false

    @Flag(help: "Apply NFKC normalization (full-width and compatibility forms, e.g. ＡＢＣ -> ABC).")
    var nfkc = false

    @Flag(help: "Keep punctuation tokens (icu mode; dropped by default).")
    var keepPunctuation = false

    @Flag(help: "Drop number tokens (icu mode; kept by default).")
    var dropNumbers = false

    @Flag(help: "Drop symbol tokens such as emoji and currency signs (icu mode; kept by default).")
    var dropSymbols = false

    @Option(help: "ICU locale for word boundaries, e.g. th or ja (default: root).")
    var locale: String = ""

    var options: TokenizerOptions {
        TokenizerOptions(mode: mode, caseFold: !keepCase, nfkc: nfkc, keepPunctuation: keepPunctuation,
                         keepSymbols: !dropSymbols, keepNumbers: !dropNumbers, locale: locale)
    }

    /// True when the user set any tokenizer flag (so a vocabulary's recorded settings would be overridden).
    var isCustomized: Bool { options != TokenizerOptions() }
}

extension TokenizerOptions.Mode: ExpressibleByArgument {}
