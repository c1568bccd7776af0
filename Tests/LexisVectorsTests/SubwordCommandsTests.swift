// The commands on subword models, run as the built `lexis` binary: unknown words answered from
// their n-grams and said so, evaluation with --oov-from-subwords, `lexis vectors words|sentence`,
// conversion to a fastText model, and training with --minn.
import Foundation
import LexisTestSupport
import LexisText
import LexisVectors
import Testing

@Suite(.serialized) struct SubwordCommandsTests {
    let model = fastTextFixtures + "/tiny.bin"

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func queriesSayWhenAVectorComesFromSubwords() throws {
        let known = try TestSupport.runLexis(["neighbors", model, "cat", "-k", "2"])
        #expect(known.status == 0, "\(known.stderr)")
        #expect(!known.stdout.contains("subwords") && known.stdout.split(separator: "\n").count == 2)
        let built = try TestSupport.runLexis(["neighbors", model, "catz", "-k", "2"])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stdout.hasPrefix("# catz (from subwords: catz)\n"))
        let neighbors = try TestSupport.runLexis(["neighbors", model, "catz", "-k", "2", "--json"])
        let parsed = try json(neighbors.stdout) as! [[String: Any]]
        #expect(parsed[0]["from_subwords"] as! Bool == true)
        let vectors = try WordVectors.load(path: model)
        let expected = vectors.neighbors(for: "catz", maximumCount: 2)!.map(\.word)
        #expect((parsed[0]["neighbors"] as! [[String: Any]]).map { $0["word"] as! String } == expected)

        let similarity = try TestSupport.runLexis(["similarity", model, "cat", "catz"])
        #expect(similarity.status == 0)
        #expect(similarity.stdout.hasSuffix("\t(from subwords: catz)\n"))
        let value = Float(similarity.stdout.split(separator: "\t")[0])!
        #expect(abs(value - vectors.similarity(between: "cat", and: "catz")!) < 1e-6)
        let analogy = try TestSupport.runLexis(["analogy", model, "dog", "dogs", "catz", "-k", "1", "--json"])
        #expect(analogy.status == 0)
        #expect((try json(analogy.stdout) as! [String: Any])["from_subwords"] as! [String] == ["catz"])
        let odd = try TestSupport.runLexis(["doesnt-match", model, "cat", "dogz", "北京"])
        #expect(odd.status == 0 && odd.stdout.contains("(from subwords: dogz)"))
        // The REPL too.
        let repl = try TestSupport.runLexis(["neighbors", model, "-k", "1"], stdin: "catz - dog + cats\n\n")
        #expect(repl.status == 0 && repl.stdout.hasPrefix("# catz - dog + cats (from subwords: catz)\n"), "\(repl.stdout)")
        // "</s>" outside a vocabulary has no n-grams: still an error, saying so.
        let plain = try TestSupport.runLexis(["similarity", fixtures + "/eval-vectors.txt", "w01", "nonword"])
        #expect(plain.status == 1 && plain.stderr.contains("unknown word 'nonword'"))
    }

    @Test func evalAnswersUnknownWordsOnRequest() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let questions = try TestSupport.write(": s\ncat cats dog dogs\ncat catz dog dogz\nsat on catz mat\n", to: "q.txt", in: dir)
        let pairs = try TestSupport.write("cat\tdog\t5\nsat\tmat\t3\ncat\tcatz\t8\n", to: "p.tsv", in: dir)
        let inVocabulary = try json(TestSupport.runLexis(["eval", "analogy", model, questions, "--json"]).stdout) as! [String: Any]
        #expect(inVocabulary["answered"] as! Int == 1 && inVocabulary["skipped"] as! Int == 2)
        let all = try json(TestSupport.runLexis(["eval", "analogy", model, questions, "--json", "--oov-from-subwords"]).stdout) as! [String: Any]
        #expect(all["answered"] as! Int == 3 && all["skipped"] as! Int == 0)
        let vectors = try WordVectors.load(path: model)
        let library = try vectors.evaluateAnalogies(path: questions, unknownFromSubwords: true)
        #expect(library.correct == all["correct"] as! Int)
        let similarity = try json(TestSupport.runLexis(["eval", "similarity", model, pairs, "--json", "--oov-from-subwords"]).stdout) as! [String: Any]
        #expect(similarity["pairs"] as! Int == 3 && similarity["oov"] as! Int == 0)
        let without = try json(TestSupport.runLexis(["eval", "similarity", model, pairs, "--json"]).stdout) as! [String: Any]
        #expect(without["pairs"] as! Int == 2 && without["oov"] as! Int == 1)
        // Plain vectors have no n-grams to answer from.
        let refused = try TestSupport.runLexis(["eval", "similarity", fixtures + "/eval-vectors.txt", pairs, "--oov-from-subwords"])
        #expect(refused.status == 1 && refused.stderr.contains("needs a subword model"))
    }

    @Test func wordAndSentenceVectors() throws {
        let vectors = try WordVectors.load(path: model)
        let words = try TestSupport.runLexis(["vectors", "words", model], stdin: "cat catz\n</s>\n")
        #expect(words.status == 0, "\(words.stderr)")
        let lines = words.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        for (line, word) in zip(lines, ["cat", "catz", "</s>"]) {
            let fields = line.split(separator: " ")
            #expect(fields[0] == word && fields.count == 9)
            #expect(fields.dropFirst().map { Float($0)! } == vectors.vector(for: word)!, "\(word)")
        }
        let sentence = try TestSupport.runLexis(["vectors", "sentence", model], stdin: "the cat sat\n\nqq catz\n")
        #expect(sentence.status == 0)
        let rows = sentence.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0.split(separator: " ").map { Float($0)! } }
        #expect(rows.count == 3 && rows.allSatisfy { $0.count == 8 })
        // The mean of unit vectors, as fastText's print-sentence-vectors.
        var mean = [Float](repeating: 0, count: 8)
        for word in ["the", "cat", "sat"] {
            let v = vectors.vector(for: word)!
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for j in 0..<8 { mean[j] += v[j] / norm }
        }
        for j in 0..<8 { #expect(abs(rows[0][j] - mean[j] / 3) < 1e-6) }
        #expect(rows[1] == [Float](repeating: 0, count: 8))
        #expect(rows[2] == vectors.sentenceVector(for: "qq catz").values)
    }

    @Test func convertToFastTextAndTrainWithSubwords() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("copy.bin").path
        let convert = try TestSupport.runLexis(["convert", model, copy, "--to", "fasttext", "--quiet"])
        #expect(convert.status == 0, "\(convert.stderr)")
        #expect(try WordVectors.load(path: copy).vector(for: "catz") == (try WordVectors.load(path: model)).vector(for: "catz"))
        let plain = try TestSupport.runLexis(["convert", fixtures + "/eval-vectors.txt", dir.appendingPathComponent("p.bin").path, "--to", "fasttext"])
        #expect(plain.status == 1 && plain.stderr.contains("only subword vectors"))

        var text = ""
        for i in 0..<300 { text += "the walker walks and walked while talkers talk and talked \(i % 7)\n" }
        let corpus = try TestSupport.write(text, to: "c.txt", in: dir)
        let out = dir.appendingPathComponent("v.lexis").path
        let train = try TestSupport.runLexis(["train", corpus, "-o", out, "--minn", "3", "--maxn", "5", "--buckets", "1000",
                                              "--dim", "16", "--epochs", "2", "--min-count", "1", "--threads", "1"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("n-grams 3-5 in 1000 buckets"))
        let trained = try WordVectors.load(path: out)
        #expect(trained.subwords?.hashing == (try SubwordHashing(minn: 3, maxn: 5, buckets: 1000)))
        #expect(trained.lookup("walking")?.isFromSubwords == true)
        let binary = dir.appendingPathComponent("v.bin").path
        let words = try TestSupport.runLexis(["train", corpus, "-o", binary, "--minn", "3", "--buckets", "1000", "--dim", "8",
                                              "--epochs", "1", "--min-count", "1", "--threads", "1"])
        #expect(words.status == 0 && words.stderr.contains("holds the words' vectors only"))
        let bad = try TestSupport.runLexis(["train", corpus, "-o", out, "--minn", "4", "--maxn", "3"])
        #expect(bad.status == 64 && bad.stderr.contains("--maxn"))
    }
}
