import Benchmark
import BenchmarkCorpus
import Foundation
import Tifa
import TifaIndex

// Index: a corpus folder → SQLite index (decode, normalize, segment, extract, count, write), the
// whole path `tifa index build` runs, from disk, into a fresh database each iteration; with 1 and
// 2 analysis threads. Reads Benchmarks/corpora/1M/docs when generated, else seeds/.
// "input bytes/s (M)" reads as MB of input text (UTF-8) per second.
let benchmarks: @Sendable () -> Void = {
    let rateMetric = BenchmarkMetric.custom("input bytes/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident, rateMetric],
        maxDuration: .seconds(10),
        maxIterations: 10
    )
    let generated = BenchmarkCorpus.repositoryRoot.appendingPathComponent("Benchmarks/corpora/1M/docs")
    let input: URL
    let utf8Bytes: Int
    if FileManager.default.fileExists(atPath: generated.path) {
        input = generated
        utf8Bytes = BenchmarkCorpus.shared.utf8Bytes
    } else {
        input = BenchmarkCorpus.repositoryRoot.appendingPathComponent("seeds")
        utf8Bytes = ((try? FileManager.default.contentsOfDirectory(atPath: input.path)) ?? [])
            .filter { $0.hasSuffix(".txt") }
            .compactMap { try? FileManager.default.attributesOfItem(atPath: input.appendingPathComponent($0).path)[.size] as? Int }
            .reduce(0, +)
    }
    let database = FileManager.default.temporaryDirectory.appendingPathComponent("tifa-benchmark-\(getpid()).db").path

    for threads in [1, 2] {
        Benchmark("Index build, \(threads) thread\(threads == 1 ? "" : "s") (\(utf8Bytes / 1000) kB)") { benchmark in
            var options = IndexBuildOptions()
            options.mode = .rebuild
            options.threads = threads
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            let rate = try bytesPerSecond(utf8Bytes: utf8Bytes) {
                blackHole(try IndexBuilder.build(inputs: [input.path], database: database, options: options))
            }
            benchmark.measurement(rateMetric, rate)
        }
    }
}
