// `lexis eval analogy|similarity`: the standard intrinsic evaluations, with gensim's conventions.
import ArgumentParser
import Lexis

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval",
        abstract: "Evaluate word vectors on analogy questions or similarity judgements.",
        subcommands: [EvalAnalogyCommand.self, EvalSimilarityCommand.self])
}

struct EvalAnalogyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analogy",
        abstract: "Accuracy on analogy questions (questions-words.txt format), per section and in total.",
        discussion: """
            Same conventions as gensim's evaluate_word_analogies: case-insensitive; only the first \
            --restrict words of the file count; questions with a word outside them are skipped and \
            reported as lost coverage; answers by 3CosAdd, never one of the three question words.
            """)

    @OptionGroup var source: VectorsOptions
    @Argument(help: "Questions file: ': section' lines, then 'a b c d' lines.") var questions: String
    @Option(name: .long, help: "Use only the first N words of the vectors file (most frequent first).") var restrict: Int = 30_000
    @Flag(name: .long, help: "Subword models: answer every question, giving words outside the first --restrict their subword vector (as fastText's evaluation does); an expected word outside them counts as wrong.")
    var oovFromSubwords = false
    @Flag(name: .long, help: "Print JSON: {accuracy, correct, answered, questions, skipped, coverage, sections: [...]}.")
    var json = false

    func validate() throws {
        guard restrict >= 1 else { throw ValidationError("--restrict must be at least 1, got \(restrict)") }
    }

    func run() throws {
        let vectors = try source.load()
        let started = monotonicSeconds()
        try checkSubwords(oovFromSubwords, vectors, source.vectors)
        let result = try vectors.evaluateAnalogies(path: questions, restrictTo: restrict, unknownFromSubwords: oovFromSubwords)
        let seconds = monotonicSeconds() - started
        if json {
            let sections: [JSON] = result.sections.map {
                .object([("section", .string($0.name)), ("accuracy", .number($0.accuracy)), ("correct", .integer($0.correct)),
                         ("answered", .integer($0.answered))])
            }
            print(JSON.object([("accuracy", .number(result.accuracy)), ("correct", .integer(result.correct)),
                               ("answered", .integer(result.answered)), ("questions", .integer(result.questions)),
                               ("skipped", .integer(result.skipped)), ("coverage", .number(result.coverage)),
                               ("restrict", .integer(restrict)), ("seconds", .number(seconds)),
                               ("sections", .array(sections))]).text)
            return
        }
        let width = max(20, result.sections.map(\.name.count).max() ?? 0)
        func row(_ name: String, _ correct: Int, _ answered: Int, _ accuracy: Double) -> String {
            name.rightPadded(width)
                + "  " + (formatFixed(accuracy * 100, 1) + "%").leftPadded(6) + "  (\(correct)/\(answered))"
        }
        for section in result.sections { print(row(section.name, section.correct, section.answered, section.accuracy)) }
        print(row("total", result.correct, result.answered, result.accuracy))
        print("coverage: \(result.questions - result.skipped) of \(result.questions) questions (\(formatFixed(result.coverage * 100, 1))%), "
              + "restrict \(restrict), \(formatFixed(seconds, 2))s")
    }
}

struct EvalSimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "similarity",
        abstract: "Spearman and Pearson correlation with human similarity scores (wordsim353.tsv format).",
        discussion: """
            Same conventions as gensim's evaluate_word_pairs: tab-separated 'word1 word2 score' \
            lines, '#' comments, case-insensitive over the first --restrict words; pairs with an \
            unknown word are skipped and counted.
            """)

    @OptionGroup var source: VectorsOptions
    @Argument(help: "Pairs file: 'word1<TAB>word2<TAB>score' lines.") var pairs: String
    @Option(name: .long, help: "Use only the first N words of the vectors file.") var restrict: Int = 300_000
    @Flag(name: .long, help: "Subword models: score every pair, giving unknown words their subword vector (as fastText's evaluation does).")
    var oovFromSubwords = false
    @Flag(name: .long, help: "Print JSON: {spearman, pearson, pairs, oov, oov_ratio}.") var json = false

    func validate() throws {
        guard restrict >= 1 else { throw ValidationError("--restrict must be at least 1, got \(restrict)") }
    }

    func run() throws {
        let vectors = try source.load()
        try checkSubwords(oovFromSubwords, vectors, source.vectors)
        let result = try vectors.evaluateSimilarity(path: pairs, restrictTo: restrict, unknownFromSubwords: oovFromSubwords)
        if json {
            print(JSON.object([("spearman", .number(result.spearman)), ("pearson", .number(result.pearson)),
                               ("pairs", .integer(result.pairs)), ("oov", .integer(result.oov)),
                               ("oov_ratio", .number(result.oovRatio))]).text)
        } else {
            print("spearman \(formatFixed(result.spearman, 4))  pearson \(formatFixed(result.pearson, 4))  "
                  + "pairs \(result.pairs)  skipped (out of vocabulary) \(result.oov) (\(formatFixed(result.oovRatio, 1))%)")
        }
    }
}

/// --oov-from-subwords needs vectors with n-grams.
func checkSubwords(_ requested: Bool, _ vectors: WordVectors, _ path: String) throws {
    if requested && !vectors.hasSubwords {
        throw LexisError.invalidArgument("--oov-from-subwords needs a subword model, and \(path) has no n-grams "
            + "(train with --minn 3 --maxn 6 and save as .lexis, or load a fastText .bin)")
    }
}

extension String {
    func rightPadded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
