import Foundation
import Testing
import Lexis
import LexisTestSupport

/// Inputs that once trapped a parser under the fuzzer (scripts/fuzz.sh, RELIABILITY.md). Each is
/// kept in Tests/Fixtures/fuzz/TARGET/ exactly as the loader read it (for framed files: with the
/// checksum the harness rewrote) and must now be refused with a LexisError.
@Suite struct FuzzRegressionTests {
    static let root = TestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/fuzz")

    /// The parser for each fuzz target's folder, as Fuzz/Sources/lexis-fuzz/Harness.swift calls it.
    static let parsers: [String: @Sendable (String) throws(LexisError) -> Void] = [
        "w2v-bin": { path throws(LexisError) in _ = try WordVectors.load(path: path, format: .binary) },
        "w2v-text": { path throws(LexisError) in _ = try WordVectors.load(path: path, format: .text) },
        "glove": { path throws(LexisError) in _ = try WordVectors.load(path: path, format: .text) },
        "lexis-vec": { path throws(LexisError) in _ = try WordVectors.load(path: path, format: .lexis) },
        "vocab": { path throws(LexisError) in _ = try Vocabulary.load(path: path) },
        "lm": { path throws(LexisError) in _ = try RecurrentLanguageModel.load(path: path) },
        "classifier": { path throws(LexisError) in _ = try ClassifierEnsemble.load(path: path) },
        "w2v-checkpoint": { path throws(LexisError) in _ = try Word2VecTrainer.resume(from: path) },
        "lm-state": { path throws(LexisError) in _ = try TrainerStateFile.load(path: path) },
        "tsv": { path throws(LexisError) in _ = try LabeledText.read(path: path, tokenizer: TokenizerOptions()) },
        "phrases": { path throws(LexisError) in _ = try PhraseTable.load(path: path) },
        "dictionary": { path throws(LexisError) in _ = try UserDictionary.load(path: path) },
    ]

    static var fixtures: [String] {
        let fm = FileManager.default
        let targets = (try? fm.contentsOfDirectory(atPath: root.path)) ?? []
        return targets.sorted().flatMap { target in
            ((try? fm.contentsOfDirectory(atPath: root.appendingPathComponent(target).path)) ?? []).sorted()
                .map { "\(target)/\($0)" }
        }
    }

    @Test func everyFixtureHasAParser() {
        #expect(!Self.fixtures.isEmpty)
        for fixture in Self.fixtures {
            #expect(Self.parsers[String(fixture.split(separator: "/")[0])] != nil, "no parser for \(fixture)")
        }
    }

    @Test(arguments: fixtures)
    func crashInputIsRefused(fixture: String) {
        guard let parse = Self.parsers[String(fixture.split(separator: "/")[0])] else { return }
        #expect(throws: LexisError.self) { try parse(Self.root.appendingPathComponent(fixture).path) }
    }
}
