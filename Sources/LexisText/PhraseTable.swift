// Phrase tables: the multi-word units `lexis phrases build` detected ("new york", "玄 德"), and
// the joiner that applies them to a token stream on the fly, as word2vec's word2phrase and
// gensim's Phrases do. The tokenizer owns the joining (so every command that reads raw text
// joins the same way); LexisPhrases owns the detection.
//
// File: UTF-8 text.
//   # lexis phrases 1
//   # settings: scorer=default threshold=10 min-count=5 passes=2 joiner=_ cjk-joiner=
//   # tokenizer: mode=icu fold=true ...          (the settings the counts were made with)
//   # counted: tokens=... words=... pairs=...    (informational, the last pass)
//   # phrases: N
//   pass<TAB>left<TAB>right<TAB>count<TAB>score   (one line per phrase)
// A pass-2 entry's sides may be pass-1 phrases (`new_york<TAB>times`).
//
// Joining is greedy from the left, one pass after another, as gensim's: a token waits; if it and
// the next token are a phrase of the pass they become one token, otherwise the waiting token goes
// on. Phrases never span a line end or punctuation (even punctuation the tokenizer drops).

/// How phrase candidates are scored (recorded in phrase tables).
public enum PhraseScorer: String, Sendable, CaseIterable {
    /// word2vec's `(count(a b) - min_count) * N / (count(a) * count(b))`, gensim's default, where N
    /// is the number of distinct words and pairs counted (word2phrase.c multiplies by the number of
    /// training words instead, so its thresholds are on another scale).
    case `default`
    /// Normalized pointwise mutual information, in [-1, 1] (gensim's `npmi`).
    case npmi
}

/// How a phrase table was built: the scorer and thresholds, the number of passes and the
/// joiners (recorded in the table; the joiners decide the joined tokens' spelling).
public struct PhraseSettings: Sendable, Hashable, CustomStringConvertible {
    /// The scoring function.
    public var scorer: PhraseScorer
    /// Pairs scoring above this become phrases.
    public var threshold: Double
    /// Pairs seen fewer times are never phrases; also the discount of the default scorer.
    public var minCount: Int64
    /// Detection passes: 2 finds units of up to four tokens (`new_york_times`).
    public var passes: Int
    /// Put between the two sides of a phrase written with spaces (`new_york`).
    public var joiner: String
    /// Put between two sides that meet in a script written without spaces (Chinese, Japanese,
    /// Thai): `玄` + `德` -> `玄德`.
    public var cjkJoiner: String

    /// The default scorer with threshold 100, chosen by measurement (gensim's default is 10: on
    /// enwiki, 10 joins function words such as `such_as` and `can_be`, and vectors trained with it
    /// lost 3 analogy points where 100 gained one; BENCHMARKS.md), npmi with 0.5; min-count 5; one
    /// pass; `_` and nothing as joiners.
    public init(scorer: PhraseScorer = .default, threshold: Double? = nil, minCount: Int64 = 5, passes: Int = 1,
                joiner: String = "_", cjkJoiner: String = "") {
        self.scorer = scorer
        self.threshold = threshold ?? (scorer == .npmi ? 0.5 : 100)
        self.minCount = minCount
        self.passes = passes
        self.joiner = joiner
        self.cjkJoiner = cjkJoiner
    }

    /// `key=value` pairs separated by spaces, as the file's `# settings:` line.
    public var description: String {
        "scorer=\(scorer.rawValue) threshold=\(threshold) min-count=\(minCount) passes=\(passes) "
            + "joiner=\(joiner) cjk-joiner=\(cjkJoiner)"
    }

    /// Why these settings cannot build or join phrases, or nil.
    public var problem: String? {
        if passes < 1 || passes > 4 { return "passes must be 1 to 4" }
        if minCount < 1 { return "min-count must be at least 1" }
        if scorer == .npmi && !(threshold >= -1 && threshold <= 1) { return "an npmi threshold lies in [-1, 1]" }
        if !threshold.isFinite { return "the threshold must be a number" }
        for j in [joiner, cjkJoiner] where j.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            return "a joiner cannot hold white space (joined phrases are single tokens)"
        }
        return nil
    }
}

/// What a file records of a phrase table: its size and a fingerprint of its entries and joiners.
/// Equal references mean the same table.
public struct PhraseTableReference: Sendable, Hashable, CustomStringConvertible {
    /// Number of phrases.
    public let count: Int
    /// FNV-1a 64 of every entry's pass and sides and of the joiners.
    public let fingerprint: UInt64
    /// The table itself, when loaded (not part of equality).
    public let table: PhraseTable?

    init(count: Int, fingerprint: UInt64, table: PhraseTable?) {
        self.count = count
        self.fingerprint = fingerprint
        self.table = table
    }

    /// Parses the `description` form, `count:fingerprint` (16 hex digits).
    init(_ text: String) throws(LexisError) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let count = Int(parts[0]), count >= 0, let fingerprint = UInt64(parts[1], radix: 16) else {
            throw .invalidArgument("bad tokenizer setting 'phrases=\(text)' (expected count:fingerprint)")
        }
        self.init(count: count, fingerprint: fingerprint, table: nil)
    }

    /// `count:fingerprint`.
    public var description: String {
        let hex = String(fingerprint, radix: 16)
        return "\(count):" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    public static func == (a: Self, b: Self) -> Bool { a.count == b.count && a.fingerprint == b.fingerprint }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(fingerprint)
    }
}

/// Detected phrases, ready to join a token stream.
///
/// Immutable; shared by every thread's ``Tokenizer``.
public final class PhraseTable: @unchecked Sendable {
    /// One detected phrase.
    public struct Entry: Sendable, Hashable {
        /// The detection pass that found it, from 1.
        public var pass: Int
        /// The left side: a token, or a phrase of an earlier pass as joined.
        public var left: String
        /// The right side.
        public var right: String
        /// How often the pair was counted in its pass.
        public var count: Int64
        /// Its score.
        public var score: Double

        /// Creates an entry.
        public init(pass: Int, left: String, right: String, count: Int64, score: Double) {
            self.pass = pass
            self.left = left
            self.right = right
            self.count = count
            self.score = score
        }
    }

    /// The version written in the `# lexis phrases` header; newer files are refused.
    public static let formatVersion = 1

    /// The phrases, by pass, then count (descending), then sides.
    public let entries: [Entry]
    /// How they were detected.
    public let settings: PhraseSettings
    /// The tokenizer settings the counts were made with (never with phrases); joining needs the same.
    public let tokenizer: TokenizerOptions
    /// Informational `key=value` notes on the counting (tokens, words, pairs, pruning).
    public let counted: String
    /// The file the table was read from, if any (for messages).
    public let path: String?
    /// Size and fingerprint, as files record them.
    public private(set) var reference: PhraseTableReference!

    /// The joining data of one pass.
    struct Pass {
        /// Token bytes -> `id << 1 | 1 if the token can start a phrase`.
        let sides: ByteStringTable
        /// (left id, right id) -> index into `spellings`.
        let pairs: PairTable
        let spellings: PhraseSpellings
    }
    let passes: [Pass]

    /// Creates a table.
    ///
    /// - Throws: ``LexisError/invalidArgument(_:)`` for bad settings, an entry of a pass outside
    ///   1...passes, an empty side, a side with white space, or the same pair twice in a pass.
    public init(entries: [Entry], settings: PhraseSettings, tokenizer: TokenizerOptions, counted: String = "",
                path: String? = nil) throws(LexisError) {
        if let problem = settings.problem { throw .invalidArgument("bad phrase settings: \(problem)") }
        let sorted = entries.sorted { a, b in
            if a.pass != b.pass { return a.pass < b.pass }
            if a.count != b.count { return a.count > b.count }
            if a.left != b.left { return a.left.utf8.lexicographicallyPrecedes(b.left.utf8) }
            return a.right.utf8.lexicographicallyPrecedes(b.right.utf8)
        }
        self.entries = sorted
        self.settings = settings
        self.tokenizer = tokenizer.withoutPhrases
        self.counted = counted
        self.path = path
        let n = settings.passes
        let sides = (0..<n).map { _ in ByteStringTable(minimumCapacity: 1024) }
        let pairs = (0..<n).map { _ in PairTable(minimumCapacity: 1024) }
        var joined = [[[UInt8]]](repeating: [], count: n)
        var kinds = [[TokenKind]](repeating: [], count: n)
        var hash = FNV1a()
        func hashString(_ s: String) {
            var copy = s
            copy.withUTF8 { hash.add(UnsafeRawBufferPointer($0)) }
            withUnsafeBytes(of: UInt8(0)) { hash.add($0) }
        }
        hashString(settings.joiner)
        hashString(settings.cjkJoiner)
        for entry in sorted {
            guard entry.pass >= 1 && entry.pass <= settings.passes else {
                throw .invalidArgument("phrase '\(entry.left) \(entry.right)' is of pass \(entry.pass); the table has \(settings.passes)")
            }
            for side in [entry.left, entry.right] {
                if let problem = UserDictionary.problem(with: side) {
                    throw .invalidArgument("bad phrase '\(entry.left) \(entry.right)': \(problem)")
                }
            }
            withUnsafeBytes(of: UInt32(entry.pass).littleEndian) { hash.add($0) }
            hashString(entry.left)
            hashString(entry.right)
            let p = entry.pass - 1
            let left = Self.sideID(sides[p], entry.left, canStart: true)
            let right = Self.sideID(sides[p], entry.right, canStart: false)
            guard pairs[p].value(left, right) == nil else {
                throw .invalidArgument("phrase '\(entry.left) \(entry.right)' appears twice in pass \(entry.pass)")
            }
            pairs[p].set(left, right, Int64(joined[p].count))
            let phrase = Self.join(entry.left, entry.right, settings)
            joined[p].append(Array(phrase.utf8))
            kinds[p].append(phrase.unicodeScalars.contains { isUnspaced($0.value) } ? .ideographic : .word)
        }
        passes = (0..<n).map { Pass(sides: sides[$0], pairs: pairs[$0], spellings: PhraseSpellings(joined[$0], kinds: kinds[$0])) }
        reference = PhraseTableReference(count: sorted.count, fingerprint: hash.value, table: self)
    }

    /// The side's id in `sides`, added if new; `canStart` marks a left side.
    private static func sideID(_ sides: ByteStringTable, _ side: String, canStart: Bool) -> UInt32 {
        let flag: Int64 = canStart ? 1 : 0
        if let value = sides.value(for: side) {
            if canStart && value & 1 == 0 { _ = sides.insert(side, value: value | 1) }
            return UInt32(value >> 1)
        }
        let id = Int64(sides.count)
        _ = sides.insert(side, value: id << 1 | flag)
        return UInt32(id)
    }

    /// The joined spelling of a phrase: the CJK joiner where both sides meet in a script written
    /// without spaces, the joiner otherwise.
    public static func join(_ left: String, _ right: String, _ settings: PhraseSettings) -> String {
        let meetUnspaced = (left.unicodeScalars.last.map { isUnspaced($0.value) } ?? false)
            && (right.unicodeScalars.first.map { isUnspaced($0.value) } ?? false)
        return left + (meetUnspaced ? settings.cjkJoiner : settings.joiner) + right
    }

    /// The phrases of one pass as joined tokens, in entry order.
    public func joinedPhrases(pass: Int) -> [String] {
        let spellings = passes[pass - 1].spellings
        return (0..<spellings.count).map { String(decoding: spellings.phrase($0), as: UTF8.self) }
    }

    // MARK: - Files

    /// Writes the table as UTF-8 text, atomically.
    ///
    /// - Throws: `LexisError/cannotWrite(path:reason:)`.
    public func save(to path: String) throws(LexisError) {
        let writer = try AtomicFileWriter(path: path)
        var text = "# lexis phrases \(Self.formatVersion)\n# settings: \(settings)\n# tokenizer: \(tokenizer)\n"
        if !counted.isEmpty { text += "# counted: \(counted)\n" }
        text += "# phrases: \(entries.count)\n"
        try writer.write(text)
        var line = ""
        for entry in entries {
            line.removeAll(keepingCapacity: true)
            line += "\(entry.pass)\t\(entry.left)\t\(entry.right)\t\(entry.count)\t\(entry.score)\n"
            try writer.write(line)
        }
        try writer.commit()
    }

    /// Reads a table written by ``save(to:)``.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   naming the line for a file that is not a phrase table, a newer version, a bad setting or
    ///   line, or a phrase count that disagrees with the header.
    public static func load(path: String) throws(LexisError) -> PhraseTable {
        let reader = try CorpusReader(corpus: try Corpus(paths: [path]))
        let rebuild = "Rebuild it with `lexis phrases build`"
        func bad(_ line: Int, _ problem: String, _ fix: String = rebuild) -> LexisError {
            .malformed(path: path, line: line, problem: problem, fix: fix)
        }
        var settings: PhraseSettings?
        var tokenizer: TokenizerOptions?
        var counted = "", declared: Int?
        var entries: [Entry] = []
        while let segment = try reader.next() {
            let number = segment.line
            if segment.bytes.contains(0) { throw bad(number, "this is a binary file, not a phrase table") }
            if reader.invalidBytes > 0 { throw bad(number, "invalid UTF-8") }
            guard segment.endsLine else { throw bad(number, "the line is longer than a megabyte") }
            let line = String(decoding: segment.bytes, as: UTF8.self)
            if number == 1 {
                guard line.hasPrefix("# lexis phrases ") else {
                    throw bad(1, "not a Lexis phrase table (no '# lexis phrases' header)",
                              "Give a file written by `lexis phrases build`")
                }
                guard let version = Int(line.dropFirst("# lexis phrases ".count)), version >= 1 else {
                    throw bad(1, "unreadable phrase table version")
                }
                guard version <= formatVersion else {
                    throw bad(1, "phrase table version \(version) is newer than this Lexis reads (\(formatVersion))", "Upgrade Lexis")
                }
                continue
            }
            if line.hasPrefix("#") {
                if let value = line.value(after: "# settings: ") {
                    do { settings = try PhraseSettings(settings: value) } catch { throw bad(number, error.description) }
                } else if let value = line.value(after: "# tokenizer: ") {
                    do { tokenizer = try TokenizerOptions(settings: value) } catch { throw bad(number, error.description) }
                } else if let value = line.value(after: "# counted: ") {
                    counted = value
                } else if let value = line.value(after: "# phrases: ") {
                    guard let n = Int(value), n >= 0 else { throw bad(number, "bad phrase count '\(value)'") }
                    declared = n
                }
                continue
            }
            if line.isEmpty { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, let pass = Int(fields[0]), let count = Int64(fields[3]), let score = Double(fields[4]),
                  !fields[1].isEmpty, !fields[2].isEmpty else {
                throw bad(number, "expected pass<TAB>left<TAB>right<TAB>count<TAB>score")
            }
            guard let settings, pass >= 1, pass <= settings.passes else {
                throw bad(number, settings == nil ? "a phrase before the '# settings:' line"
                          : "pass \(pass) is outside 1...\(settings!.passes) (the table's passes)")
            }
            entries.append(Entry(pass: pass, left: fields[1], right: fields[2], count: count, score: score))
        }
        guard let settings, let tokenizer else {
            throw bad(1, "the '# settings:' or '# tokenizer:' header line is missing")
        }
        if let declared, declared != entries.count {
            throw bad(1, "the header says \(declared) phrases but the file has \(entries.count) (a truncated file?)")
        }
        do {
            return try PhraseTable(entries: entries, settings: settings, tokenizer: tokenizer, counted: counted, path: path)
        } catch {
            throw bad(1, error.description)
        }
    }
}

extension PhraseSettings {
    /// Parses the `description` form.
    ///
    /// - Throws: ``LexisError/invalidArgument(_:)`` for an unknown key or a bad value.
    public init(settings: String) throws(LexisError) {
        self.init()
        var threshold: Double?
        for pair in settings.split(separator: " ") {
            guard let eq = pair.firstIndex(of: "=") else {
                throw .invalidArgument("bad phrase setting '\(pair)' (expected key=value)")
            }
            let key = String(pair[..<eq]), value = String(pair[pair.index(after: eq)...])
            switch key {
            case "scorer":
                guard let s = PhraseScorer(rawValue: value) else { throw .invalidArgument("unknown phrase scorer '\(value)'") }
                scorer = s
            case "threshold":
                guard let t = Double(value) else { throw .invalidArgument("bad phrase threshold '\(value)'") }
                threshold = t
            case "min-count":
                guard let m = Int64(value) else { throw .invalidArgument("bad phrase min-count '\(value)'") }
                minCount = m
            case "passes":
                guard let p = Int(value) else { throw .invalidArgument("bad phrase passes '\(value)'") }
                passes = p
            case "joiner": joiner = value
            case "cjk-joiner": cjkJoiner = value
            default: throw .invalidArgument("unknown phrase setting '\(key)'")
            }
        }
        if let threshold { self.threshold = threshold }
        if let problem { throw .invalidArgument("bad phrase settings: \(problem)") }
    }
}

extension String {
    /// The rest of the string after `prefix`, or nil when it does not start with it.
    func value(after prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}

/// Whether a code point belongs to a script written without spaces between words: Thai, Lao,
/// Tibetan, Myanmar, Khmer, kana, CJK ideographs (phrases join there with the CJK joiner, and a
/// dictionary word may start and end anywhere).
@inline(__always) func isUnspaced(_ c: UInt32) -> Bool {
    switch c {
    case 0x0E00...0x109F, 0x1780...0x17FF, 0x3040...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
         0xF900...0xFAFF, 0xFF66...0xFF9F, 0x20000...0x3FFFF: return true
    default: return false
    }
}

/// Joins one token stream with a phrase table's passes; one per tokenizer. Tokens waiting for
/// their successor are copied (the tokenizer reuses its buffers).
///
/// The hot state sits behind raw pointers and unmanaged references used through
/// `_withUnsafeGuaranteedRef` (the joiner keeps the table and the buffers alive): read through
/// arrays of structs holding classes, every token paid four retains and releases per pass, 45% of
/// training time with phrases (perf).
final class PhraseJoiner {
    private struct Level {
        let sides: Unmanaged<ByteStringTable>
        let pairs: Unmanaged<PairTable>
        let spellings: Unmanaged<PhraseSpellings>
        let pending: Unmanaged<ByteBuffer>
        var pendingID: UInt32 = 0
        var pendingKind: TokenKind = .word
        var hasPending = false
    }
    private let table: PhraseTable
    private let buffers: [ByteBuffer]
    private let levels: UnsafeMutablePointer<Level>
    private let count: Int

    init(table: PhraseTable) {
        self.table = table
        count = table.passes.count
        buffers = (0..<count).map { _ in ByteBuffer(capacity: 64) }
        levels = .allocate(capacity: count)
        for (k, pass) in table.passes.enumerated() {
            (levels + k).initialize(to: Level(sides: .passUnretained(pass.sides), pairs: .passUnretained(pass.pairs),
                                              spellings: .passUnretained(pass.spellings), pending: .passUnretained(buffers[k])))
        }
    }

    deinit {
        levels.deinitialize(count: count)
        levels.deallocate()
    }

    /// Feeds one token (or a punctuation barrier) into pass `level`; joined output reaches `body`.
    func feed(_ level: Int, _ token: UnsafeBufferPointer<UInt8>, _ kind: TokenKind,
              _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        if level == count {
            body(token, kind)
            return
        }
        if kind == .punctuation {
            flush(level, body)
            feed(level + 1, token, kind, body)
            return
        }
        let l = levels + level
        let value = l.pointee.sides._withUnsafeGuaranteedRef { $0.value(token.baseAddress!, token.count) }
        if l.pointee.hasPending {
            l.pointee.hasPending = false
            let pendingID = l.pointee.pendingID
            if let value, let phrase = l.pointee.pairs._withUnsafeGuaranteedRef({ $0.value(pendingID, UInt32(value >> 1)) }) {
                let (bytes, kind) = l.pointee.spellings._withUnsafeGuaranteedRef { ($0.phrase(Int(phrase)), $0.kinds[Int(phrase)]) }
                feed(level + 1, bytes, kind, body)
                return
            }
            feed(level + 1, l.pointee.pending._withUnsafeGuaranteedRef { $0.bytes }, l.pointee.pendingKind, body)
        }
        if let value, value & 1 != 0 {
            l.pointee.pending._withUnsafeGuaranteedRef { buffer in
                buffer.count = 0
                buffer.append(token.baseAddress!, token.count)
            }
            l.pointee.pendingID = UInt32(value >> 1)
            l.pointee.pendingKind = kind
            l.pointee.hasPending = true
        } else {
            feed(level + 1, token, kind, body)
        }
    }

    /// Sends on whatever waits in pass `level` and after: at a line end.
    func flush(_ level: Int, _ body: (UnsafeBufferPointer<UInt8>, TokenKind) -> Void) {
        guard level < count else { return }
        let l = levels + level
        if l.pointee.hasPending {
            l.pointee.hasPending = false
            feed(level + 1, l.pointee.pending._withUnsafeGuaranteedRef { $0.bytes }, l.pointee.pendingKind, body)
        }
        flush(level + 1, body)
    }
}

/// One pass's joined phrases back to back, with their kinds: built once with the table, read by
/// every thread's joiner through raw pointers.
final class PhraseSpellings {
    let count: Int
    private let bytes: UnsafeMutablePointer<UInt8>
    /// Phrase k is `bytes[offsets[k]..<offsets[k + 1]]`.
    private let offsets: UnsafeMutablePointer<Int>
    let kinds: UnsafeMutablePointer<TokenKind>

    init(_ phrases: [[UInt8]], kinds: [TokenKind]) {
        count = phrases.count
        bytes = .allocate(capacity: max(1, phrases.reduce(0) { $0 + $1.count }))
        offsets = .allocate(capacity: count + 1)
        self.kinds = .allocate(capacity: max(1, count))
        var at = 0
        for (k, phrase) in phrases.enumerated() {
            offsets[k] = at
            phrase.withUnsafeBufferPointer { (bytes + at).update(from: $0.baseAddress!, count: $0.count) }
            at += phrase.count
            self.kinds[k] = kinds[k]
        }
        offsets[count] = at
    }

    deinit {
        bytes.deallocate()
        offsets.deallocate()
        kinds.deallocate()
    }

    /// The joined bytes of phrase `k`.
    @inline(__always) func phrase(_ k: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes + offsets[k], count: offsets[k + 1] - offsets[k])
    }
}
