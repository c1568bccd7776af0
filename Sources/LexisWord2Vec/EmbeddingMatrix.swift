import LexisVectors
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// A V x D Float matrix shared by all training threads (Hogwild). Rows are padded to a multiple
// of 16 floats and 64-byte aligned, so the kernels run whole SIMD16 blocks with no tail loop;
// padding starts at zero and stays zero (every update to it is a multiple of another zero pad).

/// A `rows x dimension` Float matrix that training threads update without locks (Hogwild).
///
/// Rows are padded to a multiple of 16 floats (``stride``) and 64-byte aligned; the padding is
/// zero and stays zero. Use ``unpadded()`` and ``load(_:)`` to copy the values out and in.
public final class EmbeddingMatrix: @unchecked Sendable {  // shared lock-free by design
    /// The number of rows (vocabulary size).
    public let rows: Int
    /// Floats per row, without padding.
    public let dimension: Int
    /// Floats from one row to the next.
    public let stride: Int
    /// The first float of row 0; row `i` starts at `base + i * stride`.
    public let base: UnsafeMutablePointer<Float>

    /// Creates a matrix of zeros.
    public init(rows: Int, dimension: Int) {
        self.rows = rows
        self.dimension = dimension
        stride = (dimension + 15) / 16 * 16
        let bytes = max(1, rows * stride) * MemoryLayout<Float>.stride
        // Training reads rows at random: with 4 KB pages nearly every row costs a TLB miss.
        if let mapped = HugePageMemory.allocate(bytes: bytes) {
            mappedBytes = bytes
            base = mapped.bindMemory(to: Float.self, capacity: rows * stride)  // zeroed by the kernel
        } else {
            mappedBytes = 0
            base = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64).bindMemory(to: Float.self, capacity: max(1, rows * stride))
            base.initialize(repeating: 0, count: max(1, rows * stride))
        }
    }

    deinit {
        if mappedBytes > 0 { HugePageMemory.release(base, bytes: mappedBytes) } else { base.deallocate() }
    }

    /// The length of the HugePageMemory block, or 0 for heap memory.
    private let mappedBytes: Int

    /// The first float of row `i` (no bounds check).
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

    /// Gives the memory of rows `0..<end` back to the system (whole pages only): they read as zero
    /// from then on. For copying a matrix out without holding two copies at once.
    public func discardRows(below end: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let stop = Int(bitPattern: base + min(end, rows) * stride) / page * page
        guard stop > start else { return }
        madvise(UnsafeMutableRawPointer(bitPattern: start), stop - start, MADV_DONTNEED)
    }

    /// Fills from row-major `rows x dimension` values.
    ///
    /// - Precondition: `values.count == rows * dimension`.
    public func load(_ values: UnsafeBufferPointer<Float>) {
        precondition(values.count == rows * dimension)
        for r in 0..<rows {
            row(r).update(from: values.baseAddress! + r * dimension, count: dimension)
        }
    }
}
