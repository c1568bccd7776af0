// swift-tools-version: 6.0
// A package that uses Lexis the way any other package does: by URL and version.
//
// LEXIS_PACKAGE_URL overrides the URL: Examples/run.sh points it at a tagged temporary clone of
// the commit under test (CI does this), so the example always builds against this checkout.
import PackageDescription

let lexisURL = Context.environment["LEXIS_PACKAGE_URL"] ?? "https://github.com/YOUR-ORG/lexis"

let package = Package(
    name: "Neighbors",
    dependencies: [
        .package(url: lexisURL, from: "0.1.0"),
    ],
    targets: [
        .executableTarget(name: "Neighbors", dependencies: [.product(name: "Lexis", package: "lexis")]),
    ]
)
