// A named window (offset, rows x cols, row-major) into a model's flat parameter buffer and the
// gradient buffer of the same length. Layers hold views, never their own arrays, so optimizers,
// clipping, gradient checks and save/load are each one loop over the flat buffers.

/// A named `rows x cols` row-major window into a ``ParameterStore``'s flat value and gradient
/// buffers.
///
/// Layers hold views rather than arrays, so optimizers, clipping, gradient checks and
/// saving are each one loop over the flat buffers. Make views with ``ParameterLayout/add(_:rows:cols:trainable:)``.
public struct ParameterView: Sendable, Hashable, CustomStringConvertible {
    /// A unique name, such as `lstm0.weight_ih`.
    public let name: String
    /// Index of the first float in the store's buffers.
    public let offset: Int
    /// The number of rows.
    public let rows: Int
    /// The number of columns (floats per row).
    public let cols: Int
    /// Frozen views get no optimizer updates and are left out of gradient clipping.
    public let trainable: Bool

    /// Creates a view; ``ParameterLayout/add(_:rows:cols:trainable:)`` chooses the offset for you.
    public init(name: String, offset: Int, rows: Int, cols: Int, trainable: Bool = true) {
        precondition(rows >= 0 && cols >= 0 && offset >= 0)
        self.name = name
        self.offset = offset
        self.rows = rows
        self.cols = cols
        self.trainable = trainable
    }

    /// `rows * cols`.
    public var count: Int { rows * cols }
    /// The view's indices in the store's buffers.
    public var range: Range<Int> { offset..<(offset + count) }
    /// `name[rowsxcols]@offset`.
    public var description: String { "\(name)[\(rows)x\(cols)]@\(offset)" }
}
