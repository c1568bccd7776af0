// Where a WordVectors matrix lives: memory it owns, or a read-only file mapping it keeps alive.

final class MatrixStorage: @unchecked Sendable {
    let base: UnsafePointer<Float>
    let count: Int
    private let owned: UnsafeMutablePointer<Float>?
    /// Keeps a `.lexis` file mapped as long as the matrix is in use.
    private let mapping: MappedFile?

    /// Takes ownership of `memory` (allocated with `allocate(capacity:)`, `count` floats initialized).
    init(adopting memory: UnsafeMutablePointer<Float>, count: Int) {
        owned = memory
        base = UnsafePointer(memory)
        self.count = count
        mapping = nil
    }

    convenience init(copying values: UnsafeBufferPointer<Float>) {
        let memory = UnsafeMutablePointer<Float>.allocate(capacity: max(values.count, 1))
        if let source = values.baseAddress { memory.initialize(from: source, count: values.count) }
        self.init(adopting: memory, count: values.count)
    }

    init(mapping: MappedFile, offset: Int, count: Int) {
        self.mapping = mapping
        owned = nil
        base = (mapping.base! + offset).assumingMemoryBound(to: Float.self)
        self.count = count
    }

    deinit { owned?.deallocate() }

    var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: base, count: count) }
}
