import Foundation

/// Up to five scalars (21 bits each), the length and the kind in two integers: a cheap hash key
/// for counting.
package struct PackedTerm: Hashable, Sendable {
    package static let capacity = 5
    package var low: UInt64
    package var high: UInt64

    package init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    package init?<C: Collection>(_ scalars: C, kind: TermKind) where C.Element == Unicode.Scalar {
        guard scalars.count <= Self.capacity else { return nil }
        var low: UInt64 = 0, high: UInt64 = 0
        for (i, s) in scalars.enumerated() {
            if i < 3 { low |= UInt64(s.value) << (21 * UInt64(i)) } else { high |= UInt64(s.value) << (21 * UInt64(i - 3)) }
        }
        let tag: UInt64 = switch kind { case .word: 0; case .number: 1; case .latin: 2; case .formula: 3 }
        self.low = low
        self.high = high | (UInt64(scalars.count) << 42) | (tag << 45)
    }

    /// The scalars as a string.
    package var text: String {
        let count = Int(high >> 42 & 0x7)
        var scalars = String.UnicodeScalarView()
        for i in 0..<count {
            let bits = i < 3 ? low >> (21 * UInt64(i)) : high >> (21 * UInt64(i - 3))
            // The bits of a scalar packed by `init`: always a valid value.
            scalars.append(Unicode.Scalar(UInt32(truncatingIfNeeded: bits & 0x1F_FFFF)).unsafelyUnwrapped)
        }
        return String(scalars)
    }
}

/// An open-addressing map from `PackedTerm` to an index, cleared in O(1) by a generation stamp
/// and reused across documents: Swift's dictionary hashed every token with SipHash and was
/// rebuilt per document. One array of slots (key, value and stamp side by side): a probe reads
/// one cache line, and reading the table from a class property retains one buffer, not four.
///
/// A table reused for a short document probes only the first slots of its storage
/// (`removeAll(expecting:)`): a table grown by one long document spread the next short ones'
/// few hundred terms over a megabyte, a cache miss per token.
package struct PackedTermTable {
    /// 24 bytes: a document's table of a few thousand slots stays in the first-level cache.
    private struct Slot {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var value: UInt32 = 0
        var stamp: UInt32 = 0
    }
    private var slots: [Slot] = []
    private var generation: UInt32 = 1
    /// Slots in use minus one: a power of two no larger than `slots.count`.
    private var mask = -1
    package private(set) var count = 0

    /// `capacity`: keys expected (the table grows past it); rounded up to a power of two.
    package init(capacity: Int = 512) {
        grow(to: Self.size(for: capacity))
    }

    /// A table without slots, allocated on its first insertion (a placeholder that costs nothing).
    package static var unallocated: PackedTermTable { PackedTermTable(slots: ()) }

    private init(slots: ()) {}

    /// Slots allocated (a power of two, at least twice `count`).
    package var slotCount: Int { slots.count }

    /// Slots for `keys` keys: at most half full, at least 1024.
    private static func size(for keys: Int) -> Int {
        var size = 1024
        while size < keys * 2 { size <<= 1 }
        return size
    }

    /// Forgets every key (the storage is kept).
    package mutating func removeAll() {
        count = 0
        nextGeneration()
    }

    /// Forgets every key and probes only as many slots as `keys` keys need (the storage is
    /// kept, and grown now when it is too small).
    package mutating func removeAll(expecting keys: Int) {
        let size = Self.size(for: keys)
        if size > slots.count {
            count = 0
            grow(to: size)
        } else {
            removeAll()
            mask = size - 1
        }
    }

    private mutating func nextGeneration() {
        generation &+= 1
        if generation == 0 {
            for i in slots.indices { slots[i].stamp = 0 }
            generation = 1
        }
    }

    @inline(__always)
    private static func slot(_ key: PackedTerm, _ mask: Int) -> Int {
        var h = key.low &* 0x9E37_79B9_7F4A_7C15 ^ key.high &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 29
        return Int(truncatingIfNeeded: h) & mask
    }

    /// The value of `key`, or nil.
    @inline(__always)
    package func value(of key: PackedTerm) -> Int? {
        guard count > 0 else { return nil }
        return slots.withUnsafeBufferPointer { slots in
            var i = Self.slot(key, mask)
            while slots[i].stamp == generation {
                if slots[i].low == key.low && slots[i].high == key.high { return Int(slots[i].value) }
                i = (i + 1) & mask
            }
            return nil
        }
    }

    /// The value of `key`; when absent, stores `value` (below 2³²: an index of a document's
    /// terms or a term id) for it and returns `value`.
    @inline(__always)
    package mutating func index(of key: PackedTerm, insertingIfAbsent value: Int) -> Int {
        if (count + 1) * 2 > mask + 1 { grow(to: max((mask + 1) * 2, 1024)) }
        let mask = self.mask, generation = self.generation
        let (found, inserted) = slots.withUnsafeMutableBufferPointer { slots -> (Int, Bool) in
            var i = Self.slot(key, mask)
            while slots[i].stamp == generation {
                if slots[i].low == key.low && slots[i].high == key.high { return (Int(slots[i].value), false) }
                i = (i + 1) & mask
            }
            slots[i] = Slot(low: key.low, high: key.high, value: UInt32(value), stamp: generation)
            return (value, true)
        }
        if inserted { count += 1 }
        return found
    }

    package mutating func set(_ key: PackedTerm, _ value: Int) {
        _ = index(of: key, insertingIfAbsent: value)
    }

    /// Rehashes the keys into `size` slots: within the storage when it has them, else in new
    /// storage.
    private mutating func grow(to size: Int) {
        let live = mask < 0 ? [] : slots[0...mask].filter { $0.stamp == generation }
        if size > slots.count {
            slots = Array(repeating: Slot(), count: size)
            generation = 1
        } else {
            nextGeneration()
        }
        mask = size - 1
        count = 0
        for s in live {
            _ = index(of: PackedTerm(low: s.low, high: s.high), insertingIfAbsent: Int(s.value))
        }
    }
}

/// Slots of terms longer than a packed key (or of formulas), found by their bytes first
/// (`UTF8TermTable`) and by their canonical `TermKey` only when that can find another entry: the
/// same slots a table keyed by `TermKey` alone would give, without hashing canonically on every
/// probe.
///
/// Canonical hashing normalizes the text (a property lookup per scalar), so it is skipped while
/// every key is `triviallyCanonical`: such strings are their own canonical form, so two of them
/// are canonically equal only when byte-equal and the byte table alone decides. The canonical
/// table is built the first time another key comes (a composed letter, a compatibility
/// ideograph) and kept from then on.
package struct TermSlots {
    private var byBytes = UTF8TermTable()
    /// nil while every key is trivially canonical.
    private var canonical: [TermKey: Int]?

    package init() {}

    /// The slot of `text` as `kind`; when it has none, `next` becomes its slot and nil is returned.
    package mutating func slot(of text: String, kind: TermKind, insertingIfAbsent next: Int) -> Int? {
        let hash = UTF8TermTable.hash(text, kind: kind)
        if let i = byBytes.value(of: text, kind: kind, hash: hash) { return i }
        if canonical == nil {
            if Self.isTriviallyCanonical(text) {
                byBytes.insert(text, kind: kind, hash: hash, value: next)
                return nil
            }
            // Every key so far is trivially canonical and byte-distinct, so one slot each.
            var table = [TermKey: Int](minimumCapacity: byBytes.count + 1)
            byBytes.forEach { text, kind, slot in table[TermKey(text: text, kind: kind)] = slot }
            canonical = table
        }
        let key = TermKey(text: text, kind: kind)
        if let i = canonical![key] {
            byBytes.insert(text, kind: kind, hash: hash, value: i)
            return i
        }
        canonical![key] = next
        byBytes.insert(text, kind: kind, hash: hash, value: next)
        return nil
    }

    /// Makes `value` the slot of `text` as `kind`, replacing the slot of every key canonically
    /// equal to it (as assigning to a dictionary keyed by `TermKey` does).
    package mutating func set(_ text: String, kind: TermKind, to value: Int) {
        guard let old = slot(of: text, kind: kind, insertingIfAbsent: value), old != value else { return }
        // Another value for a key already present: every spelling of it now names `value`.
        byBytes.replaceValues(old, with: value)
        if canonical != nil {
            for (key, slot) in canonical! where slot == old { canonical![key] = value }
        }
    }

    /// Whether `text` is made only of ASCII and the CJK Unified Ideographs (U+4E00–U+9FFF, and
    /// Extension A, U+3400–U+4DBF): scalars without canonical decomposition and of combining
    /// class 0 that compose with nothing, so the text is its own NFD and NFC, and it is
    /// canonically equal to another such text only when their bytes are equal.
    @inline(__always)
    package static func isTriviallyCanonical(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            var i = 0
            let n = utf8.count
            while i < n {
                let b = utf8[i]
                if b < 0x80 { i += 1; continue }
                // Three-byte sequences E3 90 80 (U+3400) … E9 BF BF (U+9FFF).
                guard b >= 0xE3, b <= 0xE9, i + 2 < n else { return false }
                let v = UInt32(b & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F)
                guard (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) else { return false }
                i += 3
            }
            return true
        }
    }
}

/// An open-addressing table from a term's UTF-8 bytes and kind to an index. The hash is a
/// multiplication per eight bytes and the comparison one `memcmp`: a Swift dictionary keyed by
/// the bytes (`UTF8TermKey`, before) hashed every probe with SipHash, about a tenth of a
/// microsecond per long term of every document and per term id the index writer looked up.
package struct UTF8TermTable {
    private struct Entry {
        /// 0: an empty slot (`hash` never returns 0).
        var hash: UInt64 = 0
        var text: String = ""
        var kind: TermKind = .word
        var value: Int = 0
    }
    private var entries: [Entry] = []
    private var mask = -1
    package private(set) var count = 0

    package init() {}

    /// The hash of `text`'s bytes and `kind`, never 0.
    @inline(__always)
    package static func hash(_ text: String, kind: TermKind) -> UInt64 {
        var text = text
        let tag: UInt64 = switch kind { case .word: 1; case .number: 2; case .latin: 3; case .formula: 4 }
        return text.withUTF8 { bytes -> UInt64 in
            let n = bytes.count
            var h = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(n) << 8 | tag)
            var i = 0
            let raw = UnsafeRawBufferPointer(bytes)
            while i + 8 <= n {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 31
                i += 8
            }
            if i < n {
                var last: UInt64 = 0
                for k in i..<n { last |= UInt64(bytes[k]) << (8 * UInt64(k - i)) }
                h = (h ^ last) &* 0x94D0_49BB_1331_11EB
                h ^= h >> 29
            }
            h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
            h ^= h >> 32
            return h == 0 ? 1 : h
        }
    }

    /// Whether two strings have the same UTF-8 bytes. Swift's `==` compares canonically,
    /// normalizing non-ASCII text on the way; byte-equal strings are canonically equal.
    @inline(__always)
    package static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }

    /// The value of `text` as `kind` (`hash`: `hash(text, kind:)`), or nil.
    @inline(__always)
    package func value(of text: String, kind: TermKind, hash: UInt64) -> Int? {
        guard count > 0 else { return nil }
        return entries.withUnsafeBufferPointer { entries in
            var i = Int(truncatingIfNeeded: hash) & mask
            while entries[i].hash != 0 {
                if entries[i].hash == hash && entries[i].kind == kind && Self.sameBytes(entries[i].text, text) { return entries[i].value }
                i = (i + 1) & mask
            }
            return nil
        }
    }

    /// Stores `value` for `text` as `kind`, which the table must not hold.
    package mutating func insert(_ text: String, kind: TermKind, hash: UInt64, value: Int) {
        if (count + 1) * 2 > mask + 1 { grow() }
        let mask = self.mask
        entries.withUnsafeMutableBufferPointer { entries in
            var i = Int(truncatingIfNeeded: hash) & mask
            while entries[i].hash != 0 { i = (i + 1) & mask }
            entries[i] = Entry(hash: hash, text: text, kind: kind, value: value)
        }
        count += 1
    }

    /// Every value `old` becomes `new`.
    package mutating func replaceValues(_ old: Int, with new: Int) {
        for i in entries.indices where entries[i].hash != 0 && entries[i].value == old { entries[i].value = new }
    }

    /// Calls `body` with each key and value.
    package func forEach(_ body: (String, TermKind, Int) -> Void) {
        for e in entries where e.hash != 0 { body(e.text, e.kind, e.value) }
    }

    private mutating func grow() {
        let old = entries
        let size = max(64, (mask + 1) * 2)
        entries = Array(repeating: Entry(), count: size)
        mask = size - 1
        count = 0
        for e in old where e.hash != 0 { insert(e.text, kind: e.kind, hash: e.hash, value: e.value) }
    }
}
