#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lexis

/// Buffered writes to stdout (file descriptor 1) for bulk output such as token streams.
final class StandardOutput {
    private let buffer = ByteBuffer(capacity: 1 << 20)

    func append(_ byte: UInt8) { buffer.append(byte) }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if let base = bytes.baseAddress { buffer.append(base, bytes.count) }
    }

    func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    func flushIfFull() throws {
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = write(1, buffer.base + offset, buffer.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw LexisError.cannotWrite(path: "stdout", reason: String(cString: strerror(errno)))
            }
            offset += n
        }
        buffer.count = 0
    }
}

func makeDirectory(_ path: String) {
    mkdir(path, 0o755)
}
