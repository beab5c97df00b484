import CSHA256

/// SHA-256 (FIPS 180-4), for document checksums and dictionary hashes in provenance records.
/// Kept here so the core library needs no crypto package. Cost: ~150–300 MB/s in Swift; with
/// the CPU's SHA instructions (x86 SHA-NI, `CSHA256`), used when present, ~1.5 GB/s: every
/// document's bytes are hashed, which was a twentieth of an index build.
package struct SHA256 {
    private var state: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    private var block: [UInt8] = []
    private var length: UInt64 = 0
    private let hardware: Bool

    /// Which block function hashes.
    package enum Implementation {
        /// The CPU's SHA instructions when it has them, else `portable`.
        case automatic
        /// Swift alone (what the tests compare the hardware path with).
        case portable
    }

    private static let hardwareAvailable = tifa_sha256_hardware_available() != 0

    public init() { self.init(implementation: .automatic) }

    package init(implementation: Implementation) {
        hardware = implementation == .automatic && Self.hardwareAvailable
        block.reserveCapacity(64)
    }

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if let done: Void = bytes.withContiguousStorageIfAvailable({ update(buffer: $0) }) { return done }
        let copy = Array(bytes)
        copy.withUnsafeBufferPointer { update(buffer: $0) }
    }

    /// Hashes whole 64-byte blocks straight from the caller's buffer; only a partial block is copied.
    public mutating func update(buffer: UnsafeBufferPointer<UInt8>) {
        length &+= UInt64(buffer.count)
        var i = 0
        let n = buffer.count
        if !block.isEmpty {
            let take = min(64 - block.count, n)
            block.append(contentsOf: buffer[0..<take])
            i = take
            if block.count == 64 {
                block.withUnsafeBufferPointer { compress($0.baseAddress!) }
                block.removeAll(keepingCapacity: true)
            }
        }
        if hardware && n - i >= 64 {
            let blocks = (n - i) / 64
            state.withUnsafeMutableBufferPointer { tifa_sha256_hardware_compress($0.baseAddress!, buffer.baseAddress! + i, blocks) }
            i += blocks * 64
        }
        while i + 64 <= n {
            compress(buffer.baseAddress! + i)
            i += 64
        }
        if i < n { block.append(contentsOf: buffer[i..<n]) }
    }

    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        block.append(0x80)
        if block.count > 56 {
            while block.count < 64 { block.append(0) }
            block.withUnsafeBufferPointer { compress($0.baseAddress!) }
            block.removeAll(keepingCapacity: true)
        }
        while block.count < 56 { block.append(0) }
        for i in (0..<8).reversed() { block.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        block.withUnsafeBufferPointer { compress($0.baseAddress!) }
        var out: [UInt8] = []
        for word in state { for i in (0..<4).reversed() { out.append(UInt8(truncatingIfNeeded: word >> (UInt32(i) * 8))) } }
        return out
    }

    /// The hex digest of `bytes`.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var h = SHA256()
        h.update(bytes)
        return h.hexDigest()
    }

    public mutating func hexDigest() -> String {
        finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    private mutating func compress(_ p: UnsafePointer<UInt8>) {
        if hardware {
            state.withUnsafeMutableBufferPointer { tifa_sha256_hardware_compress($0.baseAddress!, p, 1) }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                w[i] = UInt32(p[i * 4]) << 24 | UInt32(p[i * 4 + 1]) << 16 | UInt32(p[i * 4 + 2]) << 8 | UInt32(p[i * 4 + 3])
            }
            for i in 16..<64 {
                let s0 = w[i - 15].rotr(7) ^ w[i - 15].rotr(18) ^ (w[i - 15] >> 3)
                let s1 = w[i - 2].rotr(17) ^ w[i - 2].rotr(19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            Self.k.withUnsafeBufferPointer { k in
                state.withUnsafeMutableBufferPointer { st in
                    var a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7]
                    for i in 0..<64 {
                        let s1 = e.rotr(6) ^ e.rotr(11) ^ e.rotr(25)
                        let ch = (e & f) ^ (~e & g)
                        let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
                        let s0 = a.rotr(2) ^ a.rotr(13) ^ a.rotr(22)
                        let maj = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = s0 &+ maj
                        h = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
                    }
                    st[0] &+= a; st[1] &+= b; st[2] &+= c; st[3] &+= d
                    st[4] &+= e; st[5] &+= f; st[6] &+= g; st[7] &+= h
                }
            }
        }
    }
}

private extension UInt32 {
    @inline(__always) func rotr(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 - n)) }
}
