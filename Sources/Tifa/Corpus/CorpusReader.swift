import Foundation

public struct CorpusOptions: Sendable {
    /// The JSONL field holding the text.
    public var textField = "content"
    /// The JSONL field holding the document id (falls back to `path:line`).
    public var idField = "title"
    /// JSONL fields kept as metadata; empty keeps every scalar field except the text.
    public var metaFields: [String] = []
    /// A regular expression with named groups, matched against each file's relative path, whose
    /// groups become metadata: `(?<year>\d{4})_(?<region>[^_]+)_` for `2019_四川_渠县.txt`.
    public var metaFromPath: String?
    public var decoding = DecodingOptions()
    /// File name extensions read from folders (explicit file arguments are always read).
    public var extensions: Set<String> = ["txt", "md", "html", "htm", "jsonl"]
    /// What stdin (`-`) holds: one text document, or JSON Lines records (a streaming stage).
    public var stdin: StdinFormat = .text
    /// A document without a year or date of its own (metadata `year` or `date`) gets the
    /// publication date written in it (`PublicationDate`) as its `date`, and so a year.
    public var dateFromText = false

    public enum StdinFormat: String, Sendable, Codable, CaseIterable {
        case text, jsonl
    }

    public init() {}
}

/// Reads a corpus — files, folders (recursively, in sorted order), JSON Lines files and stdin —
/// one document at a time, so memory holds one document, never the corpus, and never the list of
/// its files either (`files` is walked as it is read).
///
/// Problems with one document (unreadable, undecodable in strict mode, a malformed JSONL line)
/// come out as `.skipped` items and the reading goes on; problems with the whole job (a missing
/// input path, a bad `metaFromPath` pattern) are thrown by the initializer.
public struct CorpusReader: Sequence {
    /// The files to read, listed lazily (until 2026-12 an array of every file, about 400 bytes a
    /// file: `Array(files)` or `listFiles` still make one).
    public let files: CorpusFileList
    public let options: CorpusOptions
    private let pathPattern: NSRegularExpression?
    private let pathGroups: [String]

    /// Checks the inputs, without listing them. Inputs that do not exist are errors; "-" or no
    /// inputs mean stdin.
    public init(inputs: [String], options: CorpusOptions = .init()) throws {
        self.options = options
        self.files = try CorpusFileList(inputs: inputs, options: options)
        if let pattern = options.metaFromPath {
            do { pathPattern = try NSRegularExpression(pattern: pattern) } catch {
                throw CorpusError.invalidPathPattern(pattern)
            }
            pathGroups = Self.namedGroups(in: pattern)
        } else {
            pathPattern = nil
            pathGroups = []
        }
    }

    /// The files of a corpus with size and modification time, without reading them, all in one
    /// array (about 400 bytes a file): iterate a `CorpusFileList` to hold one at a time.
    public static func listFiles(inputs: [String], options: CorpusOptions = .init()) throws -> [CorpusFile] {
        Array(try CorpusFileList(inputs: inputs, options: options))
    }

    static func kind(of ext: String) -> CorpusFile.Kind {
        switch ext {
        case "html", "htm": return .html
        case "jsonl", "ndjson": return .jsonl
        default: return .text
        }
    }

    public func makeIterator() -> AnyIterator<CorpusItem> {
        var listing = files.makeIterator()
        var pendingRecords: AnyIterator<CorpusItem>? = nil
        return AnyIterator {
            while true {
                if let records = pendingRecords {
                    if let next = records.next() { return next }
                    pendingRecords = nil
                }
                guard let file = listing.next() else { return nil }
                switch file.kind {
                case _ where readsRecords(file):
                    do { pendingRecords = try jsonlRecords(file) } catch {
                        return .skipped(CorpusSkip(source: file.path, reason: Self.reason(error)))
                    }
                default:
                    return readDocument(file)
                }
            }
        }
    }

    /// Reads and decodes the documents of one listed file.
    public func documents(in file: CorpusFile) -> AnyIterator<CorpusItem> {
        if readsRecords(file) {
            do { return try jsonlRecords(file) } catch {
                return AnyIterator([CorpusItem.skipped(CorpusSkip(source: file.path, reason: Self.reason(error)))].makeIterator())
            }
        }
        return AnyIterator([readDocument(file)].makeIterator())
    }

    /// Whether `file` is read as JSON Lines records.
    public func readsRecords(_ file: CorpusFile) -> Bool {
        file.kind == .jsonl || (file.kind == .stdin && options.stdin == .jsonl)
    }

    // MARK: Plain and HTML files

    private func readDocument(_ file: CorpusFile) -> CorpusItem {
        do {
            let source: ByteSource = file.kind == .stdin ? FileByteSource(standardInput: ()) : try FileByteSource(path: file.path)
            let hashing = HashingByteSource(source)
            let name = file.kind == .stdin ? "<stdin>" : file.path
            let decoder = TextDecoder(source: hashing, name: name, options: options.decoding)
            var utf8: [UInt8] = []
            try decoder.decodeRest(appendingUTF8To: &utf8)
            var text = String(decoding: utf8, as: UTF8.self)
            if file.kind == .html { text = HTMLText.plainText(fromHTML: text) }
            return .document(Document(id: file.relativePath, source: name, metadata: Self.dated(pathMetadata(file.relativePath), text, options), text: text,
                                      encoding: decoder.report.encoding, replacements: decoder.report.replacements,
                                      byteCount: hashing.byteCount, checksum: hashing.hexDigest()))
        } catch {
            return .skipped(CorpusSkip(source: file.kind == .stdin ? "<stdin>" : file.path, reason: Self.reason(error)))
        }
    }

    func pathMetadata(_ relativePath: String) -> [String: String] {
        guard let pathPattern else { return [:] }
        let ns = relativePath as NSString
        guard let m = pathPattern.firstMatch(in: relativePath, range: NSRange(location: 0, length: ns.length)) else { return [:] }
        var meta: [String: String] = [:]
        for name in pathGroups {
            let r = m.range(withName: name)
            if r.location != NSNotFound { meta[name] = ns.substring(with: r) }
        }
        return meta
    }

    /// `metadata` with the publication date written in `text` as its `date`, when `options`
    /// ask for it and the metadata give no year (`Document.year`) or date.
    static func dated(_ metadata: [String: String], _ text: String, _ options: CorpusOptions) -> [String: String] {
        guard options.dateFromText, Document.year(in: metadata) == nil, metadata["date"] == nil,
              let found = PublicationDate.find(in: text) else { return metadata }
        var dated = metadata
        dated["date"] = found.iso
        return dated
    }

    static func namedGroups(in pattern: String) -> [String] {
        var names: [String] = []
        var rest = Substring(pattern)
        while let open = rest.range(of: "(?<") {
            rest = rest[open.upperBound...]
            guard let first = rest.first, first != "=", first != "!" else { continue }
            if let close = rest.firstIndex(of: ">") { names.append(String(rest[..<close])) }
        }
        return names
    }

    // MARK: JSON Lines

    /// JSON is UTF-8 (RFC 8259), and a UTF-8 file is split into lines as bytes. But exports from
    /// Windows tools start with a byte order mark (utf-8-sig), and legacy systems write GB18030,
    /// Big5 or UTF-16: the start of the file is looked at as a text file's is (`TextDecoder`'s
    /// detection, or `--encoding`), a UTF-8 BOM is dropped, and a file in another encoding is
    /// decoded to UTF-8 as it streams. Invalid bytes in a UTF-8 record are replaced with U+FFFD
    /// and counted (`Document.replacements`), as in a text file; `--strict` skips the record.
    private func jsonlRecords(_ file: CorpusFile) throws -> AnyIterator<CorpusItem> {
        let raw: ByteSource = file.kind == .stdin ? FileByteSource(standardInput: ()) : try FileByteSource(path: file.path)
        let name = file.kind == .stdin ? "<stdin>" : file.path
        var sample = try raw.read(maxBytes: TextDecoder.sampleBytes)
        let encoding: TextEncoding
        if let forced = options.decoding.encoding {
            encoding = forced
        } else if sample.starts(with: [0xEF, 0xBB, 0xBF]) {
            encoding = .utf8
        } else {
            encoding = TextDecoder.detect(sample, wholeInput: sample.count < TextDecoder.sampleBytes, keepsUTF8Scalars: false).encoding
        }
        if encoding == .utf8, sample.starts(with: [0xEF, 0xBB, 0xBF]) { sample.removeFirst(3) }
        let replayed = ReplayedByteSource(first: sample, then: raw)
        let transcoded = encoding != .utf8
        // A decoded file is decoded with replacement, and --strict applies per record below (the
        // decoder's own error would end the whole file at its first bad byte).
        var decoding = options.decoding
        decoding.invalidBytes = .replace
        let lines = LineReader(source: transcoded ? UTF8TranscodingSource(TextDecoder(source: replayed, name: name, options: decoding)) : replayed)
        var lineNumber = 0
        var failed = false
        let options = self.options
        return AnyIterator {
            while !failed {
                var line: [UInt8]?
                do { line = try lines.next() } catch {
                    // The rest of the file cannot be read (an I/O error, or invalid bytes under
                    // --strict in a decoded file): one skip for it, then the next file.
                    failed = true
                    return .skipped(CorpusSkip(source: "\(name):\(lineNumber + 1)", reason: Self.reason(error) + "; the rest of the file is not read"))
                }
                guard var line else { return nil }
                lineNumber += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                let where_ = "\(name):\(lineNumber)"
                // Replacements: a decoded file's are U+FFFD in its UTF-8 (each one a replaced
                // sequence, or a U+FFFD the file itself had); a UTF-8 record's are counted when it
                // does not parse (the scanner takes valid UTF-8 only), and it is parsed again.
                var replacements = transcoded ? Self.replacementCharacters(in: line) : 0
                if replacements > 0 && options.decoding.invalidBytes == .fail {
                    return .skipped(CorpusSkip(source: where_, reason: "\(replacements) invalid \(encoding) byte sequence\(replacements == 1 ? "" : "s")"))
                }
                // Size and checksum are of the record's bytes as read (UTF-8 when decoded).
                let rawCount = line.count, checksum = SHA256.hex(line)
                var object: [String: JSONRecord.Value]
                do { object = try line.withUnsafeBufferPointer { try JSONRecord.fields($0) } } catch {
                    let invalid = transcoded ? 0 : line.withUnsafeBufferPointer { UTF8Validator.invalidSequences(in: $0).count }
                    var repaired: [String: JSONRecord.Value]? = nil
                    let original = line
                    if invalid > 0 && options.decoding.invalidBytes == .replace {
                        line = Array(String(decoding: line, as: UTF8.self).utf8)
                        replacements = invalid
                        repaired = try? line.withUnsafeBufferPointer { try JSONRecord.fields($0) }
                    }
                    guard let repaired else {
                        // Told of the line as it was: the error's offset is in its bytes.
                        let reason = original.withUnsafeBufferPointer { JSONRecord.describe(error as? JSONRecord.SyntaxError, in: $0) }
                        return .skipped(CorpusSkip(source: where_, reason: reason))
                    }
                    object = repaired
                }
                guard case .string(let text)? = object[options.textField] else {
                    return .skipped(CorpusSkip(source: where_, reason: Self.missingTextField(options.textField, in: object)))
                }
                var id = object[options.idField]?.scalarText ?? where_
                if id.isEmpty { id = where_ }
                var meta: [String: String] = [:]
                let keys = options.metaFields.isEmpty ? Array(object.keys) : options.metaFields
                for key in keys where key != options.textField {
                    if let v = object[key]?.scalarText { meta[key] = v }
                }
                meta = Self.dated(meta, text, options)
                return .document(Document(id: id, source: where_, metadata: meta, text: text, encoding: encoding,
                                          replacements: replacements, byteCount: rawCount, checksum: checksum))
            }
            return nil
        }
    }

    /// Why a record has no text: the field is missing (with the string fields it has, the
    /// longest first — most likely the text under another name) or is not a string.
    static func missingTextField(_ field: String, in object: [String: JSONRecord.Value]) -> String {
        if let value = object[field] {
            let kind = switch value {
            case .number: "a number"
            case .bool: "a boolean"
            case .null: "null"
            case .nested: "an object or array"
            case .string: "a string"
            }
            return "field \"\(field)\" is \(kind), not a string (choose the text's field with --text-field)"
        }
        let strings = object.compactMap { key, value -> (key: String, length: Int)? in
            if case .string(let s) = value { return (key, s.utf8.count) } else { return nil }
        }.sorted { $0.length != $1.length ? $0.length > $1.length : $0.key < $1.key }
        guard !strings.isEmpty else {
            return "no string field \"\(field)\", nor any other string field (choose the text's field with --text-field)"
        }
        let shown = strings.prefix(5).map { "\"\($0.key)\"" }.joined(separator: ", ") + (strings.count > 5 ? ", …" : "")
        return "no string field \"\(field)\"; the record's string fields, longest first: \(shown) (choose one with --text-field)"
    }

    /// U+FFFD (EF BF BD) in UTF-8 bytes.
    static func replacementCharacters(in utf8: [UInt8]) -> Int {
        var count = 0, i = 0
        while i + 2 < utf8.count {
            if utf8[i] == 0xEF, utf8[i + 1] == 0xBF, utf8[i + 2] == 0xBD { count += 1; i += 3 } else { i += 1 }
        }
        return count
    }

    static func reason(_ error: Error) -> String {
        switch error {
        case let e as TextDecodingError:
            // The file name is already the item's source.
            let d = e.description
            if let colon = d.range(of: ": ") { return String(d[colon.upperBound...]) }
            return d
        case let e as CorpusSkip: return e.reason
        default: return "\(error)"
        }
    }
}

/// Passes bytes through while hashing and counting them.
final class HashingByteSource: ByteSource {
    private let inner: ByteSource
    private var hasher = SHA256()
    private(set) var byteCount = 0

    init(_ inner: ByteSource) { self.inner = inner }

    func read(maxBytes: Int) throws -> [UInt8] {
        let block = try inner.read(maxBytes: maxBytes)
        hasher.update(block)
        byteCount += block.count
        return block
    }

    func hexDigest() -> String { hasher.hexDigest() }
}

/// Gives back bytes already read from a source, then the rest of it.
final class ReplayedByteSource: ByteSource {
    private var first: [UInt8]
    private let rest: ByteSource

    init(first: [UInt8], then rest: ByteSource) {
        self.first = first
        self.rest = rest
    }

    func read(maxBytes: Int) throws -> [UInt8] {
        first.isEmpty ? try rest.read(maxBytes: maxBytes) : first.removeFirst(upTo: maxBytes)
    }
}

/// The UTF-8 of a decoder's text, as a byte source (a JSON Lines file in GB18030, Big5 or UTF-16).
final class UTF8TranscodingSource: ByteSource {
    private let decoder: TextDecoder
    private var pending: [UInt8] = []

    init(_ decoder: TextDecoder) { self.decoder = decoder }

    func read(maxBytes: Int) throws -> [UInt8] {
        while pending.isEmpty {
            guard let chunk = try decoder.nextChunk() else { return [] }
            UTF8Writer.append(chunk.scalars, to: &pending)
        }
        return pending.removeFirst(upTo: maxBytes)
    }
}

private extension Array where Element == UInt8 {
    /// Removes and returns up to `count` bytes from the front (the whole array, without a copy,
    /// when it fits).
    mutating func removeFirst(upTo count: Int) -> [UInt8] {
        if self.count <= count { defer { self = [] }; return self }
        defer { removeFirst(count) }
        return Array(self[..<count])
    }
}

/// Splits a byte source into lines (LF, with a trailing CR dropped), streaming.
final class LineReader {
    private let source: ByteSource
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false

    init(source: ByteSource) { self.source = source }

    func next() throws -> [UInt8]? {
        while true {
            if let nl = buffer[position...].firstIndex(of: 0x0A) {
                var line: [UInt8]
                if position == 0 && nl >= 1 << 20 {
                    // A line longer than a block: hand over the buffer itself rather than copy
                    // it (a 50 MB record would otherwise be held twice); the rest is < 1 block.
                    let rest = Array(buffer[(nl + 1)...])
                    line = buffer
                    buffer = rest
                    position = 0
                    line.removeSubrange(nl...)
                } else {
                    line = Array(buffer[position..<nl])
                    position = nl + 1
                }
                if line.last == 0x0D { line.removeLast() }
                return line
            }
            if finished {
                if position < buffer.count {
                    let line = position == 0 ? buffer : Array(buffer[position...])
                    buffer = []
                    position = 0
                    return line
                }
                return nil
            }
            buffer.removeFirst(position)
            position = 0
            let block = try source.read(maxBytes: 1 << 20)
            if block.isEmpty { finished = true } else { buffer += block }
        }
    }
}
