// A named window (offset, rows x cols, row-major) into a model's flat parameter buffer and the
// gradient buffer of the same length. Layers hold views, never their own arrays, so optimizers,
// clipping, gradient checks and save/load are each one loop over the flat buffers.

public struct ParameterView: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let offset: Int
    public let rows: Int
    public let cols: Int
    /// Frozen views get no optimizer updates and are left out of gradient clipping.
    public let trainable: Bool

    public init(name: String, offset: Int, rows: Int, cols: Int, trainable: Bool = true) {
        precondition(rows >= 0 && cols >= 0 && offset >= 0)
        self.name = name
        self.offset = offset
        self.rows = rows
        self.cols = cols
        self.trainable = trainable
    }

    public var count: Int { rows * cols }
    public var range: Range<Int> { offset..<(offset + count) }
    public var description: String { "\(name)[\(rows)x\(cols)]@\(offset)" }
}
