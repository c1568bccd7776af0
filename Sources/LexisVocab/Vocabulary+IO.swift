// Vocabulary files: UTF-8 text. Lexis's own form starts with `#` header lines, the first being
// `# lexis vocabulary 1`, and records the tokenizer settings; then one `token<TAB>count` per line.
// word2vec.c's `-save-vocab` form (`word count` per line, no header) is read too; its `</s>`
// sentence marker is dropped because Lexis ends sentences at line ends instead.
// Inside binary files (models, checkpoints) a vocabulary is one section of the framing, written
// and read only here: tokens, counts, tokenizer settings and special tokens, as in the text form.
import LexisText

extension Vocabulary {
    /// The version written in the `# lexis vocabulary` header; newer files are refused.
    public static let formatVersion = 1

    /// Writes the vocabulary as UTF-8 text, atomically: `#` header lines (format version, tokenizer
    /// settings, token and total counts), then one `token<TAB>count` line per token in id order.
    ///
    /// - Throws: `LexisError/cannotWrite(path:reason:)`.
    public func save(to path: String) throws(LexisError) {
        let writer = try AtomicFileWriter(path: path)
        var text = "# lexis vocabulary \(Self.formatVersion)\n"
        text += "# tokenizer: \(tokenizer)\n"
        text += "# tokens: \(count)\n"
        text += "# total: \(totalCount)\n"
        if !specialTokens.isEmpty { text += "# special: \(specialTokens.names.joined(separator: " "))\n" }
        try writer.write(text)
        var line = ""
        for (token, c) in zip(tokens, counts) {
            line.removeAll(keepingCapacity: true)
            line += token
            line += "\t"
            line += String(c)
            line += "\n"
            try writer.write(line)
        }
        try writer.commit()
    }

    /// Reads a vocabulary written by ``save(to:)`` or by word2vec.c's `-save-vocab`.
    ///
    /// A word2vec.c file (`word count` per line, no header) drops its `</s>` entry and gets the
    /// default `TokenizerOptions`. Ids follow the file's line order.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for an empty, binary or non-UTF-8 file, a bad line, a duplicate token, a newer format
    ///   version or a token count that disagrees with the header.
    public static func load(path: String) throws(LexisError) -> Vocabulary {
        // Streamed line by line (10 million entries once took 1.6 GB as one String and its lines).
        let reader = try CorpusReader(corpus: try Corpus(paths: [path]))
        func bad(_ line: Int?, _ problem: String, _ fix: String = "Fix or rebuild the vocabulary file") -> LexisError {
            .malformed(path: path, line: line, problem: problem, fix: fix)
        }
        var isLexis = false, first = true
        var tokenizer = TokenizerOptions()
        var declaredCount: Int?
        var specialTokens: SpecialTokens = []
        var tokens: [String] = [], counts: [Int64] = [], lines: [Int32] = []
        while let segment = try reader.next() {
            let number = segment.line
            let bytes = segment.bytes
            if bytes.contains(0) {
                throw bad(number, "this is a binary file, not a vocabulary",
                          "Give a vocabulary written by `lexis vocab build` or word2vec's -save-vocab")
            }
            if reader.invalidBytes > 0 {
                throw bad(number, "invalid UTF-8", "Vocabulary files are UTF-8 text; rebuild it with `lexis vocab build`")
            }
            guard segment.endsLine else { throw bad(number, "the line is longer than a megabyte") }
            let line = String(decoding: bytes, as: UTF8.self)
            if first {
                first = false
                isLexis = line.hasPrefix("# lexis vocabulary")
                if isLexis {
                    let version = Int(line.split(separator: " ").last ?? "") ?? 0
                    guard version >= 1 else { throw bad(1, "unreadable vocabulary version", "Rebuild it with `lexis vocab build`") }
                    guard version <= formatVersion else {
                        throw bad(1, "vocabulary format version \(version) is newer than this Lexis reads (\(formatVersion))", "Upgrade Lexis")
                    }
                } else if line.hasPrefix("#") {
                    throw bad(1, "not a Lexis vocabulary (no '# lexis vocabulary' header)",
                              "Give a file written by `lexis vocab build` or word2vec's -save-vocab")
                }
            }
            if line.isEmpty { continue }
            // Header lines are `# key: value` (tokens never hold a space; data lines hold a tab).
            if isLexis && line.hasPrefix("# ") && !line.contains("\t") {
                if line.hasPrefix("# tokenizer: ") {
                    do {
                        tokenizer = try TokenizerOptions(settings: String(line.dropFirst("# tokenizer: ".count)))
                    } catch {
                        throw bad(number, "\(error)", "Rebuild the vocabulary with this version of Lexis")
                    }
                } else if line.hasPrefix("# special: ") {
                    guard let special = SpecialTokens(names: line.dropFirst("# special: ".count).split(separator: " ")) else {
                        throw bad(number, "unknown special token in '\(line)'", "Upgrade Lexis, or rebuild the vocabulary with this version")
                    }
                    specialTokens = special
                } else if line.hasPrefix("# tokens: ") {
                    declaredCount = Int(line.dropFirst("# tokens: ".count))
                }
                continue
            }
            let separator: Character = isLexis ? "\t" : " "
            guard let cut = line.lastIndex(of: separator) else {
                throw bad(number, isLexis ? "expected token<TAB>count" : "expected 'word count'")
            }
            let token = line[..<cut]
            let countText = line[line.index(after: cut)...]
            guard let c = Int64(countText), c >= 0 else { throw bad(number, "the count '\(countText)' is not a whole number") }
            if token.isEmpty { throw bad(number, "empty token") }
            if !isLexis && token == "</s>" { continue }
            tokens.append(String(token))
            counts.append(c)
            lines.append(Int32(truncatingIfNeeded: number))
        }
        if first {
            throw bad(nil, "the file is empty", "Build a vocabulary with `lexis vocab build CORPUS -o \(path)`")
        }
        if let declaredCount, declaredCount != tokens.count {
            throw bad(nil, "the header says \(declaredCount) tokens but the file has \(tokens.count) (truncated?)",
                      "Rebuild it with `lexis vocab build`")
        }
        do {
            return try Vocabulary(tokens: tokens, counts: counts, tokenizer: tokenizer, specialTokens: specialTokens)
        } catch {
            // A repeated token: find it again to name its line. Otherwise (counts that add up
            // past Int64.max) the error names the file.
            var seen = Set<String>()
            for (k, token) in tokens.enumerated() where !seen.insert(token).inserted {
                throw bad(Int(lines[k]), "token '\(token)' appears twice")
            }
            throw bad(nil, "\(error)")
        }
    }

    // MARK: - Inside binary files

    /// Appends the vocabulary as a section payload: the tokenizer settings, the special tokens
    /// (UInt32 bits), a UInt32 token count, then per token its length-prefixed UTF-8 and an Int64 count.
    public func write(to writer: inout ByteWriter) {
        writer.append(tokenizer.description)
        writer.append(specialTokens.rawValue)
        writer.append(UInt32(count))
        for (token, c) in zip(tokens, counts) {
            writer.append(token)
            writer.append(c)
        }
    }

    /// Reads a vocabulary written by ``write(to:)``.
    ///
    /// - Throws: `LexisError/malformed(path:line:problem:fix:)` for a truncated or inconsistent payload.
    public convenience init(reading reader: inout ByteReader) throws(LexisError) {
        let settings = try reader.string()
        let tokenizer: TokenizerOptions
        do { tokenizer = try TokenizerOptions(settings: settings) } catch {
            throw reader.damaged("the vocabulary's tokenizer settings cannot be read (\(error))")
        }
        let special = SpecialTokens(rawValue: try reader.integer())
        let n = try reader.count(UInt32.self, bytesEach: 12)
        var tokens: [String] = [], counts: [Int64] = []
        tokens.reserveCapacity(n)
        counts.reserveCapacity(n)
        for _ in 0..<n {
            tokens.append(try reader.string())
            counts.append(try reader.integer())
        }
        do {
            try self.init(tokens: tokens, counts: counts, tokenizer: tokenizer, specialTokens: special)
        } catch { throw reader.damaged("bad vocabulary: \(error)") }
        // The writer stored every special token among the tokens; one appended here means damage.
        guard count == n else { throw reader.damaged("bad vocabulary: a special token is missing") }
    }
}

