// Correlation with human similarity judgements (WordSim-353 and the like), with gensim's
// `evaluate_word_pairs` conventions: tab-separated `word1 word2 score` lines, `#` comments,
// case-insensitive over the first `restrictTo` words, pairs with an unknown word skipped and
// counted; Spearman is the Pearson correlation of average ranks (scipy's spearmanr).
import LexisText

/// Correlation with human similarity judgements (WordSim-353, SimLex-999 and the like), from
/// ``WordVectors/evaluateSimilarity(path:restrictTo:)``.
public struct SimilarityEvaluation: Sendable {
    /// Spearman's rank correlation between the gold scores and the cosines (ties get average ranks,
    /// as scipy's `spearmanr`); NaN when either side is constant.
    public let spearman: Double
    /// Pearson's correlation between the gold scores and the cosines; NaN when either side is
    /// constant.
    public let pearson: Double
    /// Pairs used.
    public let pairs: Int
    /// Pairs skipped because a word is unknown.
    public let oov: Int
    /// Skipped pairs as a percentage of all pairs (gensim's oov_ratio).
    public var oovRatio: Double { pairs + oov == 0 ? 0 : Double(oov) / Double(pairs + oov) * 100 }
}

extension WordVectors {
    /// Correlates cosine similarities with the human scores of a word-pair file.
    ///
    /// Follows gensim's `evaluate_word_pairs`: lines are `word1<TAB>word2<TAB>score`, `#` lines are
    /// comments, other lines are ignored; words are compared case-insensitively among the first
    /// `restrict` words, and pairs with an unknown word are skipped and counted in
    /// ``SimilarityEvaluation/oov``.
    ///
    /// - Parameters:
    ///   - path: The pair file.
    ///   - restrict: How many of the first (most frequent) words to use; at least 1.
    ///   - unknownFromSubwords: For a subword model, score a pair with a word outside the first
    ///     `restrict` words too, with the vector ``queryVector(for:)`` gives it (its row or its
    ///     n-grams), as fastText's evaluation does. Ignored without subwords.
    /// - Throws: `LexisError/invalidArgument(_:)` when `restrict` is less than 1,
    ///   `LexisError/cannotRead(path:reason:)`, or `LexisError/malformed(path:line:problem:fix:)`
    ///   when fewer than two pairs can be scored.
    public func evaluateSimilarity(path: String, restrictTo restrict: Int = 300_000,
                                   unknownFromSubwords: Bool = false) throws(LexisError) -> SimilarityEvaluation {
        guard restrict > 0 else { throw .invalidArgument("--restrict must be at least 1, got \(restrict)") }
        let text = try FileIO.readText(path)
        let known = caseInsensitiveIndex(restrictTo: restrict)
        let n = normalized
        var gold: [Double] = [], model: [Double] = []
        var oov = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let score = Double(fields[2].trimmingSpaces()) else { continue }
            guard let a = known[fields[0].uppercased()], let b = known[fields[1].uppercased()] else {
                if unknownFromSubwords && hasSubwords {
                    let pair = fields[0..<2].map { word in
                        known[word.uppercased()].map { WordVector(word: words[$0], row: $0, values: vector(at: $0)) }
                            ?? queryVector(for: String(word))
                    }
                    if let first = pair[0], let second = pair[1] {
                        gold.append(score)
                        model.append(Double(similarity(first, second)))
                        continue
                    }
                }
                oov += 1
                continue
            }
            gold.append(score)
            model.append(Double(dot(n + a * dimension, n + b * dimension, dimension)))
        }
        guard gold.count >= 2 else {
            throw .malformed(path: path, line: nil,
                             problem: gold.isEmpty && oov == 0 ? "no 'word1<TAB>word2<TAB>score' lines found"
                                 : "only \(gold.count) pairs have both words in the vectors (\(oov) skipped)",
                             fix: "Give a tab-separated pairs file (like wordsim353.tsv) whose words the vectors know")
        }
        return SimilarityEvaluation(spearman: pearsonCorrelation(averageRanks(gold), averageRanks(model)),
                                    pearson: pearsonCorrelation(gold, model), pairs: gold.count, oov: oov)
    }
}

// MARK: - Statistics

/// Ranks 1...n, ties sharing their average rank (scipy.stats.rankdata's default).
func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
        let rank = Double(i + j) / 2 + 1
        for k in i...j { ranks[order[k]] = rank }
        i = j + 1
    }
    return ranks
}

func pearsonCorrelation(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for (a, b) in zip(x, y) {
        sxy += (a - mx) * (b - my)
        sxx += (a - mx) * (a - mx)
        syy += (b - my) * (b - my)
    }
    guard sxx > 0, syy > 0 else { return .nan }
    return sxy / (sxx * syy).squareRoot()
}
