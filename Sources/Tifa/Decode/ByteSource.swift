import Foundation

/// Where a document's bytes come from: a file, standard input, or memory.
public protocol ByteSource: AnyObject {
    /// Up to `maxBytes` more bytes; empty at the end.
    func read(maxBytes: Int) throws -> [UInt8]
}

public final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(maxBytes: Int) throws -> [UInt8] {
        let end = min(bytes.count, position + maxBytes)
        defer { position = end }
        return Array(bytes[position..<end])
    }
}

/// Reads a file (or standard input) in blocks through a POSIX file descriptor.
public final class FileByteSource: ByteSource {
    public let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool

    /// Opens `path` for reading. Directories and unreadable files fail with a message that names them.
    public init(path: String) throws {
        var info = stat()
        if stat(path, &info) != 0 {
            throw TextDecodingError.unreadable(file: path, reason: "no such file or directory")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw TextDecodingError.unreadable(file: path, reason: "is a directory")
        }
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            throw TextDecodingError.unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        self.path = path
        self.fd = fd
        self.ownsDescriptor = true
        self.remainingHint = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
    }

    /// Standard input.
    public init(standardInput: Void = ()) {
        self.path = "<stdin>"
        self.fd = 0
        self.ownsDescriptor = false
        self.remainingHint = nil
    }

    /// For a regular file, the bytes not read yet (as of opening), so a small file does not get
    /// a full-size block buffer: many small files are the common corpus.
    private var remainingHint: Int?

    deinit { if ownsDescriptor { close(fd) } }

    public func read(maxBytes requested: Int) throws -> [UInt8] {
        // One byte more than the size at opening, so a file that grew is still read to its end.
        let maxBytes = remainingHint.map { $0 == 0 ? min(requested, 1 << 12) : min(requested, $0 + 1) } ?? min(requested, 1 << 16)
        // Read into an uninitialized array: zeroing a block first cost as much as the read.
        var filled = 0
        let buffer = try [UInt8](unsafeUninitializedCapacity: maxBytes) { buffer, count in
            while filled < maxBytes {
                let n = Foundation.read(fd, buffer.baseAddress! + filled, maxBytes - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw TextDecodingError.unreadable(file: path, reason: String(cString: strerror(errno)))
                }
                if n == 0 { break }
                filled += n
                count = filled
            }
        }
        if let hint = remainingHint { remainingHint = max(0, hint - filled) }
        return buffer
    }
}
