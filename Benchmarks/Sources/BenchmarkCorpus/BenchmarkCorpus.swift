import Foundation
import Tifa

/// The real text every layer benchmark reads, and how to report its throughput.
///
/// Source, in order of preference:
/// 1. `Benchmarks/corpora/1M/docs` — the generated 1 MB corpus (`corpusgen.py`, built by `run.sh`):
///    real report text remixed, simplified and traditional, UTF-8/GB18030/Big5/UTF-16, a few
///    malformed bytes.
/// 2. Otherwise the seed reports (`seeds/*.txt`) and the development corpus
///    (`../shared/corpus/*.jsonl`, field `content`, when present), UTF-8, repeated up to 1 MB.
///
/// Throughput is always MB (10^6 bytes) of input text in UTF-8 per second, whatever the files'
/// encodings: `utf8Bytes` is the size of the decoded text.
public struct BenchmarkCorpus: Sendable {
    public struct Document: Sendable {
        public let name: String
        public let bytes: [UInt8]
        /// The file's encoding as the generator wrote it (utf-8, utf-8-bom, gb18030, big5, utf-16le).
        public let encoding: String
        /// UTF-8 size of the decoded text.
        public let utf8Bytes: Int
    }

    public let documents: [Document]
    /// UTF-8 size of the decoded text of all documents.
    public let utf8Bytes: Int
    /// Where the text came from, for the report.
    public let origin: String

    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let shared: BenchmarkCorpus = load()

    static func load() -> BenchmarkCorpus {
        let fm = FileManager.default
        let generated = repositoryRoot.appendingPathComponent("Benchmarks/corpora/1M")
        if let manifest = try? String(contentsOf: generated.appendingPathComponent("manifest.tsv"), encoding: .utf8) {
            var documents: [Document] = []
            var utf8 = 0
            for line in manifest.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: "\t")
                guard fields.count >= 4, let size = Int(fields[3]),
                      let data = fm.contents(atPath: generated.appendingPathComponent(String(fields[0])).path) else { continue }
                documents.append(Document(name: String(fields[0]), bytes: [UInt8](data), encoding: String(fields[1]), utf8Bytes: size))
                utf8 += size
            }
            if !documents.isEmpty {
                return BenchmarkCorpus(documents: documents, utf8Bytes: utf8, origin: "Benchmarks/corpora/1M (generated, mixed encodings)")
            }
        }
        var texts: [(String, String)] = []
        let seeds = repositoryRoot.appendingPathComponent("seeds")
        for name in ((try? fm.contentsOfDirectory(atPath: seeds.path)) ?? []).sorted() where name.hasSuffix(".txt") {
            if let text = try? String(contentsOf: seeds.appendingPathComponent(name), encoding: .utf8) { texts.append((name, text)) }
        }
        let shared = repositoryRoot.appendingPathComponent("../shared/corpus")
        for name in ((try? fm.contentsOfDirectory(atPath: shared.path)) ?? []).sorted() where name.hasSuffix(".jsonl") {
            guard let content = try? String(contentsOf: shared.appendingPathComponent(name), encoding: .utf8) else { continue }
            for (n, line) in content.split(separator: "\n").enumerated() {
                if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                   let text = object["content"] as? String, text.count > 200 {
                    texts.append(("\(name):\(n + 1)", text))
                }
            }
        }
        precondition(!texts.isEmpty, "no benchmark text: neither Benchmarks/corpora/1M, seeds/ nor ../shared/corpus found")
        var documents: [Document] = []
        var utf8 = 0
        var round = 0
        while utf8 < 1_000_000 {
            for (name, text) in texts where utf8 < 1_000_000 {
                documents.append(Document(name: "\(name)#\(round)", bytes: Array(text.utf8), encoding: "utf-8", utf8Bytes: text.utf8.count))
                utf8 += text.utf8.count
            }
            round += 1
        }
        return BenchmarkCorpus(documents: documents, utf8Bytes: utf8, origin: "seeds/ and ../shared/corpus (UTF-8, repeated to 1 MB)")
    }

    /// Each document decoded by Tifa, as the chunks the decoder streams; for the layers after
    /// decoding, so that their benchmarks time only their own work.
    public func decodedDocuments() throws -> [[TextChunk]] {
        try documents.map { doc in
            let decoder = TextDecoder(source: MemoryByteSource(doc.bytes), name: doc.name)
            var chunks: [TextChunk] = []
            while let chunk = try decoder.nextChunk() { chunks.append(chunk) }
            return chunks
        }
    }
}

/// Measures `body` and returns input bytes (UTF-8) per second, for a custom metric; the
/// benchmark tables scale it, so "input bytes/s (M)" reads as MB/s.
public func bytesPerSecond(utf8Bytes: Int, _ body: () throws -> Void) rethrows -> Int {
    let clock = ContinuousClock()
    let elapsed = try clock.measure(body)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Int(Double(utf8Bytes) / max(seconds, 1e-9))
}
