// `lexis neighbors`: nearest words by cosine; with no words, one query per line from stdin
// (like word2vec.c's `distance`), where a query is a word, several words (summed) or `a - b + c`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Lexis

struct NeighborsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "neighbors",
        abstract: "Show the nearest words by cosine similarity.",
        discussion: """
            With no WORD, reads one query per line from stdin: a word, several words (their vectors \
            are added), or arithmetic such as 'paris - france + italy'. A prompt is shown only when \
            stdin is a terminal. An empty line or EOF ends.
            """)

    @OptionGroup var source: VectorsOptions
    @Argument(help: "Words to query; none reads queries from stdin.") var words: [String] = []
    @Option(name: .short, help: "How many neighbours to show.") var k: Int = 10
    @Option(name: .long, help: "Search only the first N words of the file (the most frequent in trained vectors); 0 searches all.")
    var restrict: Int = 0
    @Flag(name: .long, help: "Print JSON: an array of {query, neighbors: [{word, similarity}]} (one object per line in stdin mode).")
    var json = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("-k must be at least 1, got \(k)") }
        guard restrict >= 0 else { throw ValidationError("--restrict must be 0 (all) or more, got \(restrict)") }
    }

    func run() throws {
        let vectors = try source.load()
        if source.timing {
            // Normalizing the rows happens once, before the first search; time it apart from the queries.
            let started = monotonicSeconds()
            vectors.withUnsafeNormalizedMatrix { _ in }
            printError("normalized the rows in \(formatFixed((monotonicSeconds() - started) * 1000, 2)) ms")
        }
        let started = monotonicSeconds()
        var queries = 0
        defer {
            if source.timing && queries > 0 {
                let ms = (monotonicSeconds() - started) * 1000
                printError("\(queries) queries in \(formatFixed(ms, 2)) ms (\(formatFixed(ms / Double(queries), 3)) ms per query, output included)")
            }
        }
        if words.isEmpty {
            queries = interactive(vectors)
            return
        }
        let known = try resolveQueries(words, in: vectors, path: source.vectors)
        queries = words.count
        var results: [JSON] = []
        for (word, query) in zip(words, known) {
            let found = vectors.neighbors(of: query, maximumCount: k, restrictTo: restrict)
            if json {
                results.append(.object([("query", .string(word)), ("from_subwords", .bool(query.isFromSubwords)),
                                        ("neighbors", neighborsJSON(found))]))
            } else {
                printTable(query: word, found, multiple: words.count > 1, note: subwordNote([query]))
            }
        }
        if json { print(JSON.array(results).text) }
    }

    /// A "# query" line before the table when there are several queries or a note to give.
    private func printTable(query: String, _ found: [Neighbor], multiple: Bool, note: String) {
        if multiple || !note.isEmpty { print("# \(query)" + (note.isEmpty ? "" : " " + note)) }
        for neighbor in found { print("\(neighbor.word)\t\(formatSimilarity(neighbor.similarity))") }
    }

    /// Answers queries until an empty line or EOF; returns how many were answered.
    private func interactive(_ vectors: WordVectors) -> Int {
        let prompt = isatty(0) != 0
        var answered = 0
        while true {
            if prompt {
                print("query (word, or a - b + c; empty line ends)> ", terminator: "")
                fflush(nil)
            }
            guard let line = readLine() else { break }
            let trimmed = line.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if trimmed.isEmpty { break }
            switch QueryExpression.parse(trimmed) {
            case .failure(let message):
                printError("error: \(message)")
            case .success(let query):
                let positive: [WordVector], negative: [WordVector]
                do {
                    positive = try resolveQueries(query.positive, in: vectors, path: source.vectors)
                    negative = try resolveQueries(query.negative, in: vectors, path: source.vectors)
                } catch {
                    printError("error: \(error)")
                    continue
                }
                let vector = vectors.combination(adding: positive, subtracting: negative)
                let excluded = Set((positive + negative).compactMap(\.row))
                let found = vectors.neighbors(for: vector, maximumCount: k, restrictTo: restrict, excluding: excluded)
                answered += 1
                if json {
                    print(JSON.object([("query", .string(trimmed)), ("from_subwords", subwordJSON(positive + negative)),
                                       ("neighbors", neighborsJSON(found))]).text)
                } else {
                    printTable(query: trimmed, found, multiple: true, note: subwordNote(positive + negative))
                }
            }
            fflush(nil)
        }
        return answered
    }
}

/// `paris - france + italy`: words with + or - between them; words side by side are added.
struct QueryExpression: Equatable {
    var positive: [String] = []
    var negative: [String] = []

    static func parse(_ text: String) -> Result<QueryExpression, QueryError> {
        var query = QueryExpression()
        var sign = 1
        var expectingWord = true
        for token in text.split(separator: " ").map(String.init) {
            if token == "+" || token == "-" {
                guard expectingWord == false || (query.positive.isEmpty && query.negative.isEmpty && token == "-") else {
                    return .failure(QueryError("'\(token)' must stand between two words in '\(text)'"))
                }
                sign = token == "-" ? -1 : 1
                expectingWord = true
                continue
            }
            if sign > 0 { query.positive.append(token) } else { query.negative.append(token) }
            sign = 1
            expectingWord = false
        }
        if expectingWord { return .failure(QueryError("'\(text)' ends with an operator; give a word after it")) }
        if query.positive.isEmpty { return .failure(QueryError("'\(text)' needs at least one added word")) }
        return .success(query)
    }
}

struct QueryError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
