// Smaller classifier files: the PARZ section, written instead of PARM, encodes each parameter view
// of each member on its own:
//
//   UInt32 rows, UInt32 cols (checked against the header's architecture)
//   UInt8 flags (1: 8-bit values, 2: only some rows stored)
//   [flags & 2] UInt32 n, then n increasing UInt32 row numbers (the other rows are zero)
//   per stored row: Float32 values, or (flags & 1) a Float32 scale and Int8 values, x = q * scale
//
// Rows that are all zero are left out when that saves space: a bow model's bigram buckets that no
// training bigram hashed to (most of 100,000) and <unk>'s row; this is lossless. `quantize` stores
// every weight matrix in 8 bits, one scale per row (its largest magnitude / 127); biases stay
// Float32. Loading decodes into the ordinary Float32 store: the model computes as before with the
// rounded weights.
import LexisTensor
import LexisText

enum CompactParameters {
    static let quantizedFlag: UInt8 = 1, sparseFlag: UInt8 = 2

    /// Whether `view` is stored in 8 bits when quantizing: matrices, not biases.
    static func quantizes(_ view: ParameterView) -> Bool { view.rows > 1 && !view.name.hasSuffix("bias") }

    /// Appends every view of `store`.
    static func encode(_ store: ParameterStore, quantize: Bool, into out: inout ByteWriter) {
        for view in store.views {
            let (rows, cols) = (view.rows, view.cols)
            let values = store.value(view)
            var nonZero: [Int] = []
            for r in 0..<rows where (0..<cols).contains(where: { values[r * cols + $0] != 0 }) { nonZero.append(r) }
            let q = quantize && quantizes(view)
            let rowBytes = q ? 4 + cols : 4 * cols
            let sparse = cols > 0 && nonZero.count * (rowBytes + 4) < rows * rowBytes
            out.append(UInt32(rows))
            out.append(UInt32(cols))
            out.append((q ? quantizedFlag : 0) | (sparse ? sparseFlag : 0))
            if sparse {
                out.append(UInt32(nonZero.count))
                for r in nonZero { out.append(UInt32(r)) }
            }
            for r in sparse ? nonZero : Array(0..<rows) {
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
            guard flags & ~(quantizedFlag | sparseFlag) == 0 else {
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
}
