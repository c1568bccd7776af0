import Testing
@testable import LexisWord2Vec
import LexisVectors

/// Both kinds of storage: heap memory for small matrices, a huge-page mapping from
/// `HugePageMemory.minimumBytes` up.
@Suite struct EmbeddingMatrixTests {
    @Test(arguments: [(rows: 10, dimension: 7), (rows: 20_000, dimension: 64)])
    func storageStartsAtZeroAndRoundTrips(_ shape: (rows: Int, dimension: Int)) {
        let matrix = EmbeddingMatrix(rows: shape.rows, dimension: shape.dimension)
        #expect((matrix.rows * matrix.stride * 4 >= HugePageMemory.minimumBytes) == (shape.rows == 20_000))
        #expect(Int(bitPattern: matrix.base) % 64 == 0)
        var zeros = true
        for i in 0..<(matrix.rows * matrix.stride) where matrix.base[i] != 0 { zeros = false }
        #expect(zeros)
        let values = (0..<(shape.rows * shape.dimension)).map { Float($0 % 1000) - 499.5 }
        values.withUnsafeBufferPointer { matrix.load($0) }
        #expect(matrix.unpadded() == values)
        // The padding stays zero: the kernels rely on it.
        var padding = true
        for r in 0..<matrix.rows {
            for c in matrix.dimension..<matrix.stride where matrix.row(r)[c] != 0 { padding = false }
        }
        #expect(padding)
    }

    @Test func discardedRowsReadAsZeroAndTheRestKeepTheirValues() {
        let matrix = EmbeddingMatrix(rows: 20_000, dimension: 64)
        let values = (0..<(matrix.rows * matrix.dimension)).map { Float($0 % 997) + 1 }
        values.withUnsafeBufferPointer { matrix.load($0) }
        matrix.discardRows(below: 10_000)
        let after = matrix.unpadded()
        // Whole pages only: rows below the cut read zero or keep their value, never anything else.
        for r in 0..<10_000 {
            let row = Array(after[(r * 64)..<((r + 1) * 64)])
            #expect(row == Array(values[(r * 64)..<((r + 1) * 64)]) || row.allSatisfy { $0 == 0 })
        }
        #expect(after[0..<(9_000 * 64)].allSatisfy { $0 == 0 })
        #expect(Array(after[(10_000 * 64)...]) == Array(values[(10_000 * 64)...]))
    }
}
