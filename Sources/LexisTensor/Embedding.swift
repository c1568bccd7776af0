// Embedding lookup: row `id` of a [V x E] table. The gradient is sparse: backward adds only the
// rows that were looked up.
//
// Shapes: ids [N], y [N x E].

public struct Embedding: Sendable {
    public let table: ParameterView

    public init(table: ParameterView) { self.table = table }

    public init(_ name: String, vocabulary: Int, dimension: Int, trainable: Bool = true, layout: inout ParameterLayout) {
        table = layout.add("\(name).weight", rows: vocabulary, cols: dimension, trainable: trainable)
    }

    public var vocabularySize: Int { table.rows }
    public var dimension: Int { table.cols }

    public func forward(_ store: ParameterStore, ids: UnsafePointer<Int32>, count: Int, y: UnsafeMutablePointer<Float>) {
        let w = store.value(table), e = dimension
        for n in 0..<count {
            (y + n * e).update(from: w + Int(ids[n]) * e, count: e)
        }
    }

    /// grad[ids[n]] += dy[n] for every n (a row repeated in `ids` accumulates).
    public func backward(_ store: ParameterStore, ids: UnsafePointer<Int32>, count: Int, dy: UnsafePointer<Float>) {
        guard table.trainable else { return }
        let g = store.gradient(table), e = dimension
        store.markRows(table, ids: ids, count: count)
        for n in 0..<count {
            VectorMath.axpy(1, dy + n * e, g + Int(ids[n]) * e, e)
        }
    }
}
