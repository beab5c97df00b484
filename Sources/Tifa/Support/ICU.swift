import CICU

/// An error reported by ICU, with ICU's own name for it.
public struct ICUError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let operation: String
    public var name: String { String(cString: tifa_icu_error_name(code)) }
    public var description: String { "ICU \(operation) failed: \(name)" }

    /// Throws when `status` is a failure (> 0); ICU warnings (< 0) pass.
    static func check(_ status: Int32, _ operation: String) throws {
        if status > 0 { throw ICUError(code: status, operation: operation) }
    }
}

/// Thin Swift wrappers over the CICU bridge. Each owns its C handle and is not shared across
/// threads unless said otherwise.
package enum ICU {
    /// The version of the system ICU Tifa runs on, e.g. "72.1".
    public static var version: String { String(cString: tifa_icu_version()) }

    /// ICU's charset guess for a sample of bytes: (name, confidence 0–100), nil when nothing matched.
    public static func detectCharset(_ bytes: UnsafeRawBufferPointer) -> (name: String, confidence: Int)? {
        var status: Int32 = 0
        var confidence: Int32 = 0
        var name = [CChar](repeating: 0, count: 64)
        let found = bytes.withMemoryRebound(to: CChar.self) { chars in
            tifa_detect_charset(chars.baseAddress, Int32(chars.count), &name, 64, &confidence, &status)
        }
        guard found > 0, status <= 0 else { return nil }
        let n = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return (n, Int(confidence))
    }
}

/// An ICU transliterator (e.g. "Traditional-Simplified"). Not thread-safe; make one per use.
package final class ICUTransliterator {
    private let handle: OpaquePointer

    public init(id: String) throws {
        var status: Int32 = 0
        guard let h = tifa_transliterator_open(id, &status) else {
            throw ICUError(code: status == 0 ? 1 : status, operation: "opening transliterator \(id)")
        }
        try ICUError.check(status, "opening transliterator \(id)")
        handle = h
    }

    deinit { tifa_transliterator_close(handle) }

    /// The code points this transliterator may change (ICU's source set); any other comes out
    /// unchanged.
    public func sourceRanges() throws -> [ClosedRange<UInt32>] {
        var capacity: Int32 = 256
        while true {
            var starts = [UInt32](repeating: 0, count: Int(capacity)), ends = starts
            var status: Int32 = 0
            let count = tifa_transliterator_source_ranges(handle, &starts, &ends, capacity, &status)
            if count < 0 { try ICUError.check(status == 0 ? 1 : status, "reading a transliterator's source set") }
            if count > capacity { capacity = count; continue }
            return (0..<Int(count)).map { starts[$0]...ends[$0] }
        }
    }

    public func transliterate(_ text: String) throws -> String {
        var buffer = Array(text.utf16)
        var capacity = buffer.count * 2 + 16
        while true {
            var work = buffer + [UInt16](repeating: 0, count: capacity - buffer.count)
            var length = Int32(buffer.count)
            var status: Int32 = 0
            tifa_transliterate(handle, &work, &length, Int32(capacity), &status)
            if status == 15 { capacity = Int(length) + 16; continue }
            try ICUError.check(status, "transliteration")
            buffer = Array(work[0..<Int(length)])
            return String(decoding: buffer, as: UTF16.self)
        }
    }
}

/// ICU's rule-based word break iterator (UBRK_WORD), the segmenter's base and `--no-lexicon` mode.
package final class ICUWordBreaker {
    /// ICU's rule status ranges for the segment before a boundary.
    public enum Status: Sendable {
        case none, number, letter, kana, ideographic
        init(_ raw: Int32) {
            switch raw {
            case 100..<200: self = .number
            case 200..<300: self = .letter
            case 300..<400: self = .kana
            case 400..<500: self = .ideographic
            default: self = .none
            }
        }
    }

    private let handle: OpaquePointer

    public init(locale: String = "zh") throws {
        var status: Int32 = 0
        guard let h = tifa_word_breaker_open(locale, nil, 0, &status) else {
            throw ICUError(code: status == 0 ? 1 : status, operation: "opening word break iterator")
        }
        handle = h
    }

    deinit { tifa_word_breaker_close(handle) }

    /// Boundaries of `utf16` text in UTF-16 units, excluding 0, including the end, with the rule
    /// status of the segment that each boundary closes.
    public func boundaries(utf16: UnsafeBufferPointer<UInt16>) throws -> [(offset: Int, status: Status)] {
        var status: Int32 = 0
        tifa_word_breaker_set_text(handle, utf16.baseAddress, Int32(utf16.count), &status)
        try ICUError.check(status, "setting word break text")
        var result: [(Int, Status)] = []
        var rule: Int32 = 0
        while true {
            let p = tifa_word_breaker_next(handle, &rule)
            if p < 0 { break }
            result.append((Int(p), Status(rule)))
        }
        return result
    }

    /// Boundaries of a run of scalar values (code points), as offsets in scalars from the run's
    /// start, excluding 0, including the end, with the rule status of the segment each closes.
    /// The one place that converts to ICU's UTF-16 and maps its offsets back (a character
    /// outside the BMP is two UTF-16 units but one scalar); an invalid value counts as U+FFFD.
    func boundaries<Scalars: Sequence<UInt32>>(scalars: Scalars) throws -> [(offset: Int, status: Status)] {
        var utf16: [UInt16] = []
        var scalarAt: [Int] = []  // UTF-16 offset → scalar offset
        utf16.reserveCapacity(scalars.underestimatedCount)
        scalarAt.reserveCapacity(scalars.underestimatedCount + 1)
        var count = 0
        for value in scalars {
            for unit in UTF16.encode(Unicode.Scalar(value) ?? "\u{FFFD}")! {
                utf16.append(unit)
                scalarAt.append(count)
            }
            count += 1
        }
        scalarAt.append(count)
        return try utf16.withUnsafeBufferPointer { try boundaries(utf16: $0) }
            .compactMap { $0.offset <= utf16.count ? (scalarAt[$0.offset], $0.status) : nil }
    }
}

/// ICU's own Chinese/Japanese word dictionary (`brkitr/cjdict`), the knowledge behind its word
/// break iterator: about 316,000 words, each with a cost (lower = more frequent).
package enum ICUDictionary {
    /// Calls `body` for every word with its cost. Cost: one pass over ICU's trie (tens of ms).
    public static func forEachWord(_ body: (_ utf16: UnsafeBufferPointer<UInt16>, _ cost: Int32) -> Void) throws {
        var status: Int32 = 0
        guard let dict = tifa_cjdict_open(&status) else {
            throw ICUError(code: status == 0 ? 1 : status, operation: "opening ICU's cjdict")
        }
        defer { tifa_cjdict_close(dict) }
        try withoutActuallyEscaping(body) { escapable in
            var box = escapable
            try withUnsafeMutablePointer(to: &box) { ptr in
                _ = tifa_cjdict_enumerate(dict, { context, word, length, cost in
                    let f = context!.assumingMemoryBound(to: ((UnsafeBufferPointer<UInt16>, Int32) -> Void).self)
                    f.pointee(UnsafeBufferPointer(start: word, count: Int(length)), cost)
                }, ptr, &status)
                try ICUError.check(status, "reading ICU's cjdict")
            }
        }
    }
}
