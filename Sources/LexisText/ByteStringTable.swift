// An open-addressing hash table from byte strings to Int64 values: the token counter of the
// vocabulary pass and the token -> id lookup of training. Keys are hashed straight from UTF-8
// bytes, so the hot path never makes a String. Linear probing, power-of-two capacity, load <= 0.5.
// It is also the word -> row index of word vectors: one byte-keyed table for every word list.

/// A hash table from byte strings to `Int64` values, hashed straight from UTF-8 bytes so that
/// lookups never make a `String`.
///
/// The token counter of vocabulary building, the token-to-id lookup of `Vocabulary` and the
/// word-to-row index of `WordVectors`. Keys match byte for byte (not by Unicode canonical
/// equivalence, as `String ==` would).
/// Open addressing with linear probing; the table doubles to keep its load at most 0.5.
/// Not thread-safe.
public final class ByteStringTable {
    /// 8 bytes, so that the table of 100k words (256k slots) fits the core's L2 cache: a probe is
    /// a cache miss otherwise (with 32-byte slots a `.lexis` load took 2.3x as long). The value
    /// lives in the arena beside the key, whose bytes a hit reads anyway.
    struct Slot {
        var tag: UInt32  // the hash's upper half | 1; 0 marks an empty slot
        var offset: UInt32  // the entry in `arena` (8-aligned): Int64 value, UInt32 length, the bytes
    }

    /// The fields a lookup reads, behind one `let` pointer. Release builds inline lookups into
    /// other modules (the word2vec trainer), where a stored `var` costs a run-time exclusivity
    /// check per read (`@exclusivity(unchecked)` does not carry across modules); reads through a
    /// `let` pointer carry none. The table belongs to one thread at a time.
    private struct Storage {
        var slots: UnsafeMutablePointer<Slot>
        var mask: Int
        /// `arena.base`, refreshed after every append.
        var arenaBase: UnsafeMutablePointer<UInt8>
    }
    private let storage: UnsafeMutablePointer<Storage>
    private var slots: UnsafeMutablePointer<Slot> {
        get { storage.pointee.slots }
        set { storage.pointee.slots = newValue }
    }
    private var mask: Int {
        get { storage.pointee.mask }
        set { storage.pointee.mask = newValue }
    }
    private var arenaBase: UnsafeMutablePointer<UInt8> {
        get { storage.pointee.arenaBase }
        set { storage.pointee.arenaBase = newValue }
    }
    private let arena = ByteBuffer(capacity: 1 << 16)
    /// Number of keys.
    @exclusivity(unchecked) public private(set) var count = 0

    /// Creates an empty table that holds `minimumCapacity` keys before it first grows.
    public init(minimumCapacity: Int = 1024) {
        var capacity = 1024
        while capacity < minimumCapacity * 2 { capacity *= 2 }
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
        slots.initialize(repeating: Slot(tag: 0, offset: 0), count: capacity)
        storage = .allocate(capacity: 1)
        storage.initialize(to: Storage(slots: slots, mask: capacity - 1, arenaBase: arena.base))
    }

    deinit {
        slots.deallocate()
        storage.deallocate()
    }

    /// 64-bit hash of a byte string. Its low bits pick the slot, its high bits are the slot's tag.
    @inline(__always)
    public static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        // Wrapping arithmetic: indices stay below n (checked adds cost ~15% of lookup speed).
        while i &+ 8 <= n {
            let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h &>> 32
            i &+= 8
        }
        if i < n {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                word |= UInt64(p[i]) &<< shift
                shift &+= 8
                i &+= 1
            }
            h = (h ^ word) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        return h
    }

    /// The tag a slot stores for hash `h`: bits the slot index does not use, never 0.
    @inline(__always)
    private static func tag(_ h: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: h &>> 32) | 1 }

    @inline(__always)
    private func keyLength(_ slot: Slot) -> Int {
        Int(UnsafeRawPointer(arenaBase + (Int(slot.offset) &+ 8)).load(as: UInt32.self))
    }

    @inline(__always)
    private func valuePointer(_ slot: Slot) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(arenaBase + Int(slot.offset))
    }

    @inline(__always)
    private func keyEquals(_ slot: Slot, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard keyLength(slot) == n else { return false }
        // Tokens are short: an inline loop beats a call to memcmp.
        let key = arenaBase + (Int(slot.offset) &+ 12)
        var i = 0
        while i &+ 8 <= n {
            if UnsafeRawPointer(key + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) {
                return false
            }
            i &+= 8
        }
        while i < n {
            if key[i] != p[i] { return false }
            i &+= 1
        }
        return true
    }

    /// Slot index holding the key, or the empty slot where it would go.
    @inline(__always)
    private func probe(_ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64) -> Int {
        var i = Int(truncatingIfNeeded: h) & mask
        let tag = Self.tag(h)
        while true {
            let slot = slots[i]
            if slot.tag == 0 || (slot.tag == tag && keyEquals(slot, p, n)) { return i }
            i = (i &+ 1) & mask
        }
    }

    /// Adds `amount` to the key's value, inserting the key with value `amount` if new.
    /// The key is the `n` bytes at `p`; they are copied.
    @inline(__always)
    public func add(_ p: UnsafePointer<UInt8>, _ n: Int, _ amount: Int64 = 1) {
        let h = Self.hash(p, n)
        let i = probe(p, n, h)
        if slots[i].tag != 0 {
            let value = valuePointer(slots[i])
            value.storeBytes(of: value.load(as: Int64.self) &+ amount, as: Int64.self)
            return
        }
        insert(at: i, p, n, h, amount)
    }

    private func insert(at i: Int, _ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, _ value: Int64) {
        let offset = (arena.count + 7) & ~7
        precondition(offset + 12 + n <= Int(UInt32.max), "a ByteStringTable holds at most 4 GB of keys")
        arena.reserve(offset - arena.count + 12 + n)
        arena.count = offset + 12
        arenaBase = arena.base
        UnsafeMutableRawPointer(arenaBase + offset).storeBytes(of: value, as: Int64.self)
        UnsafeMutableRawPointer(arenaBase + offset + 8).storeBytes(of: UInt32(n), as: UInt32.self)
        arena.append(p, n)
        slots[i] = Slot(tag: Self.tag(h), offset: UInt32(offset))
        count += 1
        if count * 2 > mask + 1 { rehash(capacity: (mask + 1) * 2) }
    }

    /// Sets the key's value (inserting it); returns false if the key was already present.
    /// The key is the `n` bytes at `p`; they are copied.
    @discardableResult
    public func insert(_ p: UnsafePointer<UInt8>, _ n: Int, value: Int64) -> Bool {
        let h = Self.hash(p, n)
        let i = probe(p, n, h)
        if slots[i].tag != 0 {
            valuePointer(slots[i]).storeBytes(of: value, as: Int64.self)
            return false
        }
        insert(at: i, p, n, h, value)
        return true
    }

    /// The key's value, or nil.
    @inline(__always)
    public func value(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        let i = probe(p, n, Self.hash(p, n))
        return slots[i].tag == 0 ? nil : valuePointer(slots[i]).load(as: Int64.self)
    }

    /// Inserts the key with `value` unless it is present; then returns the value already stored
    /// and changes nothing. The key is the `n` bytes at `p`; they are copied.
    public func insertUnlessPresent(_ p: UnsafePointer<UInt8>, _ n: Int, value: Int64) -> Int64? {
        let h = Self.hash(p, n)
        let i = probe(p, n, h)
        if slots[i].tag != 0 { return valuePointer(slots[i]).load(as: Int64.self) }
        insert(at: i, p, n, h, value)
        return nil
    }

    /// ``insertUnlessPresent(_:_:value:)`` for the UTF-8 bytes of `key`.
    public func insertUnlessPresent(_ key: String, value: Int64) -> Int64? {
        var key = key
        return key.withUTF8 { utf8 in withKeyBytes(utf8) { insertUnlessPresent($0, $1, value: value) } }
    }

    /// The value stored for the UTF-8 bytes of `key`, or nil.
    public func value(for key: String) -> Int64? {
        var key = key
        return key.withUTF8 { utf8 in withKeyBytes(utf8) { value($0, $1) } }
    }

    /// ``add(_:_:_:)`` for the UTF-8 bytes of `key`.
    public func add(_ key: String, _ amount: Int64 = 1) {
        var key = key
        key.withUTF8 { utf8 in withKeyBytes(utf8) { add($0, $1, amount) } }
    }

    /// Sets the value of the UTF-8 bytes of `key` (inserting it); returns false if the key was
    /// already present.
    @discardableResult
    public func insert(_ key: String, value: Int64) -> Bool {
        var key = key
        return key.withUTF8 { utf8 in withKeyBytes(utf8) { insert($0, $1, value: value) } }
    }

    /// Gives a valid pointer even for the empty string (whose UTF-8 buffer may have none).
    private func withKeyBytes<R>(_ utf8: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        if let base = utf8.baseAddress { return body(base, utf8.count) }
        var zero: UInt8 = 0
        return withUnsafePointer(to: &zero) { body($0, 0) }
    }

    private func rehash(capacity: Int) {
        let old = slots
        let oldCapacity = mask + 1
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(tag: 0, offset: 0), count: capacity)
        mask = capacity - 1
        for k in 0..<oldCapacity where old[k].tag != 0 {
            // The slot keeps only part of the hash: the index comes from the key again.
            let key = arenaBase + Int(old[k].offset)
            var i = Int(truncatingIfNeeded: Self.hash(key + 12, keyLength(old[k]))) & mask
            while slots[i].tag != 0 { i = (i + 1) & mask }
            slots[i] = old[k]
        }
        old.deallocate()
    }

    /// Calls `body` for every key and value, in table order.
    /// The key bytes are valid only during the call to `body`.
    public func forEach(_ body: (UnsafeBufferPointer<UInt8>, Int64) -> Void) {
        for k in 0...mask where slots[k].tag != 0 {
            body(UnsafeBufferPointer(start: arena.base + Int(slots[k].offset) + 12, count: keyLength(slots[k])),
                 valuePointer(slots[k]).load(as: Int64.self))
        }
    }

    /// Bytes the table holds: its slots and the keys and values stored (for memory limits).
    public var memoryBytes: Int { (mask + 1) * MemoryLayout<Slot>.stride + arena.count }

    /// Drops every key whose value is below `minimum` and compacts the storage, giving the memory
    /// back (slots sized for the keys kept, the arena cut to its contents).
    public func removeAll(below minimum: Int64) {
        var keptCount = 0
        forEach { _, value in if value >= minimum { keptCount += 1 } }
        let kept = ByteStringTable(minimumCapacity: keptCount)
        forEach { key, value in
            if value >= minimum { kept.add(key.baseAddress!, key.count, value) }
        }
        swap(&slots, &kept.slots)
        swap(&mask, &kept.mask)
        arena.count = 0
        arena.shrink(toFit: kept.arena.count)
        arena.append(kept.arena.base, kept.arena.count)
        arenaBase = arena.base
        count = kept.count
    }

    /// Adds every key and value of `other` into this table.
    public func merge(_ other: ByteStringTable) {
        other.forEach { key, value in add(key.baseAddress!, key.count, value) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
