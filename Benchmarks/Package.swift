// swift-tools-version:6.1
import PackageDescription

// Throughput and allocation benchmarks for each Tifa layer (ordo-one/benchmark).
// A separate package so that `swift test` on the main package never builds or runs them.
// Run: swift package --package-path Benchmarks benchmark
let package = Package(
    name: "TifaBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Tifa", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(name: "BenchmarkCorpus", dependencies: [.product(name: "Tifa", package: "Tifa")], path: "Sources/BenchmarkCorpus"),
        .executableTarget(
            name: "Decode",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Tifa", package: "Tifa"),
                "BenchmarkCorpus",
            ],
            path: "Benchmarks/Decode",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Normalize",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Tifa", package: "Tifa"),
                "BenchmarkCorpus",
            ],
            path: "Benchmarks/Normalize",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Extract",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Tifa", package: "Tifa"),
                "BenchmarkCorpus",
            ],
            path: "Benchmarks/Extract",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Segment",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Tifa", package: "Tifa"),
                "BenchmarkCorpus",
            ],
            path: "Benchmarks/Segment",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Index",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Tifa", package: "Tifa"),
                .product(name: "TifaIndex", package: "Tifa"),
                "BenchmarkCorpus",
            ],
            path: "Benchmarks/Index",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
