// Progress lines on stderr for long work. On a terminal one line is redrawn in place; otherwise
// (a log file, CI) a line is printed every few seconds. `--quiet` silences everything.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lexis

/// Writes text to stderr unbuffered (file descriptor 2; avoids the global `stderr` FILE*).
func writeStderr(_ text: String) {
    var text = text
    text.withUTF8 { utf8 in
        var offset = 0
        while offset < utf8.count {
            let n = write(2, utf8.baseAddress! + offset, utf8.count - offset)
            if n <= 0 { break }
            offset += n
        }
    }
}

/// Writes a line to stderr (used for progress, warnings and summaries).
func printError(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    writeStderr(line)
}

final class ProgressLine: @unchecked Sendable {  // updated from one thread at a time in practice
    let quiet: Bool
    private let isTerminal = isatty(2) != 0
    private let started = monotonicSeconds()
    private var lastDraw = -1.0
    private var drewInPlace = false

    init(quiet: Bool) { self.quiet = quiet }

    var elapsed: Double { monotonicSeconds() - started }

    /// The warning every command gives for input it repaired (the readers count, never fail).
    func warnInvalidBytes(_ count: Int, in path: String? = nil) {
        if count > 0 { finish("warning: \(path.map { "\($0): " } ?? "")replaced \(count) invalid UTF-8 byte(s) with U+FFFD") }
    }

    /// Shows `text` if enough time passed since the last update (0.25 s on a terminal, 5 s otherwise).
    func update(_ text: @autoclosure () -> String) {
        if quiet { return }
        let now = monotonicSeconds()
        if now - started < 1 { return }  // short jobs show only their summary
        let interval = isTerminal ? 0.25 : 5.0
        if lastDraw >= 0 && now - lastDraw < interval { return }
        lastDraw = now
        if isTerminal {
            writeStderr("\r\u{1B}[K" + text())
            drewInPlace = true
        } else {
            writeStderr(text() + "\n")
        }
    }

    /// Erases the progress line drawn in place, if any, so that stdout can print under it; writes
    /// nothing to a log file.
    func clear() {
        if quiet || !drewInPlace { return }
        writeStderr("\r\u{1B}[K")
        drewInPlace = false
    }

    /// Ends the progress display with a final summary line.
    func finish(_ text: String) {
        if quiet { return }
        if drewInPlace { writeStderr("\r\u{1B}[K") }
        writeStderr(text + "\n")
    }

    /// "12.3 MB of 100.0 MB (12%), 45.6 MB/s, ETA 2s"
    static func bytesLine(done: Int, total: Int?, seconds: Double) -> String {
        let rate = seconds > 0 ? Double(done) / seconds / 1e6 : 0
        var text = "\(formatMB(done))"
        if let total, total > 0 {
            let fraction = Double(done) / Double(total)
            text += " of \(formatMB(total)) (\(Int(fraction * 100))%)"
            if rate > 0 {
                text += ", \(formatFixed(rate, 1)) MB/s, ETA \(formatDuration(Double(total - done) / 1e6 / rate))"
            }
        } else {
            text += ", \(formatFixed(rate, 1)) MB/s"
        }
        return text
    }
}

func formatMB(_ bytes: Int) -> String { formatFixed(Double(bytes) / 1e6, 1) + " MB" }

func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "?" }
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m\(s % 60)s" }
    return "\(s / 3600)h\((s % 3600) / 60)m"
}

/// "1.2M", "345k", "999"
func formatCount(_ value: Double) -> String {
    if value >= 1e6 { return formatFixed(value / 1e6, 2) + "M" }
    if value >= 1e3 { return formatFixed(value / 1e3, 0) + "k" }
    return formatFixed(value, 0)
}
