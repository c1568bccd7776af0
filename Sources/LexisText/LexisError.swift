// Errors that reach users. Every case names the file (and line where there is one) and says
// what to do, so the CLI can print `error: <description>` on one line and exit 1.

/// The error every Lexis API throws.
///
/// Each case names the file (and line, where known) and says what to do, so that
/// ``description`` can be shown to a user as a one-line message.
public enum LexisError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file or directory could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// A file could not be written.
    case cannotWrite(path: String, reason: String)
    /// A file's contents are not what was expected. `line` is 1-based where known.
    case malformed(path: String, line: Int?, problem: String, fix: String)
    /// A setting or an argument combination that cannot work.
    case invalidArgument(String)
    /// Training or building found nothing to work with.
    case emptyVocabulary(String)
    /// Training diverged (a loss or weight became NaN or infinite); the message names where and
    /// what to try. Nothing was written from the diverged state.
    case diverged(String)

    /// A one-line message for users, such as `cannot read 'a.txt': No such file or directory`.
    public var description: String {
        switch self {
        case let .cannotRead(path, reason):
            return "cannot read '\(path)': \(reason)"
        case let .cannotWrite(path, reason):
            return "cannot write '\(path)': \(reason)"
        case let .malformed(path, line, problem, fix):
            let place = line.map { "\(path):\($0)" } ?? path
            return "\(place): \(problem). \(fix)"
        case let .invalidArgument(message):
            return message
        case let .emptyVocabulary(message):
            return message
        case let .diverged(message):
            return message
        }
    }
}
