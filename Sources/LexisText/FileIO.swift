// Small POSIX file helpers shared by every stage: whole-file reads, atomic writes, directory
// listing. LexisText stays free of Foundation (its ICU calls clash with Foundation's bundled ICU).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
@inline(__always) func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Glibc.write(fd, p, n) }
#else
@inline(__always) func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { Darwin.write(fd, p, n) }
#endif

@inline(__always) func errnoText() -> String { String(cString: strerror(errno)) }

/// POSIX file helpers shared by every stage: file sizes, directory listing, whole-file reads.
public enum FileIO {
    /// Regular-file size in bytes, or nil for pipes, stdin and non-existent paths.
    public static func size(of path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_size)
    }

    /// Whether `path` exists and is a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether anything exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Files below a directory, recursively, sorted by path; hidden entries are skipped.
    ///
    /// Only regular files are listed.
    ///
    /// - Throws: ``LexisError/cannotRead(path:reason:)`` when a directory cannot be opened.
    public static func listFiles(in directory: String) throws(LexisError) -> [String] {
        guard let dir = opendir(directory) else {
            throw .cannotRead(path: directory, reason: errnoText())
        }
        defer { closedir(dir) }
        var result: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name.hasPrefix(".") { continue }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if isDirectory(path) {
                result += try listFiles(in: path)
            } else if size(of: path) != nil {
                result.append(path)
            }
        }
        return result.sorted()
    }

    /// Checks, before any long work, that `path` can be written as AtomicFileWriter writes it: not
    /// a folder, in a folder that exists and that this process may write to.
    ///
    /// - Throws: ``LexisError/cannotWrite(path:reason:)`` saying what is wrong.
    public static func checkWritable(_ path: String) throws(LexisError) {
        if isDirectory(path) { throw .cannotWrite(path: path, reason: "it is a folder; give a file name") }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        guard isDirectory(folder) else { throw .cannotWrite(path: path, reason: "the folder '\(folder)' does not exist") }
        // access() reports both a missing permission (EACCES) and a read-only file system (EROFS).
        guard access(folder, W_OK) == 0 else { throw .cannotWrite(path: path, reason: errnoText()) }
    }

    /// Whether the file at `path` starts with `bytes` (false for a shorter file).
    ///
    /// - Throws: ``LexisError/cannotRead(path:reason:)`` when the file cannot be opened.
    public static func startsWith(path: String, bytes: [UInt8]) throws(LexisError) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotRead(path: path, reason: errnoText()) }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: bytes.count)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress, bytes.count) }
        return n == bytes.count && head == bytes
    }

    /// Reads a whole file (or stdin for "-") into memory.
    ///
    /// - Throws: ``LexisError/cannotRead(path:reason:)``.
    public static func readAll(_ path: String) throws(LexisError) -> [UInt8] {
        let fd = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotRead(path: path, reason: errnoText()) }
        defer { if fd != 0 { close(fd) } }
        var bytes: [UInt8] = []
        if let n = size(of: path) { bytes.reserveCapacity(n) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, reason: errnoText())
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// Reads a whole file (or stdin for `"-"`) as UTF-8 text; invalid bytes become U+FFFD.
    ///
    /// - Throws: ``LexisError/cannotRead(path:reason:)``.
    public static func readText(_ path: String) throws(LexisError) -> String {
        let bytes = try readAll(path)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Writes a file under a temporary name in the same directory and renames it into place on
/// `commit()`, so a killed run never leaves a half-written file. Writes are buffered.
public final class AtomicFileWriter {
    /// The final path, written on ``commit()``.
    public let path: String
    private let temporaryPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var committed = false
    /// Bytes written so far, buffered or not.
    public private(set) var bytesWritten = 0

    /// Creates the temporary file `<path>.tmp-<pid>`. It is deleted if the writer is released
    /// without ``commit()``.
    ///
    /// - Throws: ``LexisError/cannotWrite(path:reason:)`` when the file cannot be created.
    public init(path: String) throws(LexisError) {
        self.path = path
        temporaryPath = path + ".tmp-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: errnoText() + " (does the folder exist?)") }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !committed {
            if fd >= 0 { close(fd) }
            unlink(temporaryPath)
        }
    }

    /// Appends raw bytes.
    ///
    /// - Throws: ``LexisError/cannotWrite(path:reason:)``.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(LexisError) {
        if buffer.count + bytes.count > (1 << 20) { try flush() }
        if bytes.count >= (1 << 20) {
            if let failure = writeFully(bytes) { throw .cannotWrite(path: path, reason: failure) }
        } else {
            buffer.append(contentsOf: bytes)
        }
        bytesWritten += bytes.count
    }

    /// Appends bytes.
    ///
    /// - Throws: ``LexisError/cannotWrite(path:reason:)``.
    public func write(_ bytes: [UInt8]) throws(LexisError) {
        if buffer.count + bytes.count > (1 << 20) { try flush() }
        buffer.append(contentsOf: bytes)
        bytesWritten += bytes.count
    }

    /// Appends the UTF-8 bytes of `text`.
    ///
    /// - Throws: ``LexisError/cannotWrite(path:reason:)``.
    public func write(_ text: String) throws(LexisError) {
        try write(Array(text.utf8))
    }

    /// Pads with zero bytes until the file length is a multiple of `alignment`.
    ///
    /// - Throws: ``LexisError/cannotWrite(path:reason:)``.
    public func pad(toMultipleOf alignment: Int) throws(LexisError) {
        let rest = bytesWritten % alignment
        if rest != 0 { try write([UInt8](repeating: 0, count: alignment - rest)) }
    }

    private func flush() throws(LexisError) {
        if buffer.isEmpty { return }
        let failure = buffer.withUnsafeBytes { writeFully($0) }
        if let failure { throw .cannotWrite(path: path, reason: failure) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Nil on success, else the system's reason.
    private func writeFully(_ bytes: UnsafeRawBufferPointer) -> String? {
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errnoText()
            }
            offset += n
        }
        return nil
    }

    /// Flushes, closes and renames the temporary file to `path`.
    ///
    /// - Throws: ``LexisError/cannotWrite(path:reason:)`` when a write, the close or the rename fails.
    public func commit() throws(LexisError) {
        try flush()
        guard close(fd) == 0 else { fd = -1; throw .cannotWrite(path: path, reason: errnoText()) }
        fd = -1
        guard rename(temporaryPath, path) == 0 else {
            throw .cannotWrite(path: path, reason: errnoText())
        }
        committed = true
        removeStaleTemporaries()
    }

    /// Deletes `<path>.tmp-<pid>` files that runs killed while writing this path left behind
    /// (kill -9 and Ctrl-C skip the cleanup in `deinit`), when no process of that pid is alive.
    private func removeStaleTemporaries() {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let prefix = (slash.map { String(path[path.index(after: $0)...]) } ?? path) + ".tmp-"
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(),
                  kill(pid, 0) != 0 && errno == ESRCH else { continue }
            unlink(directory + "/" + name)
        }
    }
}
