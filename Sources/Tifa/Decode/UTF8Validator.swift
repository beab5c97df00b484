/// A UTF-8 decoder that replaces each maximal invalid subsequence with U+FFFD (the practice
/// Unicode recommends and Swift's String follows) and reports where each one starts.
struct UTF8Validator {
    /// Invalid sequences in `bytes` (count 0 for valid UTF-8), each as one U+FFFD would replace
    /// it, and the offset of the first.
    static func invalidSequences(in bytes: UnsafeBufferPointer<UInt8>) -> (count: Int, first: Int?) {
        // ASCII lines (most of a JSON record's bytes) need no decoding.
        if !bytes.contains(where: { $0 >= 0x80 }) { return (0, nil) }
        var count = 0, first: Int?
        var counter = ScalarCounter()
        _ = UTF8Validator().decode(bytes, isFinal: true, into: &counter) { offset in
            if count == 0 { first = offset }
            count += 1
        }
        return (count, first)
    }

    /// Decodes `bytes` into `out` (which must hold `bytes.count` scalars): the hot path, with no
    /// closure per character. Returns (bytes consumed, scalars written); invalid sequences are
    /// reported through `invalid` with their offset in `bytes`.
    @inline(__always)
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, isFinal: Bool, into out: UnsafeMutablePointer<UInt32>,
                invalid: (Int) -> Void) -> (consumed: Int, written: Int) {
        var sink = ScalarWriter(out: out)
        let consumed = decode(bytes, isFinal: isFinal, into: &sink, invalid: invalid)
        return (consumed, sink.count)
    }

    /// Where decoded scalars go (`ScalarWriter`).
    protocol Sink {
        mutating func put(_ scalar: UInt32)
    }

    struct ScalarWriter: Sink {
        let out: UnsafeMutablePointer<UInt32>
        var count = 0
        @inline(__always)
        mutating func put(_ scalar: UInt32) { out[count] = scalar; count += 1 }
    }

    /// A `ScalarWriter` that also counts the scalars above ASCII (detection's counts), in the
    /// same pass instead of reading the written scalars again.
    struct CountingScalarWriter: Sink {
        let out: UnsafeMutablePointer<UInt32>
        var count = 0
        var nonASCII = 0
        @inline(__always)
        mutating func put(_ scalar: UInt32) {
            out[count] = scalar; count += 1
            nonASCII &+= scalar >= 0x80 ? 1 : 0
        }
    }

    /// Counts scalars, and those above ASCII, without writing them.
    struct ScalarCounter: Sink {
        var count = 0
        var nonASCII = 0
        @inline(__always)
        mutating func put(_ scalar: UInt32) {
            count += 1
            nonASCII &+= scalar >= 0x80 ? 1 : 0
        }
    }

    /// `decode` into any sink; returns the bytes consumed.
    @inline(__always)
    func decode<S: Sink>(_ bytes: UnsafeBufferPointer<UInt8>, isFinal: Bool, into out: inout S,
                         invalid: (Int) -> Void) -> Int {
        let n = bytes.count
        var i = 0
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { out.put(UInt32(b0)); i += 1; continue }
            // Well-formed three-byte sequences (all of CJK) take the short path.
            if b0 >= 0xE1 && b0 <= 0xEC && i + 2 < n {
                let b1 = bytes[i + 1], b2 = bytes[i + 2]
                if b1 & 0xC0 == 0x80 && b2 & 0xC0 == 0x80 {
                    out.put((UInt32(b0 & 0x0F) << 12) | (UInt32(b1 & 0x3F) << 6) | UInt32(b2 & 0x3F))
                    i += 3; continue
                }
            }
            var need = 0
            var value: UInt32 = 0
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: need = 1; value = UInt32(b0 & 0x1F)
            case 0xE0: need = 2; value = 0; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2; value = UInt32(b0 & 0x0F)
            case 0xED: need = 2; value = 0x0D; upper = 0x9F
            case 0xF0: need = 3; value = 0; lower = 0x90
            case 0xF1...0xF3: need = 3; value = UInt32(b0 & 0x07)
            case 0xF4: need = 3; value = 4; upper = 0x8F
            default:
                invalid(i); out.put(0xFFFD); i += 1; continue
            }
            var j = 1
            var ok = true
            while j <= need {
                if i + j >= n {
                    if !isFinal { return i }  // wait for more bytes
                    ok = false; break
                }
                let b = bytes[i + j]
                let lo: UInt8 = j == 1 ? lower : 0x80
                let hi: UInt8 = j == 1 ? upper : 0xBF
                if b < lo || b > hi { ok = false; break }
                value = (value << 6) | UInt32(b & 0x3F)
                j += 1
            }
            if ok {
                out.put(value)
                i += need + 1
            } else {
                invalid(i); out.put(0xFFFD)
                i += j
            }
        }
        return n
    }
}
