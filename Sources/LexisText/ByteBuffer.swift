/// A growable byte buffer with a stable base address between growths: scratch space for the
/// hot paths, where Array's copy-on-write and bounds checks get in the way.
///
/// Its mutable properties skip Swift's run-time exclusivity checks (`@exclusivity(unchecked)`): a
/// buffer belongs to one thread and is never passed `inout` to itself, and the checks (a call and
/// a thread-local lookup per access) cost 20-30% of tokenizer speed. Lexis puts the same attribute
/// on the per-thread state of the tokenizer, corpus reader, hash table and word2vec workers.
public final class ByteBuffer {
    /// Start of the storage; changes when the buffer grows.
    @exclusivity(unchecked) public private(set) var base: UnsafeMutablePointer<UInt8>
    /// Bytes allocated at `base`.
    @exclusivity(unchecked) public private(set) var capacity: Int
    /// Bytes in use. Set it to 0 to reuse the buffer without freeing it.
    @exclusivity(unchecked) public var count = 0

    /// Creates an empty buffer.
    ///
    /// - Parameter capacity: Initial size in bytes (at least 16).
    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes after `count`.
    @inline(__always)
    public func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    private func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Reallocates an empty buffer to hold `bytes` (at least 16), freeing a larger allocation.
    public func shrink(toFit bytes: Int) {
        precondition(count == 0, "shrink(toFit:) needs an empty buffer")
        let wanted = max(bytes, 16)
        guard wanted < capacity else { return }
        base.deallocate()
        base = .allocate(capacity: wanted)
        capacity = wanted
    }

    /// Appends one byte, growing the buffer if needed.
    @inline(__always)
    public func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// Appends `n` bytes copied from `p`, growing the buffer if needed.
    @inline(__always)
    public func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        reserve(n)
        (base + count).update(from: p, count: n)
        count += n
    }

    /// The first `count` bytes; valid until the buffer next grows.
    public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}
