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

    package init?(_ scalars: ArraySlice<Unicode.Scalar>, kind: TermKind) {
        guard scalars.count <= Self.capacity else { return nil }
        var low: UInt64 = 0, high: UInt64 = 0
        for (i, s) in scalars.enumerated() {
            if i < 3 { low |= UInt64(s.value) << (21 * UInt64(i)) } else { high |= UInt64(s.value) << (21 * UInt64(i - 3)) }
        }
        let tag: UInt64 = switch kind { case .word: 0; case .number: 1; case .latin: 2; case .formula: 3 }
        self.low = low
        self.high = high | (UInt64(scalars.count) << 42) | (tag << 45)
    }
}

/// An open-addressing map from `PackedTerm` to an index, cleared in O(1) by a generation stamp
/// and reused across documents: Swift's dictionary hashed every token with SipHash and was
/// rebuilt per document.
package struct PackedTermTable {
    private var low: [UInt64] = []
    private var high: [UInt64] = []
    private var values: [Int] = []
    private var stamps: [UInt32] = []
    private var generation: UInt32 = 1
    private var mask = -1
    package private(set) var count = 0

    package init() { grow(to: 1024) }

    /// Forgets every key (the storage is kept).
    package mutating func removeAll() {
        count = 0
        generation &+= 1
        if generation == 0 {
            for i in stamps.indices { stamps[i] = 0 }
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
    package func value(of key: PackedTerm) -> Int? {
        var i = Self.slot(key, mask)
        while stamps[i] == generation {
            if low[i] == key.low && high[i] == key.high { return values[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// The value of `key`; when absent, stores `value` for it and returns `value`.
    @inline(__always)
    package mutating func index(of key: PackedTerm, insertingIfAbsent value: Int) -> Int {
        if (count + 1) * 2 > stamps.count { grow(to: stamps.count * 2) }
        var i = Self.slot(key, mask)
        while stamps[i] == generation {
            if low[i] == key.low && high[i] == key.high { return values[i] }
            i = (i + 1) & mask
        }
        stamps[i] = generation
        low[i] = key.low
        high[i] = key.high
        values[i] = value
        count += 1
        return value
    }

    package mutating func set(_ key: PackedTerm, _ value: Int) {
        _ = index(of: key, insertingIfAbsent: value)
    }

    private mutating func grow(to size: Int) {
        let old = (low, high, values, stamps, generation)
        low = Array(repeating: 0, count: size)
        high = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: size)
        stamps = Array(repeating: 0, count: size)
        mask = size - 1
        generation = 1
        count = 0
        for i in old.3.indices where old.3[i] == old.4 {
            _ = index(of: PackedTerm(low: old.0[i], high: old.1[i]), insertingIfAbsent: old.2[i])
        }
    }
}
