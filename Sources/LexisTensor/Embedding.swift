// Embedding lookup: row `id` of a [V x E] table. The gradient is sparse: backward adds only the
// rows that were looked up.
//
// Shapes: ids [N], y [N x E].

/// An embedding lookup: row `id` of a `[V x E]` table. Backward adds only to the rows looked up.
public struct Embedding: Sendable {
    /// The `[V x E]` table.
    public let table: ParameterView

    /// An embedding over an existing view.
    public init(table: ParameterView) { self.table = table }

    /// Adds a `vocabulary x dimension` table named `<name>.weight` to `layout`.
    ///
    /// - Parameter trainable: False for a frozen table (for example, pre-trained vectors).
    public init(_ name: String, vocabulary: Int, dimension: Int, trainable: Bool = true, layout: inout ParameterLayout) {
        table = layout.add("\(name).weight", rows: vocabulary, cols: dimension, trainable: trainable)
    }

    /// Rows of the table (V).
    public var vocabularySize: Int { table.rows }
    /// Floats per row (E).
    public var dimension: Int { table.cols }

    /// Copies row `ids[n]` of the table to row `n` of `y` (`[count x E]`) for every n.
    public func forward(_ store: ParameterStore, ids: UnsafePointer<Int32>, count: Int, y: UnsafeMutablePointer<Float>) {
        let w = store.value(table), e = dimension
        for n in 0..<count {
            (y + n * e).update(from: w + Int(ids[n]) * e, count: e)
        }
    }

    /// grad[ids[n]] += dy[n] for every n (a row repeated in `ids` accumulates).
    ///
    /// Does nothing for a frozen table; marks the rows in a row-sparse store.
    public func backward(_ store: ParameterStore, ids: UnsafePointer<Int32>, count: Int, dy: UnsafePointer<Float>) {
        guard table.trainable else { return }
        let g = store.gradient(table), e = dimension
        store.markRows(table, ids: ids, count: count)
        for n in 0..<count {
            VectorMath.axpy(1, dy + n * e, g + Int(ids[n]) * e, e)
        }
    }
}
