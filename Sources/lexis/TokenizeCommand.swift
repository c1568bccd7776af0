import ArgumentParser
import Lexis

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Write one line of space-separated tokens per input line.",
        discussion: """
            Reads files, directories (every file below, in sorted order) or stdin (- or no input) in \
            bounded memory. Invalid UTF-8 bytes are replaced by U+FFFD and counted on stderr.
            Example: lexis tokenize corpora/en/demo.txt | head
            """)

    @Argument(help: "Files or directories to read; - or nothing reads stdin.")
    var inputs: [String] = []

    @OptionGroup var tokenizer: TokenizerFlags

    @OptionGroup var phrases: PhraseFlags

    @Flag(help: "Print each token's kind (word, number, ideographic, punctuation, symbol) as token/kind.")
    var kinds = false

    @Flag(name: .shortAndLong, help: "Print nothing on stderr.")
    var quiet = false

    func run() throws {
        let corpus = try Corpus(paths: inputs.isEmpty ? ["-"] : inputs)
        let tokenizer = try Tokenizer(options: phrases.attach(to: self.tokenizer.options()))
        let reader = try CorpusReader(corpus: corpus)
        let out = StandardOutput()
        let progress = ProgressLine(quiet: quiet)
        let total = corpus.totalBytes
        var lineHasTokens = false
        let kindNames: [TokenKind: [UInt8]] = [.word: Array("/word".utf8), .number: Array("/number".utf8),
                                               .ideographic: Array("/ideographic".utf8),
                                               .punctuation: Array("/punctuation".utf8),
                                               .symbol: Array("/symbol".utf8)]
        var segments = 0
        while let segment = try reader.next() {
            tokenizer.forEachToken(in: segment.bytes) { token, kind in
                if lineHasTokens { out.append(0x20) }
                out.append(token)
                if kinds { out.append(kindNames[kind]!) }
                lineHasTokens = true
            }
            if segment.endsLine {
                out.append(0x0A)
                lineHasTokens = false
            }
            try out.flushIfFull()
            segments += 1
            if segments & 1023 == 0 {
                progress.update("tokenize: " + ProgressLine.bytesLine(done: reader.bytesRead, total: total,
                                                                      seconds: progress.elapsed))
            }
        }
        try out.flush()
        if reader.invalidBytes > 0 {
            progress.warnInvalidBytes(reader.invalidBytes)
        } else if reader.bytesRead > 10_000_000 {
            progress.finish("tokenize: " + ProgressLine.bytesLine(done: reader.bytesRead, total: nil,
                                                                  seconds: progress.elapsed))
        }
    }
}
