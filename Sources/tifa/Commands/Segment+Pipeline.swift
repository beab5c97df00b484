import Foundation
import Tifa

/// What `tifa segment` does to its text, free of state that crosses chunks, so that any thread
/// can do it: normalize a decoded chunk, and segment and format a piece of normalized text.
/// The normalizer and the segmenter are immutable and shared by every thread, as `index build`
/// shares its analyzer; each call has its own working memory.
struct SegmentWork: @unchecked Sendable {
    let normalizer: Normalizer
    let segmenter: Segmenter
    let format: TextFormat
    let explain: Bool
    /// `--surface original`: words written with the input's characters.
    let keepsOriginalSurface: Bool
    let delimiter: [UInt8]
    /// `--stats`: CPU time measured.
    let timed: Bool

    struct NormalizedChunk {
        let chunk: TextChunk
        let text: NormalizedText
        /// The characters each normalized one is written as (nil: itself).
        let surface: [Unicode.Scalar]?
        let findings: [NormalizationFinding]
        var cpuNanoseconds: UInt64 = 0
        var utf8Bytes = 0
    }

    func normalize(_ chunk: TextChunk) -> NormalizedChunk {
        let start = timed ? Segment.cpuNanoseconds() : 0
        let text = normalizer.normalize(chunk)
        var result = NormalizedChunk(chunk: chunk, text: text, surface: keepsOriginalSurface ? text.originalScalars(in: chunk) : nil,
                                     findings: text.findings)
        if timed {
            result.cpuNanoseconds = Segment.cpuNanoseconds() - start
            for s in chunk.scalars { result.utf8Bytes += s.value < 0x80 ? 1 : s.value < 0x800 ? 2 : s.value < 0x10000 ? 3 : 4 }
        }
        return result
    }

    /// A piece of a file's normalized text that can be segmented apart from the rest
    /// (`SegmentPieceCutter`).
    struct Piece {
        let text: NormalizedText
        let surface: [Unicode.Scalar]?
        /// The file's name as a JSON string.
        let fileName: String
        /// The (1-based) line the piece starts on.
        let firstLine: Int
    }

    /// A piece as output bytes; in text format, written as if its first line had no words
    /// yet, with `join` saying how it continues the output before it (nil in other formats).
    struct Written {
        /// In blocks of about 64 KiB for JSON Lines (about 60 bytes a character: one growing
        /// array of a whole piece left glibc's heap fragmented, 140 MB at one thread).
        var blocks: [[UInt8]] = []
        /// Whether anything is written.
        var isEmpty: Bool { blocks.allSatisfy(\.isEmpty) }
        var join: Segmenter.TextPieceJoin?
        var cpuNanoseconds: UInt64 = 0
    }

    func write(_ piece: Piece) -> Written {
        var result = Written()
        let text = piece.text, surface = piece.surface
        func written(_ range: Range<Int>) -> String {
            guard let surface else { return text.text(range) }
            return String(String.UnicodeScalarView(surface[range]))
        }
        var line = piece.firstLine
        var block: [UInt8] = []
        /// Starts a new block once the current one is full, before a record is appended.
        @inline(__always) func makeRoom() {
            if block.count >= 1 << 16 {
                result.blocks.append(block)
                block = []
            }
            if block.isEmpty { block.reserveCapacity((1 << 16) + 1024) }
        }
        func append(_ record: String) {
            makeRoom()
            block.append(contentsOf: record.utf8)
        }
        func finished() -> Written {
            if !block.isEmpty { result.blocks.append(block) }
            return result
        }
        if explain {
            for e in segmenter.explain(text) {
                if e.token.kind == .whitespace {
                    if e.surface == "\n" { line += 1 }
                    continue
                }
                let t = e.token
                switch format {
                case .text:
                    append("\(Segment.tsvField(written(t.range)))\t\(t.sourceRange.lowerBound)\t\(t.sourceRange.upperBound)\t\(t.kind)\t\(e.reason)\t\(e.alternatives.joined(separator: "; "))\n")
                case .jsonl:
                    append("{\"file\":\(piece.fileName),\"line\":\(line),\"start\":\(t.sourceRange.lowerBound),\"end\":\(t.sourceRange.upperBound),\"text\":\(JSON.quote(written(t.range))),\"kind\":\"\(t.kind)\",\"reason\":\(JSON.quote(e.reason)),\"alternatives\":[\(e.alternatives.map(JSON.quote).joined(separator: ","))]}\n")
                }
            }
            return finished()
        }
        switch format {
        case .text:
            // Surfaces are encoded straight from the scalars (no String per token).
            let start = timed ? Segment.cpuNanoseconds() : 0
            result.join = segmenter.appendTextPiece(of: text, surface: surface, delimiter: delimiter, to: &block)
            if timed { result.cpuNanoseconds = Segment.cpuNanoseconds() - start }
        case .jsonl:
            // Written as bytes, as the text format is: a String per token and field (interpolated,
            // quoted, appended) made JSON Lines six times slower than text.
            let scalars = surface ?? text.scalars
            let fileField = Array("{\"file\":\(piece.fileName),\"line\":".utf8)
            segmenter.forEachToken(in: text) { token in
                if token.kind == .whitespace {
                    if text.scalars[token.range.lowerBound] == "\n" { line += 1 }
                    return
                }
                makeRoom()
                block.append(contentsOf: fileField)
                JSONLineBytes.appendDecimal(line, to: &block)
                block.append(contentsOf: JSONLineBytes.start)
                JSONLineBytes.appendDecimal(token.sourceRange.lowerBound, to: &block)
                block.append(contentsOf: JSONLineBytes.end)
                JSONLineBytes.appendDecimal(token.sourceRange.upperBound, to: &block)
                block.append(contentsOf: JSONLineBytes.text)
                JSON.appendQuoted(scalars[token.range], to: &block)
                block.append(contentsOf: JSONLineBytes.kinds[Int(token.kind.rawValue)])
            }
        }
        return finished()
    }
}

/// The fixed pieces and numbers of `tifa segment --format jsonl` lines as bytes (the text is
/// quoted by `JSON.appendQuoted`).
enum JSONLineBytes {
    static let start = Array(",\"start\":".utf8), end = Array(",\"end\":".utf8), text = Array(",\"text\":".utf8)
    /// `,"kind":"word"}` and a line break, by `Token.Kind` raw value.
    static let kinds: [[UInt8]] = {
        var table = [[UInt8]](repeating: [], count: Int(Token.Kind.allCases.map(\.rawValue).max()!) + 1)
        for kind in Token.Kind.allCases { table[Int(kind.rawValue)] = Array(",\"kind\":\"\(kind)\"}\n".utf8) }
        return table
    }()

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            appendDecimal(-value, to: &out)
            return
        }
        if value >= 10 { appendDecimal(value / 10, to: &out) }
        out.append(UInt8(truncatingIfNeeded: 0x30 + value % 10))
    }
}

/// Cuts one file's normalized chunks, in input order, into pieces that can be segmented
/// apart: a chunk that ends inside a line (lines longer than the decoder's chunk) is cut after
/// its last sign or space, and the rest waits for the next chunk, so no word is cut at a chunk
/// boundary. Holds what crosses chunks: that rest, and the line number.
struct SegmentPieceCutter {
    let fileName: String
    private var pending: (text: NormalizedText, surface: [Unicode.Scalar]?)?
    private var nextLine = 1
    /// Whether the last piece ended with a line break (text output ends every file with one).
    private(set) var endedWithNewline = true

    init(file: String) { fileName = JSON.quote(file) }

    /// The piece that `chunk` completes, if any.
    mutating func add(_ chunk: SegmentWork.NormalizedChunk) -> SegmentWork.Piece? {
        var text = chunk.text
        var written = chunk.surface
        if let rest = pending {
            text = NormalizedText(scalars: rest.text.scalars + text.scalars, sourceOffsets: Array(rest.text.sourceOffsets.dropLast()) + text.sourceOffsets)
            written = written.map { (rest.surface ?? []) + $0 }
            pending = nil
        }
        if text.scalars.last != "\n", let cut = Self.lastSafeBreak(text.scalars), cut < text.count {
            pending = (NormalizedText(scalars: Array(text.scalars[cut...]), sourceOffsets: Array(text.sourceOffsets[cut...])),
                       written.map { Array($0[cut...]) })
            text = NormalizedText(scalars: Array(text.scalars[..<cut]), sourceOffsets: Array(text.sourceOffsets[...cut]))
            written = written.map { Array($0[..<cut]) }
        }
        return piece(text, written)
    }

    /// The rest of the file's last line, if any.
    mutating func finish() -> SegmentWork.Piece? {
        guard let rest = pending else { return nil }
        pending = nil
        return piece(rest.text, rest.surface)
    }

    private mutating func piece(_ text: NormalizedText, _ surface: [Unicode.Scalar]?) -> SegmentWork.Piece? {
        if text.isEmpty { return nil }
        endedWithNewline = text.scalars.last == "\n"
        let piece = SegmentWork.Piece(text: text, surface: surface, fileName: fileName, firstLine: nextLine)
        // The segmenter makes every line break a token of its own (the scanner and ICU's lines
        // both stop at one), so the piece's lines are its line breaks.
        for s in text.scalars where s == "\n" { nextLine += 1 }
        return piece
    }

    /// The index just after the last sign or space within the last 1,024 characters, if any.
    static func lastSafeBreak(_ scalars: [Unicode.Scalar]) -> Int? {
        var i = scalars.count - 1
        let stop = max(0, scalars.count - 1024)
        while i >= stop {
            let p = scalars[i].properties
            if p.isWhitespace || [.otherPunctuation, .closePunctuation, .finalPunctuation, .dashPunctuation].contains(p.generalCategory) {
                return i + 1
            }
            i -= 1
        }
        return nil
    }
}

/// `tifa segment` on several threads with the output of one: the calling thread reads the
/// chunks, cuts them into pieces and writes the pieces in input order; workers normalize
/// chunks and segment pieces. Everything that crosses chunks is decided on the calling thread
/// in input order — the cut pieces and line numbers (`SegmentPieceCutter`), the warnings, and
/// whether a piece continues a line that has words — so the output does not depend on the
/// threads. At most `capacity` chunks are in flight, so memory does not grow with the input.
/// Without workers each chunk is normalized, segmented and written before the next is read.
final class SegmentPipeline {
    private let work: SegmentWork
    private let pool: WorkerPool
    private let capacity: Int
    /// Worker threads running (0: all on the calling thread).
    var workerThreads: Int { pool.threads }

    /// In input order: read, normalizing or normalized, not yet cut.
    private enum Read {
        case fileStart(String)
        case chunk(PendingWork<SegmentWork.NormalizedChunk>)
        case fileEnd(warning: String?)
    }
    /// In input order: cut, to be written.
    private enum Cut {
        case fileStart
        case warnings([String])
        case piece(PendingWork<SegmentWork.Written>)
        case fileEnd(needsNewline: Bool)
    }
    // Short arrays (at most `capacity` items): taking the first is cheap.
    private var read: [Read] = []
    private var cut: [Cut] = []
    /// The file being cut, and its state.
    private var file = ""
    private var cutter: SegmentPieceCutter?
    private var garbledWarnings = GarbledTextWarnings()
    /// Whether the output's current line has words.
    private var lineHasWords = false

    struct Totals {
        var inputBytes = 0
        var inputScalars = 0
        var normalizeNanoseconds: UInt64 = 0
        var segmentNanoseconds: UInt64 = 0
    }
    private(set) var totals = Totals()

    init(work: SegmentWork, workerThreads: Int) {
        self.work = work
        pool = WorkerPool(threads: workerThreads, name: "segmentation")
        // A chunk for each worker and two waiting, so a worker that finishes finds work while
        // the oldest piece is still being segmented. A decoder chunk is up to a 1 MiB block of
        // input; with its normalized text, surface and output about 7 MB are held per chunk.
        capacity = pool.threads == 0 ? 1 : pool.threads + 2
    }

    func startFile(_ name: String) { enqueue(.fileStart(name)) }

    func add(_ chunk: TextChunk) {
        let work = work
        enqueue(.chunk(pool.submit { work.normalize(chunk) }))
    }

    func endFile(warning: String?) { enqueue(.fileEnd(warning: warning)) }

    /// Writes everything read so far.
    func finish() {
        while !read.isEmpty || !cut.isEmpty { advance() }
    }

    private var inFlight: Int { read.count + cut.count }

    private func enqueue(_ item: Read) {
        read.append(item)
        // Cut what is normalized at once, so its segmentation starts.
        while let next = read.first, isReady(next) { cutNext() }
        while inFlight >= capacity { advance() }
    }

    private func isReady(_ item: Read) -> Bool {
        if case .chunk(let pending) = item { return pending.isDone }
        return true
    }

    /// One step, waiting for a worker if needed: cuts the next chunk when it is normalized (or
    /// nothing waits to be written), else writes the next piece.
    private func advance() {
        if let next = read.first, isReady(next) || cut.isEmpty {
            cutNext()
        } else {
            writeNext()
        }
    }

    private func cutNext() {
        let item = read.removeFirst()
        switch item {
        case .fileStart(let name):
            file = name
            cutter = SegmentPieceCutter(file: name)
            garbledWarnings = GarbledTextWarnings()
            cut.append(.fileStart)
        case .chunk(let pending):
            let normalized = pending.value()
            totals.normalizeNanoseconds += normalized.cpuNanoseconds
            totals.inputBytes += normalized.utf8Bytes
            totals.inputScalars += normalized.chunk.scalars.count
            let warnings = garbledWarnings.messages(about: normalized.findings, in: normalized.chunk, file: file)
            if !warnings.isEmpty { cut.append(.warnings(warnings)) }
            if let piece = cutter!.add(normalized) { submit(piece) }
        case .fileEnd(let warning):
            if let piece = cutter!.finish() { submit(piece) }
            cut.append(.fileEnd(needsNewline: !cutter!.endedWithNewline))
            if let warning { cut.append(.warnings([warning])) }
            cutter = nil
        }
    }

    private func submit(_ piece: SegmentWork.Piece) {
        let work = work
        cut.append(.piece(pool.submit { work.write(piece) }))
    }

    private func writeNext() {
        let item = cut.removeFirst()
        let out = Output.standard
        switch item {
        case .fileStart:
            lineHasWords = false
        case .warnings(let messages):
            for message in messages { Diagnostics.warning(message) }
        case .piece(let pending):
            let written = pending.value()
            totals.segmentNanoseconds += written.cpuNanoseconds
            if let join = written.join {
                if join.startsWithWord && lineHasWords {
                    work.delimiter.withUnsafeBufferPointer { out.write(bytes: $0) }
                }
                if !written.isEmpty { lineHasWords = join.endsWithWords }
            }
            for block in written.blocks { block.withUnsafeBufferPointer { out.write(bytes: $0) } }
        case .fileEnd(let needsNewline):
            if needsNewline && work.format == .text && !work.explain { out.write("\n") }
        }
    }
}
