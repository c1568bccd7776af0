// Loading and saving: format detection from the file's first bytes, dispatch to the readers and
// writers in WordVectors+Word2Vec.swift and WordVectors+LexisFormat.swift.
import LexisText

extension WordVectors {
    // MARK: - Load

    /// Loads vectors, detecting the format from the file's content unless `format` is given.
    ///
    /// A `.lexis` file is memory-mapped, not copied; its ``counts`` and ``tokenizer`` are restored.
    /// A fastText model `.bin` (unsupervised, not quantized) keeps its n-grams in ``subwords``; its
    /// input matrix is mapped, and each word's vector is its row and n-gram rows averaged, as fastText's
    /// get_word_vector gives it.
    /// word2vec and text files have neither; a word that appears twice in them keeps its first vector.
    ///
    /// - Parameters:
    ///   - path: A regular file (not stdin or a pipe).
    ///   - format: The format to read; nil detects it with ``detectFormat(path:)``.
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for an empty, unrecognized, truncated or damaged file.
    public static func load(path: String, format: VectorFormat? = nil) throws(LexisError) -> WordVectors {
        let file = try MappedFile(path: path)
        guard file.size > 0 else {
            throw .malformed(path: path, line: nil, problem: "the file is empty",
                             fix: "Give a word-vector file (word2vec binary or text, fastText .vec, GloVe or .lexis)")
        }
        let chosen: VectorFormat
        if let format {
            chosen = format
        } else {
            chosen = try detectFormat(file)
        }
        switch chosen {
        case .lexis: return try loadLexis(file)
        case .binary: return try loadWord2VecBinary(file)
        case .text: return try loadWord2VecText(file)
        case .fastText: return try loadFastText(file)
        }
    }

    /// The format of a vector file, judged from its first bytes.
    ///
    /// `LEXISVEC` magic means ``VectorFormat/lexis``; a `count dimension` header followed by a text row
    /// means ``VectorFormat/text``, followed by anything else ``VectorFormat/binary``; no header but a
    /// first line of a word and numbers means ``VectorFormat/text`` (GloVe); fastText's magic number
    /// means ``VectorFormat/fastText``.
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for an empty file or a file in none of the formats.
    public static func detectFormat(path: String) throws(LexisError) -> VectorFormat {
        let file = try MappedFile(path: path)
        guard file.size > 0 else {
            throw .malformed(path: path, line: nil, problem: "the file is empty", fix: "Give a word-vector file")
        }
        return try detectFormat(file)
    }

    static func detectFormat(_ file: MappedFile) throws(LexisError) -> VectorFormat {
        let bytes = file.bytes
        if bytes.count >= 8 && bytes[0..<8].elementsEqual(lexisMagic) { return .lexis }
        if bytes.count >= 4 && bytes[0..<4].elementsEqual(fastTextModelMagic) { return .fastText }
        if let header = parseHeader(bytes) {
            return rowLooksLikeText(bytes, from: header.end, dimension: header.dimension) ? .text : .binary
        }
        // No `V D` header: GloVe-style text if the first line is a word and numbers.
        var end = 0
        while end < bytes.count && bytes[end] != 10 { end += 1 }
        let fields = bytes[0..<end].split(separator: 32)
        if fields.count >= 2 {
            let base = bytes.baseAddress!
            var allNumbers = true
            for field in fields.dropFirst() {
                var i = field.startIndex
                if parseFloat(base, &i, field.endIndex) == nil || i != field.endIndex { allNumbers = false; break }
            }
            if allNumbers { return .text }
        }
        throw .malformed(path: file.path, line: 1,
                         problem: "not a word-vector file (no LEXISVEC magic, no 'count dimension' header, no 'word numbers' line)",
                         fix: "Give a word2vec binary or text, fastText .vec, GloVe or .lexis file, or name the format with --format")
    }

    /// After a header: a text row is a word, then `dimension` numbers and a line end.
    private static func rowLooksLikeText(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, dimension: Int) -> Bool {
        let base = bytes.baseAddress!
        let end = bytes.count
        var i = start
        while i < end && (bytes[i] == 10 || bytes[i] == 13) { i += 1 }
        while i < end && bytes[i] != 32 {
            if bytes[i] == 10 { return false }
            i += 1
        }
        for _ in 0..<min(dimension, 1_000_000) {
            while i < end && (bytes[i] == 32 || bytes[i] == 9) { i += 1 }
            guard i < end, parseFloat(base, &i, end) != nil else { return false }
        }
        while i < end && (bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 13) { i += 1 }
        return i == end || bytes[i] == 10
    }

    // MARK: - Save

    /// Writes the vectors atomically (temporary file, then rename). The format comes from the
    /// extension when not given, else word2vec binary. ``VectorFormat/fastText`` needs ``subwords``;
    /// the word2vec and text formats write the words' vectors only.
    ///
    /// ``VectorFormat/text`` values are written in the shortest form that reads back to the same
    /// Float, so text round trips are exact.
    ///
    /// - Throws: `LexisError/cannotWrite(path:reason:)`.
    public func save(to path: String, format: VectorFormat? = nil) throws(LexisError) {
        let chosen = format ?? VectorFormat.forPath(path) ?? .binary
        let writer = try AtomicFileWriter(path: path)
        switch chosen {
        case .lexis: try writeLexis(to: writer)
        case .binary: try writeWord2Vec(to: writer, binary: true)
        case .text: try writeWord2Vec(to: writer, binary: false)
        case .fastText: try writeFastText(to: writer, path: path)
        }
        try writer.commit()
    }
}

let lexisMagic: [UInt8] = Array("LEXISVEC".utf8)
/// fastText model files start with the Int32 793712314, little-endian.
let fastTextModelMagic: [UInt8] = [0xBA, 0x16, 0x4F, 0x2F]
