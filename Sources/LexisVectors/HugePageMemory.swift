// Memory for large matrices: an anonymous mapping with transparent huge pages asked for.
//
// Linux hands such a mapping out (and zeroes it) in 2 MB pages instead of faulting in 4 KB ones.
// Loading a 100k x 300 word2vec file got about twice as fast (MatrixStorage), and training, which
// reads rows at random, stopped paying a TLB miss on nearly every row (EmbeddingMatrix; BENCHMARKS.md
// round 9). Where THP is off, or on other systems, it is plain anonymous memory.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

package enum HugePageMemory {
    /// Smaller blocks stay on the heap: a huge page would mostly hold nothing.
    package static let minimumBytes = 4 << 20

    /// `bytes` of zeroed memory, page aligned, or nil when `bytes` is below ``minimumBytes`` or the
    /// mapping fails (take heap memory then). Give it back with ``release(_:bytes:)``.
    package static func allocate(bytes: Int) -> UnsafeMutableRawPointer? {
        guard bytes >= minimumBytes,
              let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              mapped != MAP_FAILED else { return nil }
        #if os(Linux)
        madvise(mapped, bytes, MADV_HUGEPAGE)
        #endif
        return mapped
    }

    package static func release(_ memory: UnsafeMutableRawPointer, bytes: Int) {
        munmap(memory, bytes)
    }
}
