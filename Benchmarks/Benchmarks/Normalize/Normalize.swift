import Benchmark
import BenchmarkCorpus
import Tifa

// Normalize: decoded text → traditional-to-simplified, width folding, web artifacts, whitespace,
// with an offset per character. Input is pre-decoded so that only normalization is timed.
// "input bytes/s" is 1000 × MB of input text (UTF-8) per second.
let benchmarks: @Sendable () -> Void = {
    let corpus = BenchmarkCorpus.shared
    let rateMetric = BenchmarkMetric.custom("input bytes/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .memoryLeaked, .peakMemoryResident, rateMetric],
        maxDuration: .seconds(5),
        maxIterations: 50
    )
    let documents = try! corpus.decodedDocuments()

    func normalizeAll(_ normalizer: Normalizer, _ benchmark: Benchmark) {
        let rate = bytesPerSecond(utf8Bytes: corpus.utf8Bytes) {
            for chunks in documents {
                for chunk in chunks { blackHole(normalizer.normalize(chunk)) }
            }
        }
        benchmark.measurement(rateMetric, rate)
    }

    Benchmark("Normalize all steps") { benchmark in
        normalizeAll(try Normalizer(), benchmark)
    }
    Benchmark("Normalize traditional→simplified only") { benchmark in
        normalizeAll(try Normalizer(options: .init(steps: .traditionalToSimplified)), benchmark)
    }
}
