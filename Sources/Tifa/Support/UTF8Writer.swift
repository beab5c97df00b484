/// Encodes Unicode scalars as UTF-8 into a byte array, without a closure or an exclusivity check
/// per byte: the shared fast path for building Strings and writing output.
package enum UTF8Writer {
    @inlinable
    public static func append<S: Collection>(_ scalars: S, to bytes: inout [UInt8]) where S.Element == Unicode.Scalar {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: scalars.count * 4))
        let count = bytes.withUnsafeMutableBufferPointer { encode(scalars, into: $0, at: start) }
        bytes.removeLast(bytes.count - count)
    }

    /// `append` of an array's scalars, compiled here: the generic `append` called from another
    /// module (`tifa normalize`'s output) ran unspecialized, with a witness call per scalar, and
    /// took 40 % of the command's time.
    package static func append(_ scalars: ArraySlice<Unicode.Scalar>, to bytes: inout [UInt8]) {
        scalars.withUnsafeBufferPointer { append($0, to: &bytes) }
    }

    /// The scalars as a String, encoded in place: up to 15 UTF-8 bytes (five Chinese characters)
    /// make a small string, which allocates nothing. `String(String.UnicodeScalarView(scalars))`
    /// appends scalar by scalar, several times slower.
    @inlinable
    public static func string<S: Collection>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        String(unsafeUninitializedCapacity: scalars.count * 4) { encode(scalars, into: $0, at: 0) }
    }

    /// Writes the scalars' UTF-8 into `out` from `start` (room for 4 bytes a scalar); returns
    /// the end of what was written.
    @inlinable
    public static func encode<S: Collection>(_ scalars: S, into out: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int
    where S.Element == Unicode.Scalar {
        var k = start
        for s in scalars {
            let v = s.value
            if v < 0x80 {
                out[k] = UInt8(v); k += 1
            } else if v < 0x800 {
                out[k] = UInt8(0xC0 | (v >> 6)); out[k + 1] = UInt8(0x80 | (v & 0x3F)); k += 2
            } else if v < 0x10000 {
                out[k] = UInt8(0xE0 | (v >> 12)); out[k + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                out[k + 2] = UInt8(0x80 | (v & 0x3F)); k += 3
            } else {
                out[k] = UInt8(0xF0 | (v >> 18)); out[k + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
                out[k + 2] = UInt8(0x80 | ((v >> 6) & 0x3F)); out[k + 3] = UInt8(0x80 | (v & 0x3F)); k += 4
            }
        }
        return k
    }
}
