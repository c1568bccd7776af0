// A small reader for word2vec files (text: "V D" header then "word v1 ... vD" per line; binary:
// the header line, then per row the word, a space, D little-endian float32 values and an optional
// newline), to start an embedding from pre-trained vectors.
import LexisText

/// Pre-trained word vectors read from a word2vec text or binary file, to start a model's
/// embedding (``RecurrentLanguageModel/loadEmbeddings(_:)``).
///
/// Unlike `WordVectors`, this reads the whole file into arrays and needs the `count dimension`
/// header (no GloVe files).
public struct WordVectorFile: Sendable {
    /// Words in file order.
    public let words: [String]
    /// Floats per vector.
    public let dimension: Int
    /// Row-major [words.count x dimension].
    public let values: [Float]

    /// Vectors from memory; `values` is row-major `words.count x dimension`.
    public init(words: [String], dimension: Int, values: [Float]) {
        self.words = words; self.dimension = dimension; self.values = values
    }

    /// Reads a text or binary word2vec file (the format is detected from the first row).
    ///
    /// - Throws: `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   for a missing or bad header or a truncated row.
    public static func read(path: String) throws(LexisError) -> WordVectorFile {
        let bytes = try FileIO.readAll(path)
        func bad(_ line: Int?, _ problem: String) -> LexisError {
            .malformed(path: path, line: line, problem: problem,
                       fix: "Pass a word2vec text or binary file (header 'count dimension')")
        }
        guard let newline = bytes.firstIndex(of: 0x0A) else { throw bad(1, "no header line") }
        let header = String(decoding: bytes[0..<newline], as: UTF8.self).split(separator: " ")
        guard header.count == 2, let count = Int(header[0]), let dim = Int(header[1]), count >= 0, dim > 0 else {
            throw bad(1, "the header must be 'count dimension'")
        }
        if let text = try? readText(bytes, from: newline + 1, count: count, dimension: dim) { return text }
        return try readBinary(bytes, from: newline + 1, count: count, dimension: dim, bad: bad)
    }

    private enum TextFailure: Error { case notText }

    private static func readText(_ bytes: [UInt8], from start: Int, count: Int, dimension: Int) throws(TextFailure) -> WordVectorFile {
        var words: [String] = [], values: [Float] = []
        values.reserveCapacity(count * dimension)
        var lineStart = start
        while words.count < count {
            guard lineStart < bytes.count else { throw .notText }
            var end = lineStart
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let fields = bytes[lineStart..<end].split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D })
            guard fields.count == dimension + 1 else { throw .notText }
            words.append(String(decoding: fields[0], as: UTF8.self))
            for f in fields.dropFirst() {
                guard let v = Float(String(decoding: f, as: UTF8.self)) else { throw .notText }
                values.append(v)
            }
            lineStart = end + 1
        }
        return WordVectorFile(words: words, dimension: dimension, values: values)
    }

    private static func readBinary(_ bytes: [UInt8], from start: Int, count: Int, dimension: Int,
                                   bad: (Int?, String) -> LexisError) throws(LexisError) -> WordVectorFile {
        var words: [String] = [], values: [Float] = []
        values.reserveCapacity(count * dimension)
        var p = start
        for row in 0..<count {
            while p < bytes.count && (bytes[p] == 0x0A || bytes[p] == 0x20) { p += 1 }
            var end = p
            while end < bytes.count && bytes[end] != 0x20 { end += 1 }
            guard end < bytes.count, end > p, end + 1 + 4 * dimension <= bytes.count else {
                throw bad(nil, "row \(row + 1) of \(count) is truncated or not in word2vec text or binary format")
            }
            words.append(String(decoding: bytes[p..<end], as: UTF8.self))
            p = end + 1
            for k in 0..<dimension {
                var bits: UInt32 = 0
                for b in 0..<4 { bits |= UInt32(bytes[p + 4 * k + b]) << (8 * b) }
                values.append(Float(bitPattern: bits))
            }
            p += 4 * dimension
        }
        return WordVectorFile(words: words, dimension: dimension, values: values)
    }
}

extension WordVectorFile {
    /// Copies the vector of every word the vocabulary knows into row `id` of `table` (`E` floats
    /// a row), leaving other rows as they are; `skipping` keeps one id (say `<unk>`) untouched.
    /// Returns how many rows were filled.
    func copy(into table: UnsafeMutablePointer<Float>, vocabulary: LMVocabulary, skipping: Int32? = nil) -> Int {
        let E = dimension
        var found = Set<Int32>()
        values.withUnsafeBufferPointer { v in
            for (row, word) in words.enumerated() where vocabulary.contains(word) {
                let id = vocabulary.id(word)
                if id != skipping && found.insert(id).inserted {
                    (table + Int(id) * E).update(from: v.baseAddress! + row * E, count: E)
                }
            }
        }
        return found.count
    }
}

extension RecurrentLanguageModel {
    /// Copies the vectors of words the model knows into its embedding table; words without a
    /// vector keep their random initialization. Returns how many words were found.
    ///
    /// - Throws: `LexisError/invalidArgument(_:)` when the vectors' dimension differs from the
    ///   model's embedding size.
    @discardableResult
    public func loadEmbeddings(_ vectors: WordVectorFile) throws(LexisError) -> Int {
        guard vectors.dimension == config.embedding else {
            throw .invalidArgument("the word vectors have dimension \(vectors.dimension) but the model's embedding size is \(config.embedding); set --embedding-size \(vectors.dimension)")
        }
        return vectors.copy(into: store.value(embedding.table), vocabulary: vocabulary)
    }
}
