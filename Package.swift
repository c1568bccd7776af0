// swift-tools-version: 6.0
// Lexis: word vectors and recurrent models in Swift.
//
// Targets follow the pipeline and depend one way only (in parentheses: what each one imports):
//   C: CICU (ICU wrappers over the system library CICUSystem), CBLAS (system OpenBLAS),
//      CKernels (hot kernels, one build per instruction set)
//   LexisRandom (the seeded generator)
//   LexisText (tokenizer, corpus streaming, byte-keyed table, file framing, threads; CICU)
//   LexisVocab (vocabulary; LexisText, LexisRandom)
//   LexisPhrases (phrase detection; LexisText; the tokenizer joins the phrases it finds)
//   LexisTensor (tensor core, knows nothing about text; CBLAS, CKernels, LexisRandom)
//   LexisVectors (word-vector files and queries; LexisText, CBLAS, CKernels)
//   LexisWord2Vec (trainer; LexisText, LexisVocab, LexisVectors, CKernels)
//   LexisRecurrent (RNN/LSTM language models and classifiers; LexisText, LexisVocab, LexisTensor, LexisVectors, CKernels)
//   Lexis (umbrella, re-exports all) -> lexis (command-line tool), lexis-bench
//   LexisTestSupport (test-only helpers, reference kernels and forwards; Lexis, CKernels) -> the test targets
import PackageDescription

let package = Package(
    name: "Lexis",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Lexis", targets: ["Lexis"]),
        .executable(name: "lexis", targets: ["lexis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // ICU: the system library gives pkg-config's flags; CICU wraps it behind a header that
        // declares no ICU type (ICU's enums clash with the ICU inside Foundation on Linux).
        .systemLibrary(name: "CICUSystem", pkgConfig: "icu-i18n",
                       providers: [.apt(["libicu-dev"]), .brew(["icu4c"])]),
        .target(name: "CICU", dependencies: ["CICUSystem"], exclude: ["README.md"]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        // Hot kernels in C, compiled per instruction set and chosen at start-up (no unsafe flags:
        // Lexis must build as a dependency by version).
        .target(name: "CKernels", exclude: ["README.md"]),
        .target(name: "LexisText", dependencies: ["CICU"], exclude: ["README.md"]),
        .target(name: "LexisRandom", exclude: ["README.md"]),
        .target(name: "LexisVocab", dependencies: ["LexisText", "LexisRandom"], exclude: ["README.md"]),
        .target(name: "LexisPhrases", dependencies: ["LexisText"], exclude: ["README.md"]),
        .target(name: "LexisTensor", dependencies: ["CBLAS", "CKernels", "LexisRandom"],
                exclude: ["README.md"]),
        .target(name: "LexisVectors", dependencies: ["LexisText", "CBLAS", "CKernels"],
                exclude: ["README.md"]),
        .target(name: "LexisWord2Vec", dependencies: ["LexisText", "LexisVocab", "LexisVectors", "CKernels"],
                exclude: ["README.md"]),
        .target(name: "LexisRecurrent", dependencies: ["LexisText", "LexisVocab", "LexisTensor", "LexisVectors", "CKernels"],
                exclude: ["README.md"]),
        .target(name: "Lexis", dependencies: ["LexisText", "LexisRandom", "LexisVocab", "LexisPhrases", "LexisTensor", "LexisVectors",
                                              "LexisWord2Vec", "LexisRecurrent"], exclude: ["README.md"]),
        .executableTarget(name: "lexis", dependencies: ["Lexis",
                                                        .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        .executableTarget(name: "lexis-bench", dependencies: ["Lexis"]),

        .target(name: "LexisTestSupport", dependencies: ["Lexis", "CKernels"], path: "Tests/LexisTestSupport"),
        .testTarget(name: "LexisTextTests", dependencies: ["LexisText", "LexisTestSupport"]),
        .testTarget(name: "LexisVocabTests", dependencies: ["LexisVocab", "LexisTestSupport"]),
        .testTarget(name: "LexisPhrasesTests", dependencies: ["LexisPhrases", "LexisText", "LexisTestSupport"]),
        .testTarget(name: "LexisWord2VecTests", dependencies: ["LexisWord2Vec", "CKernels", "LexisTestSupport"]),
        .testTarget(name: "LexisCLITests", dependencies: ["LexisTestSupport"]),
        .testTarget(name: "LexisVectorsTests", dependencies: ["LexisVectors", "LexisTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "LexisTensorTests", dependencies: ["LexisTensor", "CKernels", "LexisTestSupport"]),
        .testTarget(name: "LexisRecurrentTests", dependencies: ["LexisRecurrent", "LexisVocab", "LexisTestSupport"]),
        .testTarget(name: "LexisClassifierTests", dependencies: ["LexisRecurrent", "LexisVocab", "LexisVectors", "LexisTestSupport"]),
    ]
)

// API documentation: `LEXIS_DOCS=1 swift package generate-documentation --target Lexis`. Added only
// on request, so that packages depending on Lexis never fetch the plugin.
if Context.environment["LEXIS_DOCS"] == "1" {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}
