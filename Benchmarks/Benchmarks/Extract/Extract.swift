import Benchmark
import BenchmarkCorpus
import Tifa

// Extract: normalized text → occurrences of the shipped lexicon's policy formulas, with offsets.
// Input is pre-decoded and pre-normalized so that only matching is timed; a second benchmark
// times normalize + match, what `tifa extract` does per chunk after decoding.
// "input bytes/s (M)" reads as MB of input text (UTF-8) per second.
let benchmarks: @Sendable () -> Void = {
    let corpus = BenchmarkCorpus.shared
    let rateMetric = BenchmarkMetric.custom("input bytes/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .memoryLeaked, .peakMemoryResident, rateMetric],
        maxDuration: .seconds(5),
        maxIterations: 50
    )
    let documents = try! corpus.decodedDocuments()
    let normalizer = try! Normalizer()
    let matcher = try! FormulaMatcher(lexicon: PolicyLexicon.shipped(), normalizer: normalizer)
    let normalized = documents.map { chunks in chunks.map { normalizer.normalize($0) } }

    Benchmark("Extract formulas (match only)") { benchmark in
        var found = 0
        let rate = bytesPerSecond(utf8Bytes: corpus.utf8Bytes) {
            for texts in normalized {
                for text in texts { found += matcher.matches(in: text).count }
            }
        }
        blackHole(found)
        benchmark.measurement(rateMetric, rate)
    }

    Benchmark("Extract formulas (normalize + match)") { benchmark in
        var found = 0
        let rate = bytesPerSecond(utf8Bytes: corpus.utf8Bytes) {
            for chunks in documents {
                for chunk in chunks { found += matcher.matches(in: normalizer.normalize(chunk)).count }
            }
        }
        blackHole(found)
        benchmark.measurement(rateMetric, rate)
    }
}
