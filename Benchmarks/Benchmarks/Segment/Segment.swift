import Benchmark
import BenchmarkCorpus
import Tifa

// Segment: normalized text → tokens with offsets. Input is pre-decoded and pre-normalized so
// that only segmentation is timed; ICU alone is measured beside it for comparison.
// "input bytes/s (M)" reads as MB of input text (UTF-8) per second.
let benchmarks: @Sendable () -> Void = {
    let corpus = BenchmarkCorpus.shared
    let rateMetric = BenchmarkMetric.custom("input bytes/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .memoryLeaked, .peakMemoryResident, rateMetric],
        maxDuration: .seconds(5),
        maxIterations: 50
    )
    let normalizer = try! Normalizer()
    let normalized = try! corpus.decodedDocuments().map { chunks in chunks.map { normalizer.normalize($0) } }

    func segmentAll(_ segmenter: Segmenter, _ benchmark: Benchmark) {
        var tokens = 0
        let rate = bytesPerSecond(utf8Bytes: corpus.utf8Bytes) {
            for texts in normalized {
                for text in texts { segmenter.forEachToken(in: text) { _ in tokens += 1 } }
            }
        }
        blackHole(tokens)
        benchmark.measurement(rateMetric, rate)
    }

    let standard = try! Segmenter()
    Benchmark("Segment (standard: lexicon, numbers, formulas)") { benchmark in
        segmentAll(standard, benchmark)
    }
    var icuOptions = Segmenter.Options()
    icuOptions.mode = .icuOnly
    let icuOnly = try! Segmenter(options: icuOptions)
    Benchmark("Segment with ICU's word break alone") { benchmark in
        segmentAll(icuOnly, benchmark)
    }
}
