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

    @Option(help: ArgumentHelp("A user dictionary: one word per line (UTF-8), kept whole by the tokenizer in every script, longest match first, on top of ICU's segmentation (icu mode). Recorded in the output files.",
                               valueName: "words.txt"))
    var dictionary: String?

    /// The settings these flags ask for, with the dictionary file read.
    ///
    /// - Throws: `LexisError` for a dictionary that cannot be read or has a bad line.
    func options() throws -> TokenizerOptions {
        var options = TokenizerOptions(mode: mode, caseFold: !keepCase, nfkc: nfkc, keepPunctuation: keepPunctuation,
                                       keepSymbols: !dropSymbols, keepNumbers: !dropNumbers, locale: locale)
        if let dictionary {
            guard mode == .icu else {
                throw ValidationError("--dictionary applies to --tokenizer icu (whitespace mode keeps every space-separated word whole)")
            }
            options.dictionary = try UserDictionary.load(path: dictionary)
        }
        return options
    }

    /// True when the user set any tokenizer flag (so a vocabulary's recorded settings would be overridden).
    var isCustomized: Bool {
        dictionary != nil || (try? options()) != TokenizerOptions()
    }
}

/// `--phrases`: a phrase table joined into the token stream (tokenize, vocab build, train).
struct PhraseFlags: ParsableArguments {
    @Option(help: ArgumentHelp("A phrase table from `lexis phrases build`: its multi-word units are joined into single tokens on the fly (new york -> new_york, 玄 德 -> 玄德). Recorded in the output files.",
                               valueName: "phrases.tsv"))
    var phrases: String?

    /// `options` with the phrase table attached, when one is given.
    ///
    /// - Throws: `LexisError` for a table that cannot be read or was built with other tokenizer settings.
    func attach(to options: TokenizerOptions) throws -> TokenizerOptions {
        guard let phrases else { return options }
        return try options.attaching(phrases: PhraseTable.load(path: phrases))
    }

    /// Settings recorded in a file (a vocabulary, a checkpoint), with the phrase table they name
    /// attached: `--phrases` must then give it, and must not be given for settings without one.
    func attach(toRecorded recorded: TokenizerOptions, of file: String) throws -> TokenizerOptions {
        switch (recorded.phrases, phrases) {
        case (nil, nil): return recorded
        case (nil, let path?):
            throw ValidationError("\(file) was built without phrases; --phrases \(path) would tokenize differently. Build it again with --phrases, or leave --phrases out")
        case (let reference?, nil):
            throw ValidationError("\(file) was built with a phrase table (\(reference) phrases:fingerprint): pass it with --phrases")
        case (_, let path?):
            return try recorded.attaching(phrases: PhraseTable.load(path: path))
        }
    }
}

extension TokenizerOptions.Mode: ExpressibleByArgument {}
