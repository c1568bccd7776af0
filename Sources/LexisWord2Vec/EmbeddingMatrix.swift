// A V x D Float matrix shared by all training threads (Hogwild). Rows are padded to a multiple
// of 16 floats and 64-byte aligned, so the kernels run whole SIMD16 blocks with no tail loop;
// padding starts at zero and stays zero (every update to it is a multiple of another zero pad).

public final class EmbeddingMatrix: @unchecked Sendable {  // shared lock-free by design
    public let rows: Int
    public let dimension: Int
    /// Floats from one row to the next.
    public let stride: Int
    public let base: UnsafeMutablePointer<Float>

    public init(rows: Int, dimension: Int) {
        self.rows = rows
        self.dimension = dimension
        stride = (dimension + 15) / 16 * 16
        let bytes = max(1, rows * stride) * MemoryLayout<Float>.stride
        base = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64).bindMemory(to: Float.self, capacity: max(1, rows * stride))
        base.initialize(repeating: 0, count: max(1, rows * stride))
    }

    deinit { base.deallocate() }

    @inline(__always)
    public func row(_ i: Int) -> UnsafeMutablePointer<Float> { base + i * stride }

    /// Row-major `rows x dimension` values without padding.
    public func unpadded() -> [Float] {
        var result = [Float](repeating: 0, count: rows * dimension)
        result.withUnsafeMutableBufferPointer { out in
            for r in 0..<rows {
                (out.baseAddress! + r * dimension).update(from: row(r), count: dimension)
            }
        }
        return result
    }

    /// Fills from row-major `rows x dimension` values.
    public func load(_ values: UnsafeBufferPointer<Float>) {
        precondition(values.count == rows * dimension)
        for r in 0..<rows {
            row(r).update(from: values.baseAddress! + r * dimension, count: dimension)
        }
    }
}
