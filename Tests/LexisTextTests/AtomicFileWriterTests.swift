// Every output goes through AtomicFileWriter: a temporary name, then a rename. A run killed while
// writing leaves its temporary behind; the next successful write of the same path removes it.
import Foundation
import LexisTestSupport
import LexisText
import Testing

@Suite struct AtomicFileWriterTests {
    @Test func aCommitReplacesTheFileAndRemovesTemporariesOfDeadRuns() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.bin").path
        try TestSupport.write("old", to: "out.bin", in: dir)
        // 4194304 is above Linux's largest pid: no process has it. Pid 1 always runs.
        for name in ["out.bin.tmp-4194304", "out.bin.tmp-1", "other.bin.tmp-4194304", "out.bin.tmp-x"] {
            try TestSupport.write("partial", to: name, in: dir)
        }
        let writer = try AtomicFileWriter(path: path)
        try writer.write("new")
        #expect(try FileIO.readAll(path) == Array("old".utf8))   // untouched until the commit
        try writer.commit()
        #expect(try FileIO.readAll(path) == Array("new".utf8))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["other.bin.tmp-4194304", "out.bin", "out.bin.tmp-1", "out.bin.tmp-x"])
    }

    @Test func anAbandonedWriteLeavesTheOldFile() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.write("old", to: "out.txt", in: dir)
        do {
            let writer = try AtomicFileWriter(path: path)
            try writer.write("half")
        }
        #expect(try FileIO.readAll(path) == Array("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.txt"])
        #expect { _ = try AtomicFileWriter(path: dir.path + "/missing/out.txt") } throws: { "\($0)".contains("does the folder exist") }
    }
}
