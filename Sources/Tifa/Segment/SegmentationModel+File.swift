import Foundation

/// Reading and writing model files (format in `Dictionaries/README.md`); the designated
/// initializer that checks a file and builds the tables is in the class itself.
extension SegmentationModel {
    /// The default model, `Dictionaries/segmentation_model.bin`.
    public static func shippedURL() throws -> URL { try DataFiles.dictionary("segmentation_model.bin") }

    /// Loads a model file (format in `Dictionaries/README.md`). Throws `DataFileError` naming
    /// the file for one that is missing, truncated, of another format or version, or corrupt.
    public convenience init(contentsOf url: URL) throws {
        try self.init(data: try Self.fileData(url), url: url)
    }

    /// The bytes of the model file at `url`; `DataFileError` naming it when it cannot be read.
    static func fileData(_ url: URL) throws -> Data {
        let data = try DataFiles.contents(ofDataFile: url)
        guard !data.isEmpty else { throw DataFileError(file: url.path, line: nil, message: "is empty (expected a model file written by `tifa train`)") }
        return data
    }

    /// A fast checksum (64-bit multiply–xor over 8-byte words), enough to catch truncation and
    /// damage; not cryptographic. A model file ends with the checksum of all its other bytes
    /// (Dictionaries/README.md); public for tools that write or repair such files (`Fuzz/FuzzModel`).
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        while i < bytes.count {
            h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        return h
    }
}

/// Little-endian reads from a model file, each failing with "truncated" past the end.
struct ModelFileReader {
    let data: Data
    var offset = 0

    mutating func take(_ n: Int, _ fail: (String) -> DataFileError) throws -> Int {
        guard n >= 0, offset + n <= data.count - 8 else { throw fail("is truncated (at byte \(offset))") }
        defer { offset += n }
        return offset
    }

    mutating func u32(_ fail: (String) -> DataFileError) throws -> UInt32 {
        let at = try take(4, fail)
        return UInt32(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt32.self) })
    }

    mutating func u64(_ fail: (String) -> DataFileError) throws -> UInt64 {
        let at = try take(8, fail)
        return UInt64(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt64.self) })
    }

    mutating func i16(_ fail: (String) -> DataFileError) throws -> Int16 {
        let at = try take(2, fail)
        return Int16(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: Int16.self) })
    }

    mutating func array<T: FixedWidthInteger>(_ count: Int, _ fail: (String) -> DataFileError) throws -> [T] {
        let at = try take(count * MemoryLayout<T>.size, fail)
        return data.withUnsafeBytes { raw in
            (0..<count).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: at + $0 * MemoryLayout<T>.size, as: T.self)) }
        }
    }

    mutating func i16s(_ count: Int, _ fail: (String) -> DataFileError) throws -> [Int16] { try array(count, fail) }
    mutating func u16s(_ count: Int, _ fail: (String) -> DataFileError) throws -> [UInt16] { try array(count, fail) }
    mutating func u32s(_ count: Int, _ fail: (String) -> DataFileError) throws -> [UInt32] { try array(count, fail) }
}

/// Little-endian writes for a model file.
struct ModelFileWriter {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append<T: FixedWidthInteger>(contentsOf values: [T]) {
        bytes.reserveCapacity(bytes.count + values.count * MemoryLayout<T>.size)
        for v in values { append(v) }
    }

    /// The bytes with their checksum appended.
    func finished() -> [UInt8] {
        var out = bytes
        let sum = bytes.withUnsafeBytes { SegmentationModel.checksum($0) }
        withUnsafeBytes(of: sum.littleEndian) { out.append(contentsOf: $0) }
        return out
    }
}
