// Shared pieces of the word-vector commands: the vectors argument, loading with a clear error,
// unknown-word messages with spelling suggestions, and a small JSON writer.
import ArgumentParser
import Lexis

extension VectorFormat: ExpressibleByArgument {}
extension AnalogyMethod: ExpressibleByArgument {}

struct VectorsOptions: ParsableArguments {
    @Argument(help: "Word-vector file: word2vec binary or text, fastText .vec or model .bin, GloVe text or .lexis.")
    var vectors: String

    @Option(name: .long, help: "Read the vectors as this format (bin, text, lexis or fasttext) instead of detecting it from the file.")
    var format: VectorFormat?

    @Flag(name: .long, help: "Print how long loading (and searching) took on stderr.")
    var timing = false

    func load() throws -> WordVectors {
        let started = monotonicSeconds()
        let loaded = try WordVectors.load(path: vectors, format: format)
        if timing {
            let ngrams = loaded.subwords.map { " and \($0.hashing.buckets) n-gram buckets (\($0.hashing.minn)-\($0.hashing.maxn) characters)" } ?? ""
            printError("loaded \(loaded.count) x \(loaded.dimension) vectors\(ngrams) from \(vectors) in \(formatFixed((monotonicSeconds() - started) * 1000, 2)) ms")
        }
        return loaded
    }
}

/// "unknown word 'kign' (not among the 67873 words of v.bin); closest in spelling: king, sign, kin"
func unknownWordMessage(_ word: String, in vectors: WordVectors, path: String) -> String {
    var text = "unknown word '\(word)' (not among the \(vectors.count) words of \(path)"
        + (vectors.hasSubwords ? ", and it has no character n-gram)" : ")")
    let close = vectors.suggestions(for: word)
    if !close.isEmpty { text += "; closest in spelling: " + close.joined(separator: ", ") }
    return text
}

/// The vocabulary forms of query words (see `WordVectors.vocabularyForm(of:)`); throws a
/// one-line error naming every unknown word.
func resolveWords(_ words: [String], in vectors: WordVectors, path: String) throws -> [String] {
    let forms = words.map { vectors.vocabularyForm(of: $0) }
    let unknown = zip(words, forms).filter { $0.1 == nil }.map(\.0)
    guard unknown.isEmpty else {
        throw LexisError.invalidArgument(unknown.map { unknownWordMessage($0, in: vectors, path: path) }.joined(separator: "; "))
    }
    return forms.map { $0! }
}

/// The query vectors of words as typed (`WordVectors.queryVector(for:)`: the vocabulary, or the
/// n-grams of a subword model); throws a one-line error naming every word that has neither.
func resolveQueries(_ words: [String], in vectors: WordVectors, path: String) throws -> [WordVector] {
    let found = words.map { vectors.queryVector(for: $0) }
    let unknown = zip(words, found).filter { $0.1 == nil }.map(\.0)
    guard unknown.isEmpty else {
        throw LexisError.invalidArgument(unknown.map { unknownWordMessage($0, in: vectors, path: path) }.joined(separator: "; "))
    }
    return found.map { $0! }
}

/// "(from subwords: unbelievably, ...)" for the queries built from n-grams; empty when none was.
func subwordNote(_ queries: [WordVector]) -> String {
    let built = queries.filter(\.isFromSubwords).map(\.word)
    return built.isEmpty ? "" : "(from subwords: " + built.joined(separator: ", ") + ")"
}

/// The JSON list of query words whose vectors came from subwords.
func subwordJSON(_ queries: [WordVector]) -> JSON { .array(queries.filter(\.isFromSubwords).map { .string($0.word) }) }

func formatSimilarity(_ value: Float) -> String { formatFixed(Double(value), 6) }

// MARK: - JSON

/// Just enough JSON for the commands' `--json` output; always valid (strings escaped, non-finite numbers as null).
indirect enum JSON {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])

    static func float(_ value: Float) -> JSON { .number(Double(value)) }

    var text: String {
        switch self {
        case .string(let s): return JSON.quote(s)
        case .number(let x): return x.isFinite ? "\(x)" : "null"
        case .integer(let n): return "\(n)"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "[" + items.map(\.text).joined(separator: ", ") + "]"
        case .object(let pairs): return "{" + pairs.map { JSON.quote($0.0) + ": " + $0.1.text }.joined(separator: ", ") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

func neighborsJSON(_ neighbors: [Neighbor]) -> JSON {
    .array(neighbors.map { .object([("word", .string($0.word)), ("similarity", .float($0.similarity))]) })
}
