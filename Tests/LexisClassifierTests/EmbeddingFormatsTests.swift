// Every word-vector format works in every --embeddings: `lm train` and `classify train` both load
// through WordVectors.load (word2vec text and binary, fastText .vec, GloVe without a header, .lexis).
import Foundation
import LexisTestSupport
import Testing

@Suite(.serialized) struct EmbeddingFormatsTests {
    /// Four 8-dimensional vectors in every format; the binary and .lexis files are written by
    /// `lexis convert` from the text file.
    static func vectorFiles(in dir: URL) throws -> [String: String] {
        let rows = ["the", "cat", "great", "awful"].enumerated().map { k, word in
            word + (0..<8).map { " \(Double(k * 8 + $0) * 0.01 - 0.1)" }.joined()
        }
        var files = [
            "word2vec text": try TestSupport.write("4 8\n" + rows.joined(separator: "\n") + "\n", to: "v.txt", in: dir),
            "GloVe": try TestSupport.write(rows.joined(separator: "\n") + "\n", to: "glove.txt", in: dir),
        ]
        for (name, file) in [("fastText .vec", "v.vec"), ("word2vec binary", "v.bin"), (".lexis", "v.lexis")] {
            let path = dir.appendingPathComponent(file).path
            let r = try TestSupport.runLexis(["convert", files["word2vec text"]!, path, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            files[name] = path
        }
        return files
    }

    @Test func languageModelsAndClassifiersReadEveryFormat() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-embeddings")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try TestSupport.write(String(repeating: "the cat sat on the mat\n", count: 20), to: "lm.txt", in: dir)
        let tsv = try TestSupport.write(separableData(count: 40, seed: 1) + "pos\tgreat\nneg\tawful\n", to: "train.tsv", in: dir)
        let files = try Self.vectorFiles(in: dir)
        #expect(files.count == 5)
        for (format, vectors) in files.sorted(by: { $0.key < $1.key }) {
            let lm = try TestSupport.runLexis(["lm", "train", "--train", text, "--epochs", "1", "--embeddings", vectors,
                                               "--hidden", "6", "--layers", "1", "--batch", "2", "--bptt", "5",
                                               "--eval-batch", "2", "--threads", "1", "-o", dir.appendingPathComponent("lm.lexis").path])
            #expect(lm.status == 0, "\(format): \(lm.stderr)")
            #expect(lm.stderr.contains("embeddings: 2 of") && lm.stderr.contains("embedding 8"), "\(format): \(lm.stderr)")
            let cl = try TestSupport.runLexis(["classify", "train", "--train", tsv, "--embeddings", vectors, "--epochs", "1",
                                               "--ensemble", "1", "--hidden", "4", "--threads", "1",
                                               "-o", dir.appendingPathComponent("c.lexis").path])
            #expect(cl.status == 0, "\(format): \(cl.stderr)")
            #expect(cl.stderr.contains("embeddings: 4 words from"), "\(format): \(cl.stderr)")
        }
    }
}
