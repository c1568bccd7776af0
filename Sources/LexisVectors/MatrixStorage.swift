// Where a WordVectors matrix lives: memory it owns, or a read-only file mapping it keeps alive.
//
// Owned matrices of 4 MB and more come from HugePageMemory: 2 MB pages made loading a 100k x 300
// word2vec binary file about twice as fast on the dev machine (median of 5 runs under load: ~88 ms
// against ~170 ms; a first run may pay for compaction).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class MatrixStorage: @unchecked Sendable {
    let base: UnsafePointer<Float>
    /// Floats in use (a loader may fill fewer rows than it allocated, skipping duplicates).
    var count: Int
    private enum Owner {
        case heap(UnsafeMutablePointer<Float>)
        case anonymousMapping(UnsafeMutableRawPointer, bytes: Int)
        case file(MappedFile)
    }
    private let owner: Owner

    /// Uninitialized owned storage for `capacity` floats; write through `mutableBase`, then set `count`.
    init(capacity: Int) {
        let bytes = max(capacity, 1) * MemoryLayout<Float>.stride
        if let mapped = HugePageMemory.allocate(bytes: bytes) {
            owner = .anonymousMapping(mapped, bytes: bytes)
            base = UnsafePointer(mapped.assumingMemoryBound(to: Float.self))
        } else {
            let memory = UnsafeMutablePointer<Float>.allocate(capacity: max(capacity, 1))
            owner = .heap(memory)
            base = UnsafePointer(memory)
        }
        count = capacity
    }

    convenience init(copying values: UnsafeBufferPointer<Float>) {
        self.init(capacity: values.count)
        if let source = values.baseAddress { mutableBase.initialize(from: source, count: values.count) }
    }

    init(mapping: MappedFile, offset: Int, count: Int) {
        owner = .file(mapping)
        base = (mapping.base! + offset).assumingMemoryBound(to: Float.self)
        self.count = count
    }

    deinit {
        switch owner {
        case .heap(let memory): memory.deallocate()
        case .anonymousMapping(let address, let bytes): HugePageMemory.release(address, bytes: bytes)
        case .file: break
        }
    }

    /// Writable only for owned storage being filled.
    var mutableBase: UnsafeMutablePointer<Float> { UnsafeMutablePointer(mutating: base) }

    var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: base, count: count) }
}
