// A padded, length-sorted batch of encoded sentences. Rows are sorted longest first, so at time
// step t the sentences still running are the rows 0..<active[t] (a prefix): the encoder works on
// that prefix only and padding never enters a product, a state or a pooled value.
//
// Shapes: B rows, T = the longest length; `ids` is time-major [T*B] (row t*B + b), -1 at padding.
import LexisTensor

/// A sentence as model input: token ids and its class ids (one, or several for multi-label data).
public struct EncodedExample: Sendable, Equatable {
    /// Token ids (words, then hashed bigram ids for bow models).
    public var ids: [Int32]
    /// The first class id, or -1 when unknown (prediction).
    public var label: Int32
    /// Every class id of the example (empty when unknown); `[label]` for single-label data.
    public var labels: [Int32]
    /// Creates an example with one class id (-1: unknown).
    public init(ids: [Int32], label: Int32) { self.ids = ids; self.label = label; labels = label >= 0 ? [label] : [] }
    /// Creates an example with several class ids.
    public init(ids: [Int32], labels: [Int32]) { self.ids = ids; self.label = labels.first ?? -1; self.labels = labels }

    /// Whether `classID` is one of the example's labels (the prediction counts as correct).
    public func hasLabel(_ classID: Int) -> Bool { labels.contains(Int32(classID)) }
}

/// A padded batch of encoded sentences, sorted longest first, so that the sentences still running
/// at step t are rows `0..<active[t]` and padding never enters a computation.
public struct ClassifierBatch: Sendable {
    /// Sentences in the batch (B).
    public let rows: Int
    /// Length of the longest sentence (T).
    public let steps: Int
    /// Token ids, time-major `[T*B]` (row `t*B + b`), -1 at padding.
    public let ids: [Int32]
    /// Length of each row's sentence, longest first.
    public let lengths: [Int]
    /// active[t] = number of rows with length > t.
    public let active: [Int]
    /// Class id of each row (-1 when unknown).
    public let targets: [Int32]
    /// Every class id of each row (multi-label data; `[targets[b]]` otherwise).
    public let targetSets: [[Int32]]
    /// Row b holds example `indices[b]` of the list the batch was built from.
    public let indices: [Int]

    /// Builds a batch from `examples[i]` for i in `indices` (any order; rows are sorted here).
    public init(examples: [EncodedExample], indices: [Int]) {
        let sorted = indices.sorted { examples[$0].ids.count > examples[$1].ids.count }
        let B = sorted.count
        let T = sorted.first.map { examples[$0].ids.count } ?? 0
        var ids = [Int32](repeating: -1, count: T * B)
        for (b, i) in sorted.enumerated() {
            for (t, id) in examples[i].ids.enumerated() { ids[t * B + b] = id }
        }
        let lengths = sorted.map { examples[$0].ids.count }
        var active = [Int](repeating: 0, count: T)
        for len in lengths { for t in 0..<len { active[t] += 1 } }
        self.rows = B; self.steps = T; self.ids = ids; self.lengths = lengths; self.active = active
        self.targets = sorted.map { examples[$0].label }
        self.targetSets = sorted.map { examples[$0].labels }
        self.indices = sorted
    }

    /// Batches of at most `size` examples of similar length: examples are ordered by length
    /// (ties broken at random when `rng` is given), cut into batches, and the batches shuffled.
    ///
    /// - Precondition: `size > 0`.
    public static func bucketed(_ examples: [EncodedExample], size: Int, rng: inout RandomGenerator?) -> [ClassifierBatch] {
        precondition(size > 0)
        var keys = examples.indices.map { i -> (Int, UInt64, Int) in
            (examples[i].ids.count, rng?.next() ?? 0, i)
        }
        keys.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var batches: [ClassifierBatch] = []
        var start = 0
        while start < keys.count {
            let end = min(start + size, keys.count)
            batches.append(ClassifierBatch(examples: examples, indices: keys[start..<end].map(\.2)))
            start = end
        }
        if rng != nil {
            for i in stride(from: batches.count - 1, to: 0, by: -1) {
                let j = Int(rng!.next() % UInt64(i + 1))
                batches.swapAt(i, j)
            }
        }
        return batches
    }
}
