// swift-tools-version: 6.0
// Lexis: word vectors and recurrent models in Swift.
//
// Targets follow the pipeline and depend one way only:
//   CICU, CBLAS (system libraries)
//   -> LexisText (tokenizer, corpus streaming) -> LexisVocab (vocabulary)
//   -> LexisTensor (tensor core; knows nothing about text)
//   -> LexisVectors (word-vector files and queries) -> LexisWord2Vec (trainer)
//   -> LexisRecurrent (RNN/LSTM language models and classifiers)
//   -> Lexis (umbrella) -> lexis (command-line tool)
import PackageDescription

// Hot loops need AVX2+FMA to vectorize (see TECH-NOTES: the x86-64 baseline turns SIMD FMA into
// library calls). `unsafeFlags` is allowed because Lexis is always the root package when built.
#if arch(x86_64)
let fastMath: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-target-cpu", "haswell"], .when(configuration: .release)),
                                .unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .debug))]
#else
let fastMath: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
#endif

let package = Package(
    name: "Lexis",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Lexis", targets: ["Lexis"]),
        .executable(name: "lexis", targets: ["lexis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1"),
    ],
    targets: [
        .systemLibrary(name: "CICU", pkgConfig: "icu-i18n",
                       providers: [.apt(["libicu-dev"]), .brew(["icu4c"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        .target(name: "CSupport"),
        .target(name: "LexisText", dependencies: ["CICU"], swiftSettings: fastMath),
        .target(name: "LexisRandom", swiftSettings: fastMath),
        .target(name: "LexisVocab", dependencies: ["LexisText", "LexisRandom"], swiftSettings: fastMath),
        .target(name: "LexisTensor", dependencies: ["CBLAS", "LexisRandom", .product(name: "RealModule", package: "swift-numerics")],
                exclude: ["README.md"], swiftSettings: fastMath),
        .target(name: "LexisVectors", dependencies: ["LexisText", "LexisTensor", "CBLAS",
                                                     .product(name: "RealModule", package: "swift-numerics")],
                exclude: ["README.md"], swiftSettings: fastMath),
        .target(name: "LexisWord2Vec", dependencies: ["LexisText", "LexisVocab", "LexisVectors", "CSupport",
                                                      .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: fastMath),
        .target(name: "LexisRecurrent", dependencies: ["LexisText", "LexisVocab", "LexisTensor", "LexisVectors", "CBLAS",
                                                       .product(name: "RealModule", package: "swift-numerics")],
                exclude: ["README.md"], swiftSettings: fastMath),
        .target(name: "Lexis", dependencies: ["LexisText", "LexisRandom", "LexisVocab", "LexisTensor", "LexisVectors",
                                              "LexisWord2Vec", "LexisRecurrent"]),
        .executableTarget(name: "lexis", dependencies: ["Lexis",
                                                        .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: fastMath),

        .executableTarget(name: "lexis-bench", dependencies: ["Lexis"], swiftSettings: fastMath),

        .target(name: "LexisTestSupport", dependencies: ["Lexis"], path: "Tests/LexisTestSupport"),
        .testTarget(name: "LexisTextTests", dependencies: ["LexisText", "LexisTestSupport"]),
        .testTarget(name: "LexisVocabTests", dependencies: ["LexisVocab", "LexisTestSupport"]),
        .testTarget(name: "LexisWord2VecTests", dependencies: ["LexisWord2Vec", "LexisTestSupport"]),
        .testTarget(name: "LexisCLITests", dependencies: ["LexisTestSupport"]),
        .testTarget(name: "LexisVectorsTests", dependencies: ["LexisVectors", "LexisTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "LexisTensorTests", dependencies: ["LexisTensor", "LexisTestSupport"]),
        .testTarget(name: "LexisRecurrentTests", dependencies: ["LexisRecurrent", "LexisTestSupport"]),
        .testTarget(name: "LexisClassifierTests", dependencies: ["LexisRecurrent", "LexisTestSupport"]),
    ]
)
