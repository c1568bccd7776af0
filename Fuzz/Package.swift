// swift-tools-version: 6.0
// Fuzz harnesses for Lexis's file parsers (libFuzzer). A package of its own, so that the root
// package's `swift build` and `swift test` never see the fuzzer flags. Build and run through
// `scripts/fuzz.sh`; RELIABILITY.md ("Fuzzing") has the targets, the flags and the results.
import PackageDescription

// SwiftPM names a path dependency after its folder, which is whatever the clone is called.
let root = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "lexis")

let package = Package(
    name: "LexisFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        // One binary for every parser; LEXIS_FUZZ_TARGET picks the parser (see Harness.swift).
        .executableTarget(name: "lexis-fuzz", dependencies: [.product(name: "Lexis", package: root)]),
    ]
)
