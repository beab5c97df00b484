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
    private struct Slot {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var value: Int = 0
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
                if slots[i].low == key.low && slots[i].high == key.high { return slots[i].value }
                i = (i + 1) & mask
            }
            return nil
        }
    }

    /// The value of `key`; when absent, stores `value` for it and returns `value`.
    @inline(__always)
    package mutating func index(of key: PackedTerm, insertingIfAbsent value: Int) -> Int {
        if (count + 1) * 2 > mask + 1 { grow(to: max((mask + 1) * 2, 1024)) }
        let mask = self.mask, generation = self.generation
        let (found, inserted) = slots.withUnsafeMutableBufferPointer { slots -> (Int, Bool) in
            var i = Self.slot(key, mask)
            while slots[i].stamp == generation {
                if slots[i].low == key.low && slots[i].high == key.high { return (slots[i].value, false) }
                i = (i + 1) & mask
            }
            slots[i] = Slot(low: key.low, high: key.high, value: value, stamp: generation)
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
            _ = index(of: PackedTerm(low: s.low, high: s.high), insertingIfAbsent: s.value)
        }
    }
}

/// A string and a kind hashed and compared by their UTF-8 bytes: Swift's `String` hashes and
/// compares canonically, normalizing non-ASCII text on the way, which made a dictionary probe
/// for a long term cost more than segmenting it. Byte-equal strings are canonically equal, so a
/// table keyed by this, in front of one keyed by `TermKey`, finds the same entries faster.
package struct UTF8TermKey: Hashable {
    package var text: String
    package var kind: TermKind

    package init(_ text: String, kind: TermKind) {
        self.text = text
        self.kind = kind
    }

    package static func == (a: UTF8TermKey, b: UTF8TermKey) -> Bool {
        a.kind == b.kind && sameBytes(a.text, b.text)
    }

    /// Whether two strings have the same UTF-8 bytes, compared through buffers: comparing the
    /// `utf8` views element by element cost thousands of instructions per term.
    @inline(__always)
    package static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in x.elementsEqual(y) } }
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Slots of terms longer than a packed key (or of formulas), found by their bytes first
/// (`UTF8TermKey`) and by their canonical `TermKey` only when that can find another entry: the
/// same slots a table keyed by `TermKey` alone would give, without hashing canonically on every
/// probe.
///
/// Canonical hashing normalizes the text (a property lookup per scalar), so it is skipped while
/// every key is `triviallyCanonical`: such strings are their own canonical form, so two of them
/// are canonically equal only when byte-equal and the byte table alone decides. The canonical
/// table is built the first time another key comes (a composed letter, a compatibility
/// ideograph) and kept from then on.
package struct TermSlots {
    private var byBytes: [UTF8TermKey: Int] = [:]
    /// nil while every key is trivially canonical.
    private var canonical: [TermKey: Int]?

    package init() {}

    /// The slot of `text` as `kind`; when it has none, `next` becomes its slot and nil is returned.
    package mutating func slot(of text: String, kind: TermKind, insertingIfAbsent next: Int) -> Int? {
        let exact = UTF8TermKey(text, kind: kind)
        if let i = byBytes[exact] { return i }
        if canonical == nil {
            if Self.isTriviallyCanonical(text) {
                byBytes[exact] = next
                return nil
            }
            // Every key so far is trivially canonical and byte-distinct, so one slot each.
            var table = [TermKey: Int](minimumCapacity: byBytes.count + 1)
            for (key, slot) in byBytes { table[TermKey(text: key.text, kind: key.kind)] = slot }
            canonical = table
        }
        let key = TermKey(text: text, kind: kind)
        if let i = canonical![key] {
            byBytes[exact] = i
            return i
        }
        canonical![key] = next
        byBytes[exact] = next
        return nil
    }

    /// Makes `value` the slot of `text` as `kind`, replacing the slot of every key canonically
    /// equal to it (as assigning to a dictionary keyed by `TermKey` does).
    package mutating func set(_ text: String, kind: TermKind, to value: Int) {
        guard let old = slot(of: text, kind: kind, insertingIfAbsent: value), old != value else { return }
        // Another value for a key already present: every spelling of it now names `value`.
        for (key, slot) in byBytes where slot == old { byBytes[key] = value }
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
