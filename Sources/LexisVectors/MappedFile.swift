// A read-only memory mapping of a whole file. Loaders parse straight from the mapping, and the
// `.lexis` loader keeps it alive as the matrix storage so loading copies nothing.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LexisText

final class MappedFile: @unchecked Sendable {
    let path: String
    /// Nil for an empty file (mmap rejects length 0).
    let base: UnsafeRawPointer?
    let size: Int

    init(path: String) throws(LexisError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotRead(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .cannotRead(path: path, reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw .cannotRead(path: path, reason: "not a regular file (vector files must be seekable; save stdin to a file first)")
        }
        size = Int(st.st_size)
        if size == 0 {
            base = nil
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        base = UnsafeRawPointer(address)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }

    var bytes: UnsafeBufferPointer<UInt8> {
        guard let base else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size)
    }
}
