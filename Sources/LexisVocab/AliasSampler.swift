// Walker's alias method (Vose's construction): draws from a discrete distribution in O(1) with
// one 64-bit random number, in O(V) memory (word2vec.c's unigram table needs 1e8 entries).

/// Draws from a discrete distribution in O(1) with one 64-bit random number (Walker's alias
/// method, Vose's construction), in O(n) memory.
///
/// ``Vocabulary/noiseDistribution(power:)`` builds the negative-sampling sampler of word2vec.
public struct AliasSampler: Sendable {
    /// Acceptance thresholds scaled to 2^32, and the alternative for each bucket.
    public let thresholds: [UInt32]
    /// The outcome drawn when a bucket's threshold rejects.
    public let aliases: [Int32]
    /// The same as (alias << 32 | threshold) per bucket, in raw memory for the sampling loop.
    private let table: PackedTable

    /// The number of outcomes.
    public var count: Int { thresholds.count }

    /// Builds the table for outcome `i` drawn with probability `weights[i] / weights.sum()`.
    ///
    /// - Parameter weights: Non-negative weights. An empty or all-zero list gives an empty sampler,
    ///   which must not be sampled.
    public init(weights: [Double]) {
        let n = weights.count
        let total = weights.reduce(0, +)
        guard n > 0, total > 0 else {
            thresholds = []
            aliases = []
            table = PackedTable(thresholds: [], aliases: [])
            return
        }
        var scaled = weights.map { $0 * Double(n) / total }
        var thresholds = [UInt32](repeating: UInt32.max, count: n)
        var aliases = [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n { buffer[i] = Int32(i) }
            initialized = n
        }
        var small: [Int] = [], large: [Int] = []
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast(), let l = large.last {
            thresholds[s] = UInt32(min(scaled[s] * 4_294_967_296.0, 4_294_967_295.0))
            aliases[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        // What is left has probability 1 up to rounding: keep thresholds at max.
        self.thresholds = thresholds
        self.aliases = aliases
        table = PackedTable(thresholds: thresholds, aliases: aliases)
    }

    /// One draw from a uniform 64-bit random number.
    ///
    /// - Parameter random: A uniformly random 64-bit value; the high 32 bits pick the bucket, the
    ///   low 32 bits decide between the bucket and its alias.
    /// - Returns: An outcome index in `0..<count`.
    @inline(__always)
    public func sample(_ random: UInt64) -> Int32 {
        let bucket = bucket(random)
        let entry = table.entries[bucket]  // threshold and alias side by side: one cache line
        return UInt32(truncatingIfNeeded: random) < UInt32(truncatingIfNeeded: entry) ? Int32(bucket)
            : Int32(truncatingIfNeeded: entry >> 32)
    }

    /// The address of the table entry that `sample(random)` reads, to prefetch it a draw ahead:
    /// the table is read at random (8 bytes per outcome: 540 KB for 68K words) and a miss there
    /// holds up the sampling loop.
    @inline(__always)
    public func entryAddress(_ random: UInt64) -> UnsafeRawPointer { UnsafeRawPointer(table.entries + bucket(random)) }

    /// The bucket the high 32 bits of `random` pick (Lemire's multiply-shift).
    @inline(__always)
    private func bucket(_ random: UInt64) -> Int { Int(((random >> 32) &* UInt64(table.count)) >> 32) }
}

/// Immutable packed copy of an alias table (shared by copies of the sampler).
final class PackedTable: @unchecked Sendable {
    let entries: UnsafeMutablePointer<UInt64>
    let count: Int
    init(thresholds: [UInt32], aliases: [Int32]) {
        count = thresholds.count
        entries = .allocate(capacity: max(1, count))
        for i in 0..<count {
            entries[i] = UInt64(UInt32(bitPattern: aliases[i])) << 32 | UInt64(thresholds[i])
        }
    }
    deinit { entries.deallocate() }
}

