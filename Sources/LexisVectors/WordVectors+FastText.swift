// fastText's model file (.bin), unsupervised models with a dense input matrix (fastText 0.9:
// FASTTEXT_VERSION 12; 11 reads the same way). All integers little-endian.
//   Int32 magic 793712314, Int32 version
//   args: Int32 dim, ws, epoch, minCount, neg, wordNgrams, loss (1 hs, 2 ns, 3 softmax, 4 ova),
//         model (1 cbow, 2 skipgram, 3 supervised), bucket, minn, maxn, lrUpdateRate; Float64 t
//   dictionary: Int32 size, nwords, nlabels; Int64 ntokens, pruneidx size (-1: not pruned);
//         per entry: the word's bytes and a 0 byte, Int64 count, Int8 type (0 word, 1 label);
//         then pruneidx size pairs of Int32
//   UInt8 quantized input; input matrix: Int64 rows (nwords + bucket), Int64 dim, rows x dim Float32
//   UInt8 quantized output; output matrix: Int64 rows, Int64 dim, Float32 values
// The input matrix is mapped in place, not copied: only the vocabulary words' vectors are computed
// at load (their row and n-gram rows averaged), the n-gram rows are read when an unknown word asks.
// Written files carry an all-zero output matrix of nwords rows (the output side is not kept): enough
// for fastText to load them and answer get_word_vector and nearest neighbours, not to go on training.
import LexisText

let fastTextMagic: Int32 = 793_712_314
let fastTextVersion: Int32 = 12

/// A bounds-checked little-endian reader over a mapped file (the input matrix is not copied).
private struct FastTextCursor {
    let base: UnsafeRawPointer
    let size: Int
    let path: String
    var at = 0

    func truncated(_ what: String) -> LexisError {
        .malformed(path: path, line: nil, problem: "the file ends inside \(what) (\(size) bytes)",
                   fix: "The fastText model is truncated or damaged; download or save it again")
    }

    mutating func skip(_ n: Int, _ what: String) throws(LexisError) {
        guard n >= 0, n <= size - at else { throw truncated(what) }
        at += n
    }

    mutating func int32(_ what: String) throws(LexisError) -> Int32 {
        guard size - at >= 4 else { throw truncated(what) }
        defer { at += 4 }
        return Int32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: Int32.self))
    }

    mutating func int64(_ what: String) throws(LexisError) -> Int64 {
        guard size - at >= 8 else { throw truncated(what) }
        defer { at += 8 }
        return Int64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: Int64.self))
    }

    mutating func byte(_ what: String) throws(LexisError) -> UInt8 {
        guard size - at >= 1 else { throw truncated(what) }
        defer { at += 1 }
        return base.load(fromByteOffset: at, as: UInt8.self)
    }

    /// Bytes up to a 0 byte (not included), which is skipped.
    mutating func cString(_ what: String) throws(LexisError) -> UnsafeBufferPointer<UInt8> {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var end = at
        while end < size && bytes[end] != 0 { end += 1 }
        guard end < size else { throw truncated(what) }
        defer { at = end + 1 }
        return UnsafeBufferPointer(start: bytes + at, count: end - at)
    }
}

extension WordVectors {
    // MARK: - Load

    static func loadFastText(_ file: MappedFile) throws(LexisError) -> WordVectors {
        let path = file.path
        guard let base = file.base else { throw .malformed(path: path, line: nil, problem: "the file is empty", fix: "Give a fastText .bin model") }
        var cursor = FastTextCursor(base: base, size: file.size, path: path)
        func refuse(_ problem: String, _ fix: String) -> LexisError { .malformed(path: path, line: nil, problem: problem, fix: fix) }
        func bad(_ problem: String) -> LexisError {
            refuse(problem, "The fastText model is damaged or not a fastText .bin; download or save it again")
        }
        guard try cursor.int32("the header") == fastTextMagic else {
            throw refuse("not a fastText model (no fastText magic number)", "Leave out --format to detect the format from the file")
        }
        let version = try cursor.int32("the header")
        guard version == 11 || version == 12 else {
            throw refuse("fastText model version \(version); this Lexis reads versions 11 and 12 (fastText 0.1 to 0.9)",
                         "Save the model again with fastText 0.9, or export its vectors with print-word-vectors or as .vec")
        }
        var args: [Int32] = []
        for _ in 0..<12 { args.append(try cursor.int32("the model settings")) }
        try cursor.skip(8, "the model settings")   // t, the subsampling threshold
        let (dim, bucket, minn, maxn, model) = (Int(args[0]), Int(args[8]), Int(args[9]), Int(args[10]), args[7])
        guard model != 3 else {
            throw refuse("this is a supervised fastText model (a text classifier), not word vectors",
                         "Load unsupervised models (fasttext skipgram or cbow); train classifiers with lexis classify")
        }
        guard dim >= 1 && dim <= 100_000 else { throw bad("the model settings say dimension \(dim)") }
        guard bucket >= 0, minn >= 0, maxn >= 0, maxn <= 100 else {
            throw bad("the model settings say bucket \(bucket), minn \(minn), maxn \(maxn)")
        }
        let size = Int(try cursor.int32("the dictionary header"))
        let nwords = Int(try cursor.int32("the dictionary header"))
        let nlabels = Int(try cursor.int32("the dictionary header"))
        _ = try cursor.int64("the dictionary header")   // ntokens
        let pruned = try cursor.int64("the dictionary header")
        guard size >= 1, nwords >= 1, nlabels >= 0, size == nwords + nlabels, size <= (file.size - cursor.at) / 10 else {
            throw bad("the dictionary header says \(size) entries, \(nwords) words and \(nlabels) labels")
        }
        guard nlabels == 0 else {
            throw refuse("this fastText model has \(nlabels) labels: it is a classifier, not word vectors",
                         "Load unsupervised models (fasttext skipgram or cbow)")
        }
        var words: [String] = []
        var counts: [Int64] = []
        words.reserveCapacity(nwords)
        counts.reserveCapacity(nwords)
        let index = ByteStringTable(minimumCapacity: nwords)
        for row in 0..<size {
            let bytes = try cursor.cString("dictionary entry \(row + 1) of \(size)")
            let count = try cursor.int64("dictionary entry \(row + 1) of \(size)")
            let type = try cursor.byte("dictionary entry \(row + 1) of \(size)")
            guard type == 0 else { throw bad("dictionary entry \(row + 1) has type \(type), expected a word (0)") }
            guard !bytes.isEmpty, count >= 0 else { throw bad("dictionary entry \(row + 1) is empty or has count \(count)") }
            let word = String(decoding: bytes, as: UTF8.self)
            if let first = index.insertUnlessPresent(word, value: Int64(row)) {
                throw bad("the word '\(word)' appears twice in the dictionary (entries \(first + 1) and \(row + 1))")
            }
            words.append(word)
            counts.append(count)
        }
        guard pruned <= 0 else {
            throw refuse("this fastText model was pruned and quantized (.ftz): its n-gram rows are compressed",
                         "Use the full .bin model, or its .vec file for the vocabulary words")
        }
        // fastText makes n-grams of max(minn, 1)...maxn characters (none when that range is empty).
        let hasNgrams = pruned != 0 && maxn >= max(minn, 1) && bucket > 0
        guard try cursor.byte("the input matrix flag") == 0 else {
            throw refuse("this fastText model is quantized (.ftz): its input matrix is compressed",
                         "Use the full .bin model, or its .vec file for the vocabulary words")
        }
        let rows = try cursor.int64("the input matrix header"), columns = try cursor.int64("the input matrix header")
        guard columns == dim, rows == Int64(nwords + bucket) else {
            throw bad("the input matrix is \(rows) x \(columns); the settings say \(nwords) words + \(bucket) buckets x \(dim)")
        }
        let (floats, overflow) = Int(rows).multipliedReportingOverflow(by: dim)
        guard !overflow, floats <= (file.size - cursor.at) / 4 else { throw cursor.truncated("the \(rows) x \(dim) input matrix") }
        let inputStart = base + cursor.at
        try cursor.skip(floats * 4, "the input matrix")
        // The output matrix is not used, but a file cut inside it is still a damaged file.
        guard try cursor.byte("the output matrix flag") == 0 else {
            throw refuse("this fastText model has a quantized output matrix (.ftz)", "Use the full .bin model")
        }
        let outRows = try cursor.int64("the output matrix header"), outColumns = try cursor.int64("the output matrix header")
        guard outColumns == dim, outRows >= 0, Int(outRows) <= (file.size - cursor.at) / 4 / dim else {
            throw bad("the output matrix header says \(outRows) x \(outColumns)")
        }
        try cursor.skip(Int(outRows) * dim * 4, "the output matrix")

        let hashing = hasNgrams ? try SubwordHashing(minn: max(minn, 1), maxn: maxn, buckets: bucket) : nil
        let storage: MatrixStorage
        var subwords: SubwordModel? = nil
        if let hashing {
            let model = SubwordModel(hashing: hashing, dimension: dim, wordCount: nwords, rows: inputStart, owner: file)
            storage = model.wordVectors(words: words)
            subwords = model
        } else {
            // No n-grams: each word's vector is its own row.
            storage = MatrixStorage(capacity: nwords * dim)
            storage.mutableBase.withMemoryRebound(to: UInt8.self, capacity: nwords * dim * 4) {
                $0.initialize(from: inputStart.assumingMemoryBound(to: UInt8.self), count: nwords * dim * 4)
            }
        }
        if let bad = firstNonFinite(storage.buffer) {
            throw .malformed(path: path, line: nil, problem: "the vector of '\(words[bad / dim])' contains \(storage.buffer[bad])",
                             fix: "The model is damaged; train or download it again")
        }
        return try WordVectors(words: words, dimension: dim, storage: storage, counts: counts, tokenizer: nil,
                               index: index, checkValues: false, subwords: subwords)
    }

    // MARK: - Save

    /// fastText's .bin for these vectors: needs a subword model (fastText's input matrix).
    func writeFastText(to writer: AtomicFileWriter, path: String) throws(LexisError) {
        guard let subwords else {
            throw .invalidArgument("\(path): only subword vectors (trained with --minn, or loaded from a fastText .bin) can be written as a fastText model; "
                + "write plain vectors as .bin (word2vec) or .vec")
        }
        let h = subwords.hashing
        var header = ByteWriter()
        header.append(fastTextMagic)
        header.append(fastTextVersion)
        // dim, ws, epoch, minCount, neg, wordNgrams, loss (ns), model (skipgram), bucket, minn, maxn, lrUpdateRate; t
        for value in [dimension, 5, 5, 1, 5, 1, 2, 2, h.buckets, h.minn, h.maxn, 100] { header.append(Int32(value)) }
        header.append((1e-4 as Double).bitPattern)
        header.append(Int32(count))
        header.append(Int32(count))
        header.append(Int32(0))
        let tokens = counts?.reduce(0, &+) ?? Int64(count)
        header.append(tokens)
        header.append(Int64(-1))
        try writer.write(header.bytes)
        var block = ByteWriter()
        for (row, word) in words.enumerated() {
            block.append(bytes: word.utf8)
            block.append(UInt8(0))
            block.append(counts?[row] ?? 1)
            block.append(UInt8(0))
            if block.bytes.count >= 1 << 16 {
                try writer.write(block.bytes)
                block = ByteWriter()
            }
        }
        block.append(UInt8(0))
        block.append(Int64(subwords.rowCount))
        block.append(Int64(dimension))
        try writer.write(block.bytes)
        #if _endian(big)
        #error("the fastText writer assumes a little-endian machine")
        #endif
        try subwords.withInputBytes { (bytes) throws(LexisError) in try writer.write(bytes) }
        var output = ByteWriter()
        output.append(UInt8(0))
        output.append(Int64(count))
        output.append(Int64(dimension))
        try writer.write(output.bytes)
        let zeros = [UInt8](repeating: 0, count: 1 << 16)
        var left = count * dimension * 4
        while left > 0 {
            let n = min(left, zeros.count)
            try writer.write(Array(zeros[0..<n]))
            left -= n
        }
    }
}
