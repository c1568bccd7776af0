// A hash table from pairs of 32-bit ids to Int64 values: the adjacent-pair counter of phrase
// detection and the pair-to-phrase lookup of phrase joining. Pairs of ids, not byte strings, so
// that counting the ~20 million distinct pairs of a 100 MB corpus costs 16 bytes a slot.

/// A hash table from `(UInt32, UInt32)` pairs to `Int64` values.
///
/// Open addressing with linear probing; the table doubles to keep its load at most 0.5.
/// Not thread-safe: one table per thread, merged with ``merge(_:mapping:)``.
public final class PairTable {
    /// A key and its value side by side: a lookup in a table far larger than the cache costs one
    /// miss, not two (counting 100 MB of text took about 1.5x as long with keys and values apart).
    private struct Slot {
        /// `a << 32 | b` plus one, so that 0 marks an empty slot.
        var key: UInt64
        var value: Int64
    }
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<Slot>
    @exclusivity(unchecked) private var mask: Int
    /// Number of pairs.
    @exclusivity(unchecked) public private(set) var count = 0

    /// Creates an empty table that holds `minimumCapacity` pairs before it first grows.
    public init(minimumCapacity: Int = 1024) {
        var n = 16
        while n < minimumCapacity * 2 { n <<= 1 }
        mask = n - 1
        slots = .allocate(capacity: n)
        slots.initialize(repeating: Slot(key: 0, value: 0), count: n)
    }

    deinit { slots.deallocate() }

    /// Bytes the table's slots take (for memory reports).
    public var memoryBytes: Int { (mask + 1) * MemoryLayout<Slot>.stride }

    @inline(__always)
    private static func key(_ a: UInt32, _ b: UInt32) -> UInt64 { (UInt64(a) << 32 | UInt64(b)) &+ 1 }

    /// A 64-bit mixer (the finalizer of MurmurHash3): consecutive ids land in unrelated slots.
    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        var h = key
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h &*= 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return Int(truncatingIfNeeded: h) & mask
    }

    /// Slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private func find(_ key: UInt64) -> Int {
        var i = Self.slot(key, mask)
        while true {
            let k = slots[i].key
            if k == key || k == 0 { return i }
            i = (i &+ 1) & mask
        }
    }

    /// Adds `amount` to the pair's value, inserting the pair with value `amount` if new.
    @inline(__always)
    public func add(_ a: UInt32, _ b: UInt32, _ amount: Int64 = 1) {
        let key = Self.key(a, b)
        let i = find(key)
        if slots[i].key == key {
            slots[i].value &+= amount
            return
        }
        slots[i] = Slot(key: key, value: amount)
        count += 1
        if count * 2 > mask + 1 { grow() }
    }

    /// Adds 1 for each pair in `pairs` (each `a << 32 | b`). Faster than one ``add(_:_:_:)`` per pair
    /// on a table larger than the cache: the slots of a batch are loaded first, so that their
    /// cache misses overlap, then counted.
    public func add(pairs: UnsafeBufferPointer<UInt64>) {
        var start = 0
        let n = pairs.count
        var touched: UInt64 = 0
        while start < n {
            let end = min(n, start + 16)
            for j in start..<end { touched &+= slots[Self.slot(pairs[j] &+ 1, mask)].key }
            for j in start..<end { add(UInt32(truncatingIfNeeded: pairs[j] >> 32), UInt32(truncatingIfNeeded: pairs[j])) }
            start = end
        }
        sink = touched
    }
    /// Keeps the loads of ``add(pairs:)`` from being optimized away.
    @exclusivity(unchecked) private var sink: UInt64 = 0

    /// Sets the pair's value, inserting it if new.
    public func set(_ a: UInt32, _ b: UInt32, _ value: Int64) {
        let key = Self.key(a, b)
        let i = find(key)
        if slots[i].key != key { count += 1 }
        slots[i] = Slot(key: key, value: value)
        if count * 2 > mask + 1 { grow() }
    }

    /// The pair's value, or nil.
    @inline(__always)
    public func value(_ a: UInt32, _ b: UInt32) -> Int64? {
        let key = Self.key(a, b)
        let i = find(key)
        return slots[i].key == key ? slots[i].value : nil
    }

    /// Calls `body` for every pair and value, in table order.
    public func forEach(_ body: (UInt32, UInt32, Int64) -> Void) {
        for i in 0...mask where slots[i].key != 0 {
            let k = slots[i].key &- 1
            body(UInt32(truncatingIfNeeded: k >> 32), UInt32(truncatingIfNeeded: k), slots[i].value)
        }
    }

    /// Drops every pair whose value is below `minimum`.
    public func removeAll(below minimum: Int64) {
        rehash(slotCount: mask + 1) { $0 >= minimum }
    }

    /// Adds every pair of `other` into this table, its ids first passed through `mapping`
    /// (`mapping[id]` is the id in this table's numbering).
    public func merge(_ other: PairTable, mapping: [UInt32]) {
        other.forEach { a, b, value in add(mapping[Int(a)], mapping[Int(b)], value) }
    }

    private func grow() { rehash(slotCount: (mask + 1) * 2) { _ in true } }

    /// Moves the pairs whose value passes `keep` into `slotCount` new slots.
    private func rehash(slotCount: Int, keep: (Int64) -> Bool) {
        let old = slots, oldCount = mask + 1
        mask = slotCount - 1
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: Slot(key: 0, value: 0), count: slotCount)
        count = 0
        for i in 0..<oldCount where old[i].key != 0 && keep(old[i].value) {
            slots[find(old[i].key)] = old[i]
            count += 1
        }
        old.deallocate()
    }
}
