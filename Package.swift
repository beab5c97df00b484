// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Tifa",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Tifa", targets: ["Tifa"]),
        .library(name: "TifaIndex", targets: ["TifaIndex"]),
        .executable(name: "tifa", targets: ["tifa"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The only code that includes <unicode/…>. Its public header uses plain C types and
        // opaque handles, because ICU's real symbols are version-suffixed macros Swift cannot
        // call and ICU headers clash with Foundation's bundled copy.
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n"), .linkedLibrary("icudata")]
        ),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        // SHA-256's block function with the CPU's SHA instructions (checked at run time).
        .target(name: "CSHA256"),
        .target(name: "Tifa", dependencies: ["CICU", "CSHA256"]),
        .target(name: "TifaIndex", dependencies: ["Tifa", "CSQLite"]),
        .executableTarget(
            name: "tifa",
            dependencies: ["Tifa", "TifaIndex", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Paths, the `tifa` runner and golden files, shared by the test targets.
        .target(name: "TifaTestSupport", path: "Tests/TifaTestSupport"),
        .testTarget(name: "TifaTests", dependencies: ["Tifa", "TifaTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TifaIndexTests", dependencies: ["TifaIndex", "TifaTestSupport"]),
        .testTarget(name: "tifaCLITests", dependencies: ["tifa", "TifaTestSupport"]),
    ],
    cxxLanguageStandard: .cxx17
)
