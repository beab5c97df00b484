/// A set of short sequences of scalar values (folded text keys) that answers "which entries
/// start or end this slice" without building an Array per probe: entries are filed under a
/// 64-bit hash of their values, computed over the slice in place, and confirmed element by
/// element. Discovery asks it several times per candidate position, so the arrays a
/// `Set<[UInt32]>` probe needs were its largest cost (measured on `FuzzFormulas`, 2026-11-30).
struct ScalarSequenceSet: Sendable {
    private var buckets: [UInt64: [[UInt32]]] = [:]
    /// The length of the longest entry.
    private(set) var longest = 0
    private(set) var count = 0

    init() {}

    @inline(__always) private static func mix(_ h: UInt64, _ v: UInt32) -> UInt64 {
        (h ^ UInt64(v)) &* 0x0000_0100_0000_01B3
    }
    private static let basis: UInt64 = 0xCBF2_9CE4_8422_2325

    private static func hash<C: Collection>(_ values: C) -> UInt64 where C.Element == UInt32 {
        values.reduce(basis, mix)
    }

    /// Adds `key`; returns whether it was new.
    @discardableResult
    mutating func insert(_ key: [UInt32]) -> Bool {
        let h = Self.hash(key)
        if buckets[h]?.contains(key) == true { return false }
        buckets[h, default: []].append(key)
        longest = max(longest, key.count)
        count += 1
        return true
    }

    func contains<C: Collection>(_ key: C) -> Bool where C.Element == UInt32 {
        guard key.count <= longest, let bucket = buckets[Self.hash(key)] else { return false }
        return bucket.contains { $0.elementsEqual(key) }
    }

    /// The length of the longest entry that starts `key` (0: none), at most `limit`.
    func longestPrefix(of key: ArraySlice<UInt32>, limit: Int = .max) -> Int {
        let n = min(longest, key.count, limit)
        guard n > 0 else { return 0 }
        var best = 0
        var h = Self.basis
        var length = 0
        for v in key[key.startIndex..<(key.startIndex + n)] {
            h = Self.mix(h, v)
            length += 1
            if let bucket = buckets[h], bucket.contains(where: { $0.elementsEqual(key[key.startIndex..<(key.startIndex + length)]) }) {
                best = length
            }
        }
        return best
    }

    /// Whether an entry ends `key`.
    func containsSuffix(of key: ArraySlice<UInt32>) -> Bool {
        let n = min(longest, key.count)
        guard n > 0 else { return false }
        for length in 1...n where contains(key[(key.endIndex - length)...]) { return true }
        return false
    }
}
