// Accuracy on an analogy question file (Mikolov et al.'s questions-words.txt), with gensim's
// `evaluate_word_analogies` conventions so the numbers can be compared:
// - only the first `restrictTo` words count (trained vectors are in frequency order);
// - case-insensitive: words are compared uppercased, the first (most frequent) case variant wins;
// - a question with a word outside those is skipped (it lowers coverage, not accuracy);
// - the answer is the best 3CosAdd word among the top 5 that is not one of the three question words.
import LexisText

/// Accuracy on an analogy question file such as Mikolov et al.'s `questions-words.txt`, from
/// ``WordVectors/evaluateAnalogies(path:restrictTo:)``.
public struct AnalogyEvaluation: Sendable {
    /// The results of one `: section` of the file.
    public struct Section: Sendable {
        /// The section name, without the leading `: `.
        public let name: String
        /// Questions answered correctly.
        public let correct: Int
        /// Questions answered wrongly.
        public let incorrect: Int
        /// Correct answers / questions answered; 0 when none could be answered (gensim reports 0 too).
        public var accuracy: Double { correct + incorrect == 0 ? 0 : Double(correct) / Double(correct + incorrect) }
        /// Questions answered (not skipped).
        public var answered: Int { correct + incorrect }
    }

    /// Per-section results, in file order.
    public let sections: [Section]
    /// Well-formed questions in the file.
    public let questions: Int
    /// Questions skipped because a word is not among the first `restrictTo` words.
    public let skipped: Int

    /// Questions answered correctly, over all sections.
    public var correct: Int { sections.reduce(0) { $0 + $1.correct } }
    /// Questions answered, over all sections.
    public var answered: Int { sections.reduce(0) { $0 + $1.answered } }
    /// Total accuracy over answered questions, a fraction between 0 and 1.
    public var accuracy: Double { answered == 0 ? 0 : Double(correct) / Double(answered) }
    /// The fraction of questions answered (not skipped).
    public var coverage: Double { questions == 0 ? 0 : Double(questions - skipped) / Double(questions) }
}

/// One parsed question, with rows (into the full vectors) for its words.
private struct Question {
    var section: Int
    var words: [String]    // uppercased a, b, c, expected
    var rows: [Int]        // a, b, c
}

/// A question with a word outside the first `restrict` words, answered from subword vectors.
private struct SubwordQuestion {
    var section: Int
    var words: [String]          // uppercased a, b, c, expected
    var queries: [WordVector]    // a, b, c
}

extension WordVectors {
    /// Uppercased word -> row of its first case variant among the first `restrict` words.
    func caseInsensitiveIndex(restrictTo restrict: Int) -> [String: Int] {
        var map: [String: Int] = [:]
        let n = searchRows(restrict)
        map.reserveCapacity(n)
        for row in 0..<n {
            let key = words[row].uppercased()
            if map[key] == nil { map[key] = row }
        }
        return map
    }

    /// Evaluates analogy questions from a file: `: section` lines, then `a b c expected` lines.
    ///
    /// Follows gensim's `evaluate_word_analogies`, so the numbers compare: only the first `restrict`
    /// words count; words are compared case-insensitively (the first case variant wins); a question
    /// with a word outside those is skipped; the answer is the best 3CosAdd word among the top 5 that
    /// is not a question word. Lines that are not four words are ignored.
    ///
    /// - Parameters:
    ///   - path: The question file.
    ///   - restrict: How many of the first (most frequent) words to use; at least 1.
    ///   - unknownFromSubwords: For a subword model, answer every question instead of skipping
    ///     those with a word outside the first `restrict` words, as fastText's evaluation does: such
    ///     a question word gets its vector from ``queryVector(for:)`` (its row, or its n-grams), and
    ///     an expected word outside them counts as a wrong answer. Ignored without subwords.
    /// - Throws: `LexisError/invalidArgument(_:)` when `restrict` is less than 1,
    ///   `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   when a question comes before any section line or the file has no questions.
    public func evaluateAnalogies(path: String, restrictTo restrict: Int = 30_000,
                                  unknownFromSubwords: Bool = false) throws(LexisError) -> AnalogyEvaluation {
        guard restrict > 0 else { throw .invalidArgument("--restrict must be at least 1, got \(restrict)") }
        let text = try FileIO.readText(path)
        let known = caseInsensitiveIndex(restrictTo: restrict)
        var sectionNames: [String] = []
        var questions: [Question] = []
        var subwordQuestions: [SubwordQuestion] = []
        let fromSubwords = unknownFromSubwords && hasSubwords
        var total = 0, skipped = 0
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.hasPrefix(": ") {
                sectionNames.append(line.drop(while: { $0 == ":" || $0 == " " }).trimmingSpaces())
                continue
            }
            let typed = line.split(whereSeparator: \.isWhitespace).map(String.init)
            let fields = typed.map { $0.uppercased() }
            guard fields.count == 4 else { continue }   // gensim skips malformed lines
            guard !sectionNames.isEmpty else {
                throw .malformed(path: path, line: lineNumber, problem: "a question comes before any ': section' line",
                                 fix: "Start the file with a section header such as ': capital-common-countries'")
            }
            total += 1
            guard let a = known[fields[0]], let b = known[fields[1]], let c = known[fields[2]], known[fields[3]] != nil else {
                if fromSubwords {
                    let queries = (0..<3).map { k in known[fields[k]].map { WordVector(word: words[$0], row: $0, values: vector(at: $0)) }
                        ?? queryVector(for: typed[k]) }
                    if queries.allSatisfy({ $0 != nil }) {
                        subwordQuestions.append(SubwordQuestion(section: sectionNames.count - 1, words: fields, queries: queries.map { $0! }))
                        continue
                    }
                }
                skipped += 1
                continue
            }
            questions.append(Question(section: sectionNames.count - 1, words: fields, rows: [a, b, c]))
        }
        guard total > 0 else {
            throw .malformed(path: path, line: nil, problem: "no analogy questions found",
                             fix: "Questions are lines of four words after ': section' lines (like questions-words.txt)")
        }

        let answers = analogies(questions.map { ($0.rows[0], $0.rows[1], $0.rows[2]) }, maximumCount: 5, restrictTo: restrict)

        var correct = [Int](repeating: 0, count: sectionNames.count)
        var incorrect = correct
        func score(_ section: Int, _ questionWords: [String], _ candidates: [Neighbor]) {
            let ignore = Set(questionWords[0..<3])
            var predicted: String? = nil
            for candidate in candidates {
                predicted = candidate.word.uppercased()
                if !ignore.contains(predicted!) { break }
            }
            if predicted == questionWords[3] { correct[section] += 1 } else { incorrect[section] += 1 }
        }
        for (question, candidates) in zip(questions, answers) { score(question.section, question.words, candidates) }
        for question in subwordQuestions {
            let q = question.queries
            score(question.section, question.words, analogy(a: q[0], b: q[1], c: q[2], maximumCount: 5, restrictTo: restrict))
        }
        let sections = sectionNames.indices.map {
            AnalogyEvaluation.Section(name: sectionNames[$0], correct: correct[$0], incorrect: incorrect[$0])
        }
        return AnalogyEvaluation(sections: sections, questions: total, skipped: skipped)
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self[...]
        while let first = s.first, first.isWhitespace { s = s.dropFirst() }
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
