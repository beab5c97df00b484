import XCTest
@testable import Tifa

/// Keeps every file in Dictionaries/ reviewable: documented, sorted by its key, no duplicates.
final class DictionaryFileTests: XCTestCase {
    func dataFiles() throws -> [URL] {
        let dir = try DataFiles.dictionariesDirectory()
        return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: [.isDirectoryKey])
            .filter { $0.lastPathComponent != "README.md" && !$0.lastPathComponent.hasPrefix(".") }
            .filter { try $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory != true }  // tools/
            .sorted { $0.path < $1.path }
    }

    /// Files whose key is more than the first field (`kind<TAB>text`).
    static let keyFields = ["discovery_stoplist.txt": 2, "segmentation_rules.tsv": 2]

    func testEveryFileIsDocumentedSortedAndDuplicateFree() throws {
        let files = try dataFiles()
        XCTAssertFalse(files.isEmpty)
        let readme = try String(contentsOf: try DataFiles.dictionary("README.md"), encoding: .utf8)
        for url in files {
            let name = url.lastPathComponent
            if url.pathExtension == "bin" {  // a binary model: documented, its format checked by its loader
                XCTAssertTrue(readme.contains(name), "Dictionaries/README.md documents \(name)")
                continue
            }
            let text = try String(contentsOf: url, encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("#"), "\(name) opens with a comment block documenting its format")
            XCTAssertTrue(readme.contains(name), "Dictionaries/README.md documents \(name)")
            var keys: [String] = []
            let keyFields = Self.keyFields[name] ?? 1
            try DataFiles.forEachDataLine(in: url) { line, number in
                let key = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).prefix(keyFields).joined(separator: "\t")
                XCTAssertFalse(key.isEmpty, "\(name):\(number) has a key")
                keys.append(key)
            }
            for (a, b) in zip(keys, keys.dropFirst()) {
                XCTAssertTrue(a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars), "\(name): \(a) before \(b) (sorted by code point, no duplicates)")
            }
        }
    }

    func testConversionTablesLoad() throws {
        let converter = try ChineseConverter.shared()
        XCTAssertGreaterThan(converter.phraseCount, 0)
    }
}
