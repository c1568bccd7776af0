// Helpers shared by the test targets: running the built `lexis` binary and temporary files.
// The other files of this target hold the test-only numeric code: `Reference` (naive Double
// kernels), `GradientCheck` (finite differences) and the models' Double reference forwards.
import Foundation

public enum TestSupport {
    /// The repository root (found from this file's path).
    public static let repositoryRoot: URL = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }()

    /// The `lexis` executable built next to the test bundle.
    public static var lexisBinary: URL {
        // The test bundle lives in .build/<triple>/debug; `lexis` is built beside it.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("lexis")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        for config in ["debug", "release"] {
            let candidate = repositoryRoot.appendingPathComponent(".build/\(config)/lexis")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/lexis")
    }

    public struct RunResult: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs `lexis` with arguments and optional stdin; waits for it to finish.
    public static func runLexis(_ arguments: [String], stdin: String? = nil,
                                currentDirectory: URL? = nil, environment: [String: String] = [:]) throws -> RunResult {
        let process = Process()
        process.executableURL = lexisBinary
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // Read both pipes concurrently so a chatty child never blocks on a full pipe.
        nonisolated(unsafe) var outData = Data(), errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return RunResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory, removed when the process ends is not guaranteed: tests clean up.
    public static func temporaryDirectory(_ name: String = "lexis-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes text to a file in `directory` and returns its path.
    @discardableResult
    public static func write(_ text: String, to name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    public static func write(bytes: [UInt8], to name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}

extension TestSupport {
    /// `write` for tests that cannot recover from a failed write anyway.
    @discardableResult
    public static func writeOrFail(_ text: String, to name: String, in directory: URL) -> String {
        do { return try write(text, to: name, in: directory) } catch { fatalError("cannot write test file: \(error)") }
    }
}
