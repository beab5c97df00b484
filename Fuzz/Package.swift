// swift-tools-version:6.0
// libFuzzer targets for every layer of Tifa, in their own package so that the main package's
// `swift build` and CI never compile them. Built and run by `Fuzz/run.sh` (see Fuzz/README.md).
import Foundation
import PackageDescription

// The main package is the parent folder; SwiftPM names a path dependency after its folder,
// which is `tifa` in one clone and a worktree name in another.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let tifa = root.lastPathComponent

func fuzzTarget(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "Tifa", package: tifa)],
        // The entry point is `<Target>_main` calling LLVMFuzzerRunDriver (SwiftPM links
        // executables with `--defsym main=<Target>_main`).
        swiftSettings: [.unsafeFlags(["-parse-as-library"])],
        // gold fails on the sanitizer runtimes ("internal error in format_file_lineno").
        linkerSettings: [.unsafeFlags(["-use-ld=lld"])]
    )
}

let package = Package(
    name: "TifaFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer", .product(name: "Tifa", package: tifa)]),
        fuzzTarget("FuzzDecode"),
        fuzzTarget("FuzzNormalize"),
        fuzzTarget("FuzzSegment"),
        fuzzTarget("FuzzFormulas"),
        fuzzTarget("FuzzCorpus"),
        fuzzTarget("FuzzDictionaries"),
        fuzzTarget("FuzzAnalyses"),
        fuzzTarget("FuzzModel"),
    ],
    swiftLanguageModes: [.v5]
)
