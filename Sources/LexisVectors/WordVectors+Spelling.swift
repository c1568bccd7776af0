// "Did you mean": vocabulary words closest in spelling to an unknown word, for error messages.

extension WordVectors {
    /// Up to `maximumCount` words closest to `word` by edit distance (a swap of neighbouring letters is one edit) (a case-only difference counts
    /// as closest), more frequent (earlier) words first among equals. Only reasonably close words.
    ///
    /// "Reasonably close" is at most `word.count / 3 + 1` edits, and never more than 3. The word
    /// itself is never suggested.
    public func suggestions(for word: String, maximumCount: Int = 3) -> [String] {
        let target = Array(word.lowercased().unicodeScalars)
        guard !target.isEmpty, maximumCount > 0 else { return [] }
        let limit = max(1, min(3, target.count / 3 + 1))
        var found: [(distance: Int, row: Int)] = []
        var previous = [Int](repeating: 0, count: target.count + 1)
        var current = previous, beforePrevious = previous
        for (row, candidateWord) in words.enumerated() {
            let candidate = Array(candidateWord.lowercased().unicodeScalars)
            if abs(candidate.count - target.count) > limit { continue }
            // Edit distance where swapping two neighbouring letters counts as one edit (optimal string
            // alignment), three rows, abandoned once every cell of a row exceeds the limit.
            for j in 0...target.count { previous[j] = j }
            var exceeded = false
            for i in 1...max(candidate.count, 1) where !candidate.isEmpty {
                current[0] = i
                var rowMinimum = i
                for j in 1...target.count {
                    let substitution = previous[j - 1] + (candidate[i - 1] == target[j - 1] ? 0 : 1)
                    current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
                    if i > 1 && j > 1 && candidate[i - 1] == target[j - 2] && candidate[i - 2] == target[j - 1] {
                        current[j] = min(current[j], beforePrevious[j - 2] + 1)
                    }
                    rowMinimum = min(rowMinimum, current[j])
                }
                (beforePrevious, previous, current) = (previous, current, beforePrevious)
                if rowMinimum > limit { exceeded = true; break }
            }
            if exceeded { continue }
            let distance = previous[target.count]
            if distance <= limit && candidateWord != word { found.append((distance, row)) }
        }
        found.sort { ($0.distance, $0.row) < ($1.distance, $1.row) }
        return found.prefix(maximumCount).map { words[$0.row] }
    }
}
