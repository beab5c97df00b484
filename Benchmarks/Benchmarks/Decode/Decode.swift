import Benchmark
import BenchmarkCorpus
import Tifa

// Decode: bytes in UTF-8/GB18030/Big5/UTF-16 (detected) → Unicode text chunks.
// Each iteration decodes the whole benchmark corpus (~1 MB of text); "input bytes/s" is
// 1000 × MB of decoded UTF-8 text per second.
let benchmarks: @Sendable () -> Void = {
    let corpus = BenchmarkCorpus.shared
    let rateMetric = BenchmarkMetric.custom("input bytes/s", polarity: .prefersLarger, useScalingFactor: false)
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .memoryLeaked, .peakMemoryResident, rateMetric],
        maxDuration: .seconds(5),
        maxIterations: 50
    )

    Benchmark("Decode detected encodings (\(corpus.documents.count) docs, \(corpus.utf8Bytes / 1000) kB)") { benchmark in
        let rate = try bytesPerSecond(utf8Bytes: corpus.utf8Bytes) {
            for document in corpus.documents {
                let decoder = TextDecoder(source: MemoryByteSource(document.bytes), name: document.name)
                while let chunk = try decoder.nextChunk() { blackHole(chunk) }
            }
        }
        benchmark.measurement(rateMetric, rate)
    }

    // The same, one encoding at a time, to show which decoder path costs what.
    for encoding in Set(corpus.documents.map(\.encoding)).sorted() {
        let documents = corpus.documents.filter { $0.encoding == encoding }
        let utf8Bytes = documents.reduce(0) { $0 + $1.utf8Bytes }
        Benchmark("Decode \(encoding) only (\(documents.count) docs, \(utf8Bytes / 1000) kB)") { benchmark in
            let rate = try bytesPerSecond(utf8Bytes: utf8Bytes) {
                for document in documents {
                    let decoder = TextDecoder(source: MemoryByteSource(document.bytes), name: document.name)
                    while let chunk = try decoder.nextChunk() { blackHole(chunk) }
                }
            }
            benchmark.measurement(rateMetric, rate)
        }
    }

    // Legacy encodings with the encoding given (--encoding), to separate detection from conversion.
    for (name, encoding) in [("gb18030", TextEncoding.gb18030), ("big5", TextEncoding.big5)] {
        let documents = corpus.documents.filter { $0.encoding == name }
        guard !documents.isEmpty else { continue }
        let utf8Bytes = documents.reduce(0) { $0 + $1.utf8Bytes }
        Benchmark("Decode \(name) only, encoding given (\(documents.count) docs, \(utf8Bytes / 1000) kB)") { benchmark in
            let rate = try bytesPerSecond(utf8Bytes: utf8Bytes) {
                for document in documents {
                    let decoder = TextDecoder(source: MemoryByteSource(document.bytes), name: document.name,
                                              options: DecodingOptions(encoding: encoding))
                    while let chunk = try decoder.nextChunk() { blackHole(chunk) }
                }
            }
            benchmark.measurement(rateMetric, rate)
        }
    }
}
