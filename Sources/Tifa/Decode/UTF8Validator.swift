/// A UTF-8 decoder that replaces each maximal invalid subsequence with U+FFFD (the practice
/// Unicode recommends and Swift's String follows) and reports where each one starts.
struct UTF8Validator {
    /// Decodes `bytes`; when `isFinal` is false, an incomplete sequence at the end is left
    /// undecoded. Returns the number of bytes consumed.
    @inline(__always)
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, isFinal: Bool,
                scalar emit: (Unicode.Scalar) -> Void, invalid: (Int) -> Void) -> Int {
        let n = bytes.count
        var i = 0
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { emit(Unicode.Scalar(b0)); i += 1; continue }
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
                invalid(i); emit("\u{FFFD}"); i += 1; continue
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
                emit(Unicode.Scalar(value)!)
                i += need + 1
            } else {
                invalid(i); emit("\u{FFFD}")
                i += j  // the maximal subpart consumed so far
            }
        }
        return n
    }

    /// How many valid non-ASCII scalars and how many invalid sequences `bytes` holds.
    func countSequences(_ bytes: UnsafeBufferPointer<UInt8>, isFinal: Bool) -> (valid: Int, invalid: Int) {
        var valid = 0, invalid = 0
        _ = decode(bytes, isFinal: isFinal, scalar: { if $0.value >= 0x80 { valid += 1 } }, invalid: { _ in invalid += 1 })
        return (valid - invalid, invalid)  // each invalid sequence also emitted one U+FFFD
    }
}
