// Neighbours, analogies, similarity and odd-one-out on hand-made vectors with known answers, and
// the BLAS search checked against a naive Double loop.
import LexisTestSupport
@testable import LexisVectors
import LexisText
import Testing

/// Axis 0: royalty, axis 1: gender (+ male), axis 2: fruit.
func toyVectors() throws -> WordVectors {
    let rows: [(String, [Float])] = [
        ("man", [0, 1, 0.1]), ("woman", [0, -1, 0.1]), ("king", [1, 1, 0]), ("queen", [1, -1, 0]),
        ("prince", [0.9, 1.1, 0]), ("apple", [0, 0, 1]), ("pear", [0.1, 0, 1]), ("zero", [0, 0, 0]),
    ]
    return try WordVectors(words: rows.map(\.0), dimension: 3, vectors: rows.flatMap(\.1))
}

/// Deterministic pseudo-random vectors (no Foundation RNG needed).
func randomVectors(count: Int, dimension: Int, seed: UInt64 = 42) throws -> WordVectors {
    var state = seed
    func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 1_000_000
    }
    let values = (0..<count * dimension).map { _ in next() }
    return try WordVectors(words: (0..<count).map { "w\($0)" }, dimension: dimension, vectors: values)
}

func naiveCosines(_ v: WordVectors, query: [Float]) -> [Double] {
    let qn = query.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    return (0..<v.count).map { row in
        let r = v.vector(at: row)
        let dot = zip(r, query).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let rn = r.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        return rn == 0 || qn == 0 ? 0 : dot / (rn * qn)
    }
}

@Suite struct WordVectorsSearchTests {
    @Test func similarityAndDistance() throws {
        let v = try toyVectors()
        #expect(abs(v.similarity(between: "king", and: "queen")! - 0) < 1e-6)
        #expect(abs(v.similarity(between: "man", and: "man")! - 1) < 1e-6)
        let expected = Float(0.1 * 0 + 1 * 1) / (Float(1.01).squareRoot())   // apple . pear / |pear|
        #expect(abs(v.similarity(between: "apple", and: "pear")! - expected) < 1e-6)
        #expect(abs(v.distance(between: "apple", and: "pear")! - (1 - expected)) < 1e-6)
        #expect(v.similarity(between: "apple", and: "banana") == nil)
        #expect(v.similarity(between: "zero", and: "apple") == 0)
    }

    @Test func neighborsOfAWord() throws {
        let v = try toyVectors()
        let found = v.neighbors(for: "king", maximumCount: 3)!
        // queen is orthogonal to king (cos 0); pear leans slightly towards it (cos 0.07).
        #expect(found.map(\.word) == ["prince", "man", "pear"])
        #expect(found.map(\.index) == [4, 0, 6])
        #expect(found[0].similarity > found[1].similarity)
        #expect(v.neighbors(for: "nothing") == nil)
        // restrictTo searches only the first rows.
        #expect(v.neighbors(for: "king", maximumCount: 2, restrictTo: 3)!.map(\.word) == ["man", "woman"])
        // Asking for more than there is returns everything but the word itself.
        #expect(v.neighbors(for: "king", maximumCount: 100)!.count == 7)
        #expect(v.neighbors(for: "king", maximumCount: 0)!.isEmpty)
        #expect(v.neighbors(for: "king", maximumCount: -3)!.isEmpty)
        #expect(v.neighbors(for: "king", maximumCount: Int.max)!.count == 7)
        #expect(v.analogy(a: "man", b: "king", c: "woman", method: .mul, maximumCount: Int.max)!.count == 5)
    }

    @Test func analogies() throws {
        let v = try toyVectors()
        #expect(v.analogy(a: "man", b: "king", c: "woman")!.first?.word == "queen")
        #expect(v.analogy(a: "man", b: "king", c: "woman", method: .mul)!.first?.word == "queen")
        // b - a + c points more towards prince (0.9, 1.1) than king (1, 1); without prince, king.
        #expect(v.analogy(a: "woman", b: "queen", c: "man")!.first?.word == "prince")
        #expect(v.analogy(a: "woman", b: "queen", c: "man", restrictTo: 4)!.map(\.word) == ["king"])
        // Query words never come back.
        let all = v.analogy(a: "man", b: "king", c: "woman", maximumCount: 10)!
        #expect(!all.contains { ["man", "king", "woman"].contains($0.word) })
        #expect(all.count == 5)
        #expect(v.analogy(a: "man", b: "king", c: "duchess") == nil)
    }

    @Test func cosMulMatchesFormula() throws {
        let v = try randomVectors(count: 50, dimension: 6)
        let result = v.analogy(a: "w1", b: "w2", c: "w3", method: .mul, maximumCount: 50)!
        func cos(_ x: String, _ y: String) -> Double {
            let a = v.vector(for: x)!.map(Double.init), b = v.vector(for: y)!.map(Double.init)
            var dot = 0.0, na = 0.0, nb = 0.0
            for i in a.indices {
                dot += a[i] * b[i]
                na += a[i] * a[i]
                nb += b[i] * b[i]
            }
            return dot / (na.squareRoot() * nb.squareRoot())
        }
        var expected: [(String, Double)] = []
        for row in 0..<50 where ![1, 2, 3].contains(row) {
            let x = "w\(row)"
            expected.append((x, (1 + cos(x, "w2")) / 2 * (1 + cos(x, "w3")) / 2 / ((1 + cos(x, "w1")) / 2 + 1e-6)))
        }
        expected.sort { $0.1 > $1.1 }
        #expect(result.count == 47)
        #expect(Array(result.map(\.word).prefix(5)) == Array(expected.map(\.0).prefix(5)))
        for (got, want) in zip(result, expected) {
            #expect(abs(Double(got.similarity) - want.1) < 1e-4)
        }
    }

    @Test(arguments: [64 << 20, 0])
    func batchAnalogiesMatchSingleOnes(scoreCellLimit: Int) throws {
        // Both strategies: per-word score vectors (default) and one query per question (limit 0).
        let v = try randomVectors(count: 500, dimension: 10, seed: 5)
        let questions = (0..<60).map { i in (a: (i * 7) % 500, b: (i * 13 + 1) % 500, c: (i * 31 + 2) % 500) }
        let batch = v.analogies(questions, maximumCount: 6, restrictTo: 400, scoreCellLimit: scoreCellLimit)
        for (q, answers) in zip(questions, batch) {
            let single = v.analogy(a: "w\(q.a)", b: "w\(q.b)", c: "w\(q.c)", maximumCount: 6, restrictTo: 400)!
            #expect(answers.map(\.index) == single.map(\.index))
            for (x, y) in zip(answers, single) { #expect(abs(x.similarity - y.similarity) < 1e-5) }
        }
        #expect(v.analogies([], restrictTo: 400).isEmpty)
    }

    @Test func doesntMatch() throws {
        let v = try toyVectors()
        #expect(v.doesntMatch(["man", "king", "prince", "apple"]) == "apple")
        // man and woman cancel out in the mean, so woman is farthest from it.
        #expect(v.doesntMatch(["man", "woman", "king", "apple"]) == "woman")
        #expect(v.doesntMatch(["apple", "pear", "queen"]) == "queen")
        #expect(v.doesntMatch(["apple"]) == nil)
        #expect(v.doesntMatch(["apple", "kiwi"]) == nil)
    }

    @Test func arithmeticQuery() throws {
        let v = try toyVectors()
        let query = v.combination(adding: ["king", "woman"], subtracting: ["man"])!
        #expect(abs(query.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
        let found = v.neighbors(for: query, maximumCount: 1, excluding: [0, 1, 2])
        #expect(found.first?.word == "queen")
        #expect(v.combination(adding: ["king"], subtracting: ["unicorn"]) == nil)
    }

    @Test(arguments: [3, 7, 64])
    func searchMatchesNaiveLoop(dimension: Int) throws {
        let v = try randomVectors(count: 300, dimension: dimension, seed: UInt64(dimension))
        for queryRow in [0, 17, 299] {
            let query = v.vector(at: queryRow)
            let cosines = naiveCosines(v, query: query)
            let order = cosines.indices.filter { $0 != queryRow }.sorted { cosines[$0] > cosines[$1] }
            let found = v.neighbors(for: "w\(queryRow)", maximumCount: 10)!
            #expect(found.map(\.index) == Array(order.prefix(10)))
            for neighbor in found { #expect(abs(Double(neighbor.similarity) - cosines[neighbor.index]) < 1e-5) }
            // Restricted search: the same ordering over the first 100 rows.
            let restricted = v.neighbors(for: "w\(queryRow)", maximumCount: 5, restrictTo: 100)!
            #expect(restricted.map(\.index) == Array(order.filter { $0 < 100 }.prefix(5)))
        }
    }

    @Test func halfPrecisionFirstPassStaysExact() throws {
        // 25,000 rows is above the size where single queries use the Float16 first pass.
        let v = try randomVectors(count: 25_000, dimension: 12, seed: 9)
        for queryRow in [3, 12_345, 24_999] {
            let cosines = naiveCosines(v, query: v.vector(at: queryRow))
            let order = cosines.indices.filter { $0 != queryRow }.sorted { cosines[$0] > cosines[$1] }
            let found = v.neighbors(for: "w\(queryRow)", maximumCount: 25)!
            #expect(found.map(\.index) == Array(order.prefix(25)))
            for neighbor in found { #expect(abs(Double(neighbor.similarity) - cosines[neighbor.index]) < 1e-6) }
        }
        // Exclusions and restriction through the same path.
        let query = v.normalizedVector(for: "w5")!
        let excluded: Set<Int> = [5, 6, 7]
        let found = v.neighbors(for: query, maximumCount: 5, restrictTo: 22_000, excluding: excluded)
        let cosines = naiveCosines(v, query: query)
        let order = (0..<22_000).filter { !excluded.contains($0) }.sorted { cosines[$0] > cosines[$1] }
        #expect(found.map(\.index) == Array(order.prefix(5)))
        #expect(v.neighbors(for: "w1", maximumCount: Int.max)!.count == 24_999)
    }

    @Test func batchSearchMatchesSingleQueries() throws {
        let v = try randomVectors(count: 400, dimension: 16)
        var queries: [Float] = []
        for row in 0..<37 { queries += v.normalizedVector(for: "w\(row * 10)")! }
        let many = v.neighbors(forMany: queries, maximumCount: 8, restrictTo: 350,
                               excluding: (0..<37).map { [$0 * 10] })
        #expect(many.count == 37)
        for row in 0..<37 {
            let single = v.neighbors(for: "w\(row * 10)", maximumCount: 8, restrictTo: 350)!
            #expect(many[row].map(\.index) == single.map(\.index))
        }
    }

    @Test func queriesFollowTheRecordedTokenizer() throws {
        let folded = try WordVectors(words: ["king", "strasse"], dimension: 1, vectors: [1, 2],
                                     tokenizer: TokenizerOptions(nfkc: true))
        #expect(folded.vocabularyForm(of: "king") == "king")
        #expect(folded.vocabularyForm(of: "King") == "king")
        #expect(folded.vocabularyForm(of: "STRASSE") == "strasse")
        #expect(folded.vocabularyForm(of: "Queen") == nil)
        #expect(folded.vocabularyForm(of: "king queen") == nil)   // two tokens are not one word
        // Without recorded settings (word2vec files) only the exact word counts.
        let plain = try WordVectors(words: ["king"], dimension: 1, vectors: [1])
        #expect(plain.vocabularyForm(of: "King") == nil)
    }

    @Test func spellingSuggestions() throws {
        let v = try WordVectors(words: ["the", "king", "sign", "kin", "queen", "King", "paris"], dimension: 1,
                                vectors: [1, 2, 3, 4, 5, 6, 7])
        // One swap away: king, sign, kin and King (case differences count); earlier rows first.
        #expect(v.suggestions(for: "kign") == ["king", "sign", "kin"])
        #expect(v.suggestions(for: "kign", maximumCount: 5) == ["king", "sign", "kin", "King"])
        #expect(v.suggestions(for: "Paris") == ["paris"])
        #expect(v.suggestions(for: "queeen", maximumCount: 1) == ["queen"])
        #expect(v.suggestions(for: "xylophone").isEmpty)
        #expect(v.suggestions(for: "").isEmpty)
    }

    @Test func pcaFindsTheMainAxes() {
        // Points spread along x (variance 4) and y (variance 1), none along z.
        let rows: [[Float]] = [[2, 0, 5], [-2, 0, 5], [0, 1, 5], [0, -1, 5]]
        let projected = PCA.project(rows)
        #expect(projected.count == 4)
        #expect(abs(abs(projected[0][0]) - 2) < 1e-9 && abs(projected[0][1]) < 1e-9)
        #expect(abs(abs(projected[2][1]) - 1) < 1e-9 && abs(projected[2][0]) < 1e-9)
    }

    @Test func plotIsAnSVGWithEveryLabel() throws {
        let v = try toyVectors()
        let map = WordMap(vectors: v, words: ["king", "queen", "apple", "<&>"], neighbors: 1)
        // "<&>" is unknown and left out; each chosen word brings one new neighbour.
        #expect(map.points.map(\.word) == ["king", "queen", "apple", "prince", "woman", "pear"])
        let svg = map.svg
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        for word in map.points.map(\.word) { #expect(svg.contains(">\(word)</text>")) }
        #expect(WordMap(points: [.init(word: "a<b", x: 0, y: 0)], title: "t&t").svg.contains("a&lt;b"))
    }
}
