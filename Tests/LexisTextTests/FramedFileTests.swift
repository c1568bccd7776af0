// The one binary framing: sections round-trip, readers skip sections they do not know, and every
// kind of damage is an error that names the file.
import Foundation
import LexisTestSupport
import LexisText
import Testing

@Suite struct FramedFileTests {
    static let format = FramedFileFormat(magic: "LEXISTST", version: 3, firstFramedVersion: 2, name: "test",
                                         damagedFix: "Write it again")

    static func written(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("f.bin").path
        let file = try FramedFileWriter(path: path, format: format)
        var head = ByteWriter()
        head.append("hello")
        head.append(strings: ["a", "bb", ""])
        head.append(Int64(-7))
        try file.section("HEAD", head)
        try file.section("XTRA", ByteWriter())
        let values: [Float] = [1.5, -2, .pi]
        try values.withUnsafeBufferPointer { (p) throws(LexisError) in try file.section("PARM", floats: [p, p]) }
        try file.commit()
        return path
    }

    @Test func sectionsRoundTrip() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-framed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try FramedFile(path: try Self.written(in: dir), format: Self.format)
        #expect(file.version == 3 && !file.isLegacy && file.has("XTRA") && !file.has("NONE"))
        var head = try file.section("HEAD")
        #expect(try head.string() == "hello")
        #expect(try head.strings() == ["a", "bb", ""])
        #expect(try head.integer() as Int64 == -7)
        #expect(head.isAtEnd)
        var parameters = try file.section("PARM")
        #expect(try parameters.floats(6) == [1.5, -2, .pi, 1.5, -2, .pi])
        #expect(throws: LexisError.self) { _ = try parameters.floats(1) }
        #expect { _ = try file.section("NONE") } throws: { "\($0)".contains("no NONE section") }
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["f.bin"])
    }

    @Test(arguments: ["magic", "newer", "flipped", "truncated", "count", "trailing", "legacy"])
    func damageIsANamedError(_ damage: String) throws {
        let dir = try TestSupport.temporaryDirectory("lexis-framed")
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = try FileIO.readAll(try Self.written(in: dir))
        let head = FramedFiles.sections(bytes)[0].payload
        var expected: String
        switch damage {
        case "magic": bytes[1] = 0; expected = "not a Lexis test file"
        case "newer": bytes[8] = 4; expected = "newer"
        case "flipped": bytes[head.lowerBound + 5] ^= 1; expected = "checksum"
        case "truncated": bytes.removeLast(30); expected = "truncated"
        case "count":
            // The string count claims more strings than bytes remain, in a resealed file.
            bytes[head.lowerBound + 9] = 0xFF
            bytes = FramedFiles.resealed(bytes)
            expected = "truncated"
        case "trailing": bytes.append(0); expected = "after the end"
        default: bytes[8] = 1; expected = ""
        }
        let path = try TestSupport.write(bytes: bytes, to: "bad.bin", in: dir)
        if damage == "legacy" {
            // Versions before the framing are the caller's to read.
            #expect(try FramedFile(path: path, format: Self.format).isLegacy)
            return
        }
        #expect {
            let file = try FramedFile(path: path, format: Self.format)
            var head = try file.section("HEAD")
            _ = try head.string()
            _ = try head.strings()
        } throws: { error in
            let text = "\(error)"
            return text.contains("bad.bin") && text.contains(expected)
        }
    }
}
