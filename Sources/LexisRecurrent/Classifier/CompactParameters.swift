// Smaller classifier files: the PARZ section, written instead of PARM, encodes each parameter view
// of each member on its own:
//
//   UInt32 rows, UInt32 cols (checked against the header's architecture)
//   UInt8 flags (1: 8-bit values, 2: only some rows stored, 4: product-quantized, 8: two codebooks)
//   [flags & 2] UInt32 n, then n increasing UInt32 row numbers (the other rows are zero)
//   [flags & 8] UInt32 split: the stored rows below it and those from it on are quantized apart
//   per stored row: Float32 values; or (flags & 1) a Float32 scale and Int8 values, x = q * scale;
//   or (flags & 4), for each group of rows: UInt32 K, for each pair of columns K centroids of 2
//   Float32 (the codebooks), then per row one byte per pair of columns, the centroid for it
//
// Rows that are all zero are left out when that saves space: a bow model's bigram buckets that no
// training bigram hashed to (most of 100,000) and <unk>'s row; this is lossless. `quantize` stores
// every weight matrix in 8 bits, one scale per row (its largest magnitude / 127); biases stay
// Float32. Product quantization (as fastText's .ftz, Jégou et al. 2011) goes further for the big
// embedding tables: each pair of columns is replaced by the nearest of K = 256 centroids learned
// by k-means over the table's rows, one byte per two floats (8x). A bow table's word rows and
// bigram rows are two populations (bigram rows start at zero and train from fewer examples):
// each gets its own codebooks. Loading decodes into the
// ordinary Float32 store: the model computes as before with the rounded weights.
import LexisTensor
import LexisText

/// How `ClassifierEnsemble.save(to:quantization:)` stores weight matrices.
public enum ClassifierQuantization: String, Sendable, CaseIterable {
    /// Float32, as trained.
    case none
    /// 8-bit integers, one scale per row (biases stay Float32): about 4x smaller.
    case int8
    /// 8 bits for the weight matrices and product quantization (256 centroids per pair of
    /// columns; a bow table's word and bigram rows apart) for the embedding tables of 1,024 rows
    /// or more: about 8x smaller for them.
    case pq
}

enum CompactParameters {
    static let quantizedFlag: UInt8 = 1, sparseFlag: UInt8 = 2, productFlag: UInt8 = 4, groupedFlag: UInt8 = 8

    /// Whether `view` is stored in 8 bits when quantizing: matrices, not biases.
    static func quantizes(_ view: ParameterView) -> Bool { view.rows > 1 && !view.name.hasSuffix("bias") }

    /// Whether `view` is product-quantized under ``ClassifierQuantization/pq``: big embedding tables.
    static func productQuantizes(_ view: ParameterView) -> Bool {
        view.name.hasPrefix("embedding") && view.rows >= 1024 && view.cols >= 2 && view.cols % 2 == 0
    }

    /// Appends every view of `store`. `groups` names views whose rows from a given row on are a
    /// second population, product-quantized with codebooks of their own.
    static func encode(_ store: ParameterStore, quantization: ClassifierQuantization, groups: [String: Int] = [:],
                       into out: inout ByteWriter) {
        for view in store.views {
            let (rows, cols) = (view.rows, view.cols)
            let values = store.value(view)
            var nonZero: [Int] = []
            for r in 0..<rows where (0..<cols).contains(where: { values[r * cols + $0] != 0 }) { nonZero.append(r) }
            let pq = quantization == .pq && productQuantizes(view)
            let q = !pq && quantization != .none && quantizes(view)
            let rowBytes = pq ? cols / 2 : q ? 4 + cols : 4 * cols
            let sparse = cols > 0 && nonZero.count * (rowBytes + 4) < rows * rowBytes
            out.append(UInt32(rows))
            out.append(UInt32(cols))
            let split = pq ? groups[view.name].flatMap { $0 > 0 && $0 < rows ? $0 : nil } : nil
            out.append((q ? quantizedFlag : 0) | (sparse ? sparseFlag : 0) | (pq ? productFlag : 0) | (split != nil ? groupedFlag : 0))
            if sparse {
                out.append(UInt32(nonZero.count))
                for r in nonZero { out.append(UInt32(r)) }
            }
            let stored = sparse ? nonZero : Array(0..<rows)
            if pq {
                if let split { out.append(UInt32(split)) }
                for group in rowGroups(stored, split: split) { encodeProduct(values, cols: cols, rows: group, into: &out) }
                continue
            }
            for r in stored {
                let row = UnsafeBufferPointer(start: values + r * cols, count: cols)
                if q {
                    let largest = row.reduce(Float(0)) { max($0, abs($1)) }
                    let scale = largest > 0 ? largest / 127 : 1
                    out.append(scale.bitPattern)
                    out.append(bytes: row.map { UInt8(bitPattern: Int8(max(-127, min(127, ($0 / scale).rounded())))) })
                } else {
                    out.append(floats: row)
                }
            }
        }
    }

    /// Reads every view of `store` (all its values are set: rows not stored and padding are zero).
    ///
    /// - Throws: `LexisError/malformed(path:line:problem:fix:)` for a view whose shape differs
    ///   from the store's, unknown flags, row numbers out of order or range, or a truncated section.
    static func decode(_ reader: inout ByteReader, into store: ParameterStore) throws(LexisError) {
        store.values.update(repeating: 0, count: store.count)
        for view in store.views {
            let (rows, cols) = (view.rows, view.cols)
            let fileRows = Int(try reader.integer() as UInt32), fileCols = Int(try reader.integer() as UInt32)
            guard fileRows == rows && fileCols == cols else {
                throw reader.damaged("parameter \(view.name) is \(fileRows) x \(fileCols) in the file but \(rows) x \(cols) in the header's architecture")
            }
            let flags: UInt8 = try reader.integer()
            guard flags & ~(quantizedFlag | sparseFlag | productFlag | groupedFlag) == 0,
                  flags & (quantizedFlag | productFlag) != quantizedFlag | productFlag,
                  flags & productFlag == 0 || cols % 2 == 0, flags & groupedFlag == 0 || flags & productFlag != 0 else {
                throw reader.damaged("unknown encoding \(flags) of parameter \(view.name)")
            }
            var stored: [Int]
            if flags & sparseFlag != 0 {
                let n = try reader.count(UInt32.self, bytesEach: 4)
                guard n <= rows else { throw reader.damaged("parameter \(view.name) lists \(n) rows of \(rows)") }
                stored = []
                stored.reserveCapacity(n)
                for _ in 0..<n {
                    let r = Int(try reader.integer() as UInt32)
                    let previous = stored.last ?? -1
                    guard rows > r && r > previous else { throw reader.damaged("parameter \(view.name): row numbers out of order or range") }
                    stored.append(r)
                }
            } else {
                stored = Array(0..<rows)
            }
            let values = store.value(view)
            if flags & productFlag != 0 {
                let split = flags & groupedFlag == 0 ? nil : Int(try reader.integer() as UInt32)
                for group in rowGroups(stored, split: split) {
                    try decodeProduct(&reader, values, cols: cols, rows: group, name: view.name)
                }
                continue
            }
            for r in stored {
                if flags & quantizedFlag != 0 {
                    let scale = Float(bitPattern: try reader.integer())
                    guard scale.isFinite else { throw reader.damaged("parameter \(view.name): a scale is not finite") }
                    let q = try reader.take(cols)
                    for (j, b) in q.enumerated() { values[r * cols + j] = Float(Int8(bitPattern: b)) * scale }
                } else {
                    try reader.floats(cols, into: values + r * cols)
                }
            }
        }
    }

    /// The stored rows below `split` and from it on (one group without a split; an empty group
    /// is coded with no rows).
    static func rowGroups(_ stored: [Int], split: Int?) -> [[Int]] {
        guard let split else { return [stored] }
        let first = stored.prefix { $0 < split }
        return [Array(first), Array(stored[first.count...])]
    }

    /// Codebooks (K centroids per pair of columns, by k-means over the rows) and one code byte
    /// per pair of columns of each row.
    static func encodeProduct(_ values: UnsafePointer<Float>, cols: Int, rows: [Int], into out: inout ByteWriter) {
        let K = min(256, max(rows.count, 1))
        out.append(UInt32(K))
        guard !rows.isEmpty else {   // an empty group: one zero centroid, no codes
            for _ in 0..<cols { out.append(Float(0).bitPattern) }
            return
        }
        var codes = [UInt8](repeating: 0, count: rows.count * cols / 2)
        // The centroids are fitted on at most 65,536 rows spread over the table (256 per centroid,
        // as fastText's), then every row is coded.
        let most = 65_536
        let sample = rows.count <= most ? rows : (0..<most).map { rows[$0 * rows.count / most] }
        for s in 0..<(cols / 2) {
            func point(_ r: Int) -> (Float, Float) { (values[r * cols + 2 * s], values[r * cols + 2 * s + 1]) }
            // Start from K distinct sample points, spread over the sample first (deterministic),
            // then Lloyd's steps.
            var cx: [Float] = [], cy: [Float] = []
            var seen = Set<UInt64>()
            for i in (0..<K).map({ $0 * sample.count / K }) + Array(sample.indices) where cx.count < K {
                let p = point(sample[i])
                if seen.insert(UInt64(p.0.bitPattern) << 32 | UInt64(p.1.bitPattern)).inserted { cx.append(p.0); cy.append(p.1) }
            }
            while cx.count < K { cx.append(cx[0]); cy.append(cy[0]) }   // fewer distinct points than K
            // Centroids padded to whole vectors with points at infinity, which never win.
            let padded = (K + 15) / 16 * 16
            cx += [Float](repeating: .infinity, count: padded - K)
            cy += [Float](repeating: .infinity, count: padded - K)
            for _ in 0..<25 {   // fastText's niter
                var sx = [Double](repeating: 0, count: K), sy = sx, n = [Int](repeating: 0, count: K)
                for r in sample {
                    let p = point(r), k = nearestCentroid(p, cx, cy)
                    sx[k] += Double(p.0); sy[k] += Double(p.1); n[k] += 1
                }
                for k in 0..<K where n[k] > 0 { cx[k] = Float(sx[k] / Double(n[k])); cy[k] = Float(sy[k] / Double(n[k])) }
            }
            for k in 0..<K { out.append(cx[k].bitPattern); out.append(cy[k].bitPattern) }
            for (i, r) in rows.enumerated() { codes[i * cols / 2 + s] = UInt8(nearestCentroid(point(r), cx, cy)) }
        }
        out.append(bytes: codes)
    }

    /// The first of the centroids (`cx[k]`, `cy[k]`; a multiple of 16 of them) nearest to `p`,
    /// 16 at a time: each lane keeps its first nearest, then the lanes' nearest, the earliest of equals.
    static func nearestCentroid(_ p: (Float, Float), _ cx: [Float], _ cy: [Float]) -> Int {
        cx.withUnsafeBufferPointer { X in
            cy.withUnsafeBufferPointer { Y in
                let px = SIMD16<Float>(repeating: p.0), py = SIMD16<Float>(repeating: p.1)
                var bestDistance = SIMD16<Float>(repeating: .infinity), best = SIMD16<Int32>(repeating: 0)
                var index = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
                for c in stride(from: 0, to: X.count, by: 16) {
                    let dx = px - UnsafeRawPointer(X.baseAddress! + c).loadUnaligned(as: SIMD16<Float>.self)
                    let dy = py - UnsafeRawPointer(Y.baseAddress! + c).loadUnaligned(as: SIMD16<Float>.self)
                    let d = dx * dx + dy * dy
                    let closer = d .< bestDistance
                    bestDistance.replace(with: d, where: closer)
                    best.replace(with: index, where: closer)
                    index &+= 16
                }
                var k = Int(best[0]), distance = bestDistance[0]
                for lane in 1..<16 where bestDistance[lane] < distance || (bestDistance[lane] == distance && Int(best[lane]) < k) {
                    k = Int(best[lane]); distance = bestDistance[lane]
                }
                return k
            }
        }
    }

    static func decodeProduct(_ reader: inout ByteReader, _ values: UnsafeMutablePointer<Float>, cols: Int, rows: [Int],
                              name: String) throws(LexisError) {
        let K = Int(try reader.integer() as UInt32)
        guard K >= 1 && K <= 256 else { throw reader.damaged("parameter \(name): \(K) centroids (1 to 256 expected)") }
        let books = try reader.floats(cols / 2 * K * 2)
        let codes = try reader.take(rows.count * cols / 2)
        guard books.allSatisfy({ $0.isFinite }) else { throw reader.damaged("parameter \(name): a centroid is not finite") }
        var at = codes.startIndex
        for r in rows {
            for s in 0..<(cols / 2) {
                let k = Int(codes[at])
                at += 1
                guard k < K else { throw reader.damaged("parameter \(name): code \(k) of \(K) centroids") }
                values[r * cols + 2 * s] = books[(s * K + k) * 2]
                values[r * cols + 2 * s + 1] = books[(s * K + k) * 2 + 1]
            }
        }
    }
}
