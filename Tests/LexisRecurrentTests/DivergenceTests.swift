// Training that diverges stops at once with a message naming where and what to try, exits 1 from
// the CLI, and writes nothing from the diverged state: the files of the last good epoch stay.
import Foundation
import LexisRecurrent
import LexisTestSupport
import LexisText
import LexisVocab
import Testing

@Suite struct DivergenceTests {
    @Test func languageModelStopsInTheFirstEpochFromTheCLI() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-diverge")
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try TestSupport.write(tinyCorpus(lines: 200), to: "train.txt", in: dir)
        let model = dir.appendingPathComponent("m.lexis").path
        let r = try TestSupport.runLexis(["lm", "train", "--train", train, "--valid", train, "--lr", "1e6", "--clip", "0",
                                          "--epochs", "3", "--hidden", "12", "--layers", "1", "--batch", "4", "--bptt", "5",
                                          "--eval-batch", "2", "--threads", "1", "-o", model])
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("training diverged in epoch 1"), "\(r.stderr)")
        #expect(r.stderr.contains("--lr") && r.stderr.contains("--clip"), "\(r.stderr)")
        #expect(!r.stdout.contains("epoch 1 "), "no epoch line for a diverged epoch: \(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: model) && !FileManager.default.fileExists(atPath: model + ".checkpoint"))
    }

    @Test func theLastGoodEpochsFilesStay() throws {
        let dir = try TestSupport.temporaryDirectory("lexis-diverge")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try TestSupport.write(tinyCorpus(lines: 40), to: "train.txt", in: dir)
        let vocabulary = try RecurrentLanguageModel.buildVocabulary(path: path, tokenizer: .pretokenized)
        let ids = try vocabulary.encode(path: path)
        let model = try RecurrentLanguageModel(config: LanguageModelConfig(cell: .lstm, layers: 1, hidden: 8,
                                                                            vocabularySize: vocabulary.count),
                                               vocabulary: vocabulary)
        model.initialize(seed: 1)
        var options = LMTrainingOptions()
        options.batch = 2; options.steps = 5; options.evalBatch = 2; options.epochs = 1; options.clip = 0
        let output = dir.appendingPathComponent("m.lexis").path, checkpoint = output + ".checkpoint"
        try LMTrainer(model: model, options: options, train: ids, valid: ids).run(outputPath: output, checkpointPath: checkpoint)
        let saved = try [output, checkpoint].map { try FileIO.readAll($0) }
        // Epoch 2 at an absurd rate: the loss turns NaN within a few batches.
        options.epochs = 2; options.learningRate = 1e7
        #expect {
            try LMTrainer(model: model, options: options, train: ids, valid: ids).run(outputPath: output, checkpointPath: checkpoint)
        } throws: { error in
            guard case let LexisError.diverged(message) = error else { return false }
            return message.contains("epoch 2")
        }
        #expect(try [output, checkpoint].map { try FileIO.readAll($0) } == saved)
        #expect(try RecurrentLanguageModel.load(path: output).training.epoch == 1)
    }
}
