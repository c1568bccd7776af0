// A scratch buffer owned by a workspace: allocated once, reused by every training step.

/// A fixed-size, 64-byte-aligned Float buffer, zero-filled on creation: scratch space that a
/// workspace allocates once and reuses every training step.
public final class FloatBuffer: @unchecked Sendable {
    /// The number of floats.
    public let count: Int
    /// The first float; valid for the buffer's lifetime.
    public let pointer: UnsafeMutablePointer<Float>

    /// Creates a buffer of `count` zeros.
    public init(count: Int) {
        self.count = count
        // 64-byte aligned so vector loads never straddle cache lines at row starts.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    /// Sets every float to 0.
    public func zero() { pointer.update(repeating: 0, count: count) }

    /// The float at `i` (no bounds check).
    public subscript(i: Int) -> Float {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    /// A copy of the contents.
    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// A buffer holding a copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        pointer.update(from: values, count: values.count)
    }
}
