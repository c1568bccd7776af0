// The helpers every multi-threaded stage uses (the vocabulary pass, word2vec): the default thread
// count, the machine's memory, per-thread slots that any thread may read for progress, and per-thread results.
#if canImport(Glibc)
import Glibc
#endif

/// Online cores, the default thread count.
public let defaultThreadCount: Int = {
    #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 2
    #endif
}()

/// Bytes of physical memory (0 when the system does not say).
public let physicalMemoryBytes: Int = {
    #if canImport(Glibc)
    return max(0, Int(sysconf(Int32(_SC_PHYS_PAGES)))) * max(0, Int(sysconf(Int32(_SC_PAGESIZE))))
    #else
    return 0
    #endif
}()

/// One value per worker thread (a word count, a loss sum) that any thread may read for progress:
/// each thread writes only its own slot; reads from other threads are benignly racy.
package final class SharedSlots<Value: AdditiveArithmetic>: @unchecked Sendable {
    private let values: UnsafeMutablePointer<Value>
    /// The number of slots.
    package let count: Int
    /// Creates `count` slots set to zero.
    package init(count: Int) {
        self.count = count
        values = .allocate(capacity: count)
        values.initialize(repeating: .zero, count: count)
    }
    deinit { values.deallocate() }
    /// Sets slot `index`; call it only from the thread that owns the slot.
    package func set(_ index: Int, _ value: Value) { values[index] = value }
    /// Adds to slot `index`; call it only from the thread that owns the slot.
    package func add(_ index: Int, _ value: Value) { values[index] += value }
    /// The value of slot `index`.
    package func value(_ index: Int) -> Value { values[index] }
    /// The sum of all slots (may miss writes in flight).
    package var total: Value { (0..<count).reduce(.zero) { $0 + values[$1] } }
}

/// Per-thread word or byte counters.
package typealias SharedProgress = SharedSlots<Int>

/// One result slot per worker thread; each thread writes only its own slot.
package final class ThreadResults<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Result<T, LexisError>?>
    private let count: Int
    /// Creates `count` empty slots.
    package init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    /// Stores a thread's result. An error that is not a `LexisError` is wrapped in
    /// `LexisError/invalidArgument(_:)`.
    package func set(_ index: Int, _ result: Result<T, any Error>) {
        switch result {
        case .success(let value): slots[index] = .success(value)
        case .failure(let error as LexisError): slots[index] = .failure(error)
        case .failure(let error): slots[index] = .failure(.invalidArgument("\(error)"))
        }
    }
    /// The value in slot `index`.
    ///
    /// - Throws: The slot's error, or `LexisError/invalidArgument(_:)` when it was never set.
    package func get(_ index: Int) throws(LexisError) -> T {
        switch slots[index] {
        case .success(let value)?: return value
        case .failure(let error)?: throw error
        case nil: throw .invalidArgument("worker thread \(index) produced no result")
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
