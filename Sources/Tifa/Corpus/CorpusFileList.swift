import Foundation

/// The files of a corpus, listed lazily as they are iterated: the inputs in the order given, the
/// files of a folder recursively in the order of their relative paths' Unicode scalars.
///
/// Guarantees: each iteration walks the file system again and yields the files of a folder in
/// exactly the order of sorting all their relative paths (what `CorpusReader` listed before it
/// walked lazily), because each folder's entries are sorted with a folder keyed as its name
/// followed by "/" (see `FolderWalk`). Inputs that do not exist are reported by the initializer.
///
/// Cost: memory holds the sorted entries of the folders on the way down to the current file
/// (their names in one buffer, 16 bytes more an entry), never the whole listing: a corpus of a
/// million files in folders of a thousand holds a few thousand names. Listing a folder of N
/// entries holds N names (about 70 bytes each with the sort's buffer), so a single flat folder
/// of a million files still costs some 70 MB while it is walked. One `readdir` pass and one `lstat` a file, as before.
public struct CorpusFileList: Sequence, Sendable {
    public let inputs: [String]
    /// The file name extensions listed from folders (`CorpusOptions.extensions`).
    public let extensions: Set<String>
    /// What each folder input held, recorded as its walk ends (shared by the copies of the list).
    private let listings = FolderListings()

    /// Checks that every input exists (throws `CorpusError.missingInput` for the first that
    /// does not); "-" or no inputs mean stdin. Nothing is listed yet.
    public init(inputs: [String], options: CorpusOptions = .init()) throws {
        self.inputs = inputs.isEmpty ? ["-"] : inputs
        extensions = options.extensions
        for input in self.inputs where input != "-" {
            guard FileManager.default.fileExists(atPath: input) else { throw CorpusError.missingInput(input) }
        }
    }

    public func makeIterator() -> Iterator { Iterator(self) }

    /// What the folder inputs held, in input order: one listing for each folder input whose walk
    /// has ended (in any iteration; a later walk replaces an earlier one's). Callers report
    /// with it what a folder held but was not read (see `FolderListing`): a folder of .csv or
    /// .docx files gives no document, and without a word about it that would look like an empty
    /// corpus.
    public var folderListings: [FolderListing] { listings.all }

    public struct Iterator: IteratorProtocol {
        private let list: CorpusFileList
        private var nextInput = 0
        private var folder: FolderWalk?
        private var folderInput = (index: 0, path: "")

        init(_ list: CorpusFileList) { self.list = list }

        public mutating func next() -> CorpusFile? {
            while true {
                if folder != nil {
                    if let file = folder!.next() { return file }
                    var listing = FolderListing(folder: folderInput.path, readFiles: folder!.listedFiles, unlisted: folder!.unlisted)
                    (listing.filesWithUndecodableNames, listing.foldersWithUndecodableNames) = folder!.unreadableNames
                    list.listings.record(listing, at: folderInput.index)
                    folder = nil
                }
                guard nextInput < list.inputs.count else { return nil }
                let input = list.inputs[nextInput]
                nextInput += 1
                if input == "-" {
                    return CorpusFile(path: "-", relativePath: "<stdin>", size: 0, modified: Date(timeIntervalSince1970: 0), kind: .stdin)
                }
                var isDirectory: ObjCBool = false
                // An input gone since the initializer checked is listed as a file anyway, so
                // reading it reports it (a skip naming it) instead of losing it in silence.
                if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
                    folder = FolderWalk(root: URL(fileURLWithPath: input).standardizedFileURL.path, extensions: list.extensions)
                    folderInput = (nextInput - 1, input)
                } else {
                    let attributes = try? FileManager.default.attributesOfItem(atPath: input)
                    let ext = URL(fileURLWithPath: input).pathExtension.lowercased()
                    return CorpusFile(path: input, relativePath: input, size: (attributes?[.size] as? NSNumber)?.intValue ?? 0,
                                      modified: attributes?[.modificationDate] as? Date ?? Date(timeIntervalSince1970: 0),
                                      kind: CorpusReader.kind(of: ext))
                }
            }
        }
    }
}

/// What one folder input held: the files read from it and the regular files it holds whose
/// extension is not read from folders (`CorpusOptions.extensions`). Hidden files and symbolic
/// links are not counted: they are never read, by convention; nor are a folder's README,
/// LICENSE and the like (`FolderWalk.isFolderHousekeeping`).
public struct FolderListing: Sendable, Equatable, Codable {
    /// The input as given.
    public var folder: String
    /// Files listed for reading (all of its folders, recursively).
    public var readFiles: Int
    /// Regular files not read, by extension (lowercased, without the dot; "" for a file
    /// without one): the most frequent first, then by extension.
    public var unlisted: [UnlistedFiles]
    /// Files, and folders (not walked), whose names are not UTF-8 and so were not read: GBK names
    /// from a zip archive unpacked on Linux, usually (`convmv -f gbk -t utf-8` renames them).
    public var filesWithUndecodableNames = 0
    public var foldersWithUndecodableNames = 0

    public struct UnlistedFiles: Sendable, Equatable, Codable {
        public var fileExtension: String
        public var count: Int
    }

    public init(folder: String, readFiles: Int, unlisted: [String: Int]) {
        self.folder = folder
        self.readFiles = readFiles
        self.unlisted = unlisted.map { UnlistedFiles(fileExtension: $0.key, count: $0.value) }
            .sorted { ($0.count, $1.fileExtension) > ($1.count, $0.fileExtension) }
    }

    /// Regular files not read.
    public var unlistedCount: Int { unlisted.reduce(0) { $0 + $1.count } }

    /// ".csv ×2, .docx ×1, no extension ×1"; at most `limit` extensions, then "…".
    public func unlistedSummary(limit: Int = 5) -> String {
        var parts = unlisted.prefix(limit).map { ($0.fileExtension.isEmpty ? "no extension" : "." + $0.fileExtension) + " ×\($0.count)" }
        if unlisted.count > limit { parts.append("…") }
        return parts.joined(separator: ", ")
    }
}

/// The listings of a file list's folder inputs, by input index; locked, because a list's copies
/// may be iterated on other threads than the one that reports.
private final class FolderListings: @unchecked Sendable {
    private let lock = NSLock()
    private var byInput: [Int: FolderListing] = [:]

    func record(_ listing: FolderListing, at index: Int) {
        lock.lock(); defer { lock.unlock() }
        byInput[index] = listing
    }

    var all: [FolderListing] {
        lock.lock(); defer { lock.unlock() }
        return byInput.keys.sorted().map { byInput[$0]! }
    }
}

/// A depth-first walk of one folder that yields its regular files in the order of their
/// relative paths' Unicode scalars, holding only the folders on the current path.
///
/// Why sorting each folder's entries gives the global order: two relative paths first differ
/// below the deepest folder F that holds both, in F's entries a ≠ b that they pass through; every
/// path through a (or b) therefore sorts on the same side of every path through b (or a), so each
/// entry's files are contiguous in the global order, and it is enough to order F's entries as
/// the paths through them compare. After F's prefix the paths read "a" (a file) or "a/…" (a
/// folder) against "b" or "b/…". Where a and b differ before either ends, that difference
/// decides both. Where a is a proper prefix of b, the path through a continues with its end (a
/// file: it sorts first) or with "/", compared with b's next scalar, which is never "/". So the
/// key of a file is its name and the key of a folder its name + "/", compared by scalar; names
/// are valid UTF-8, whose bytes compare as their scalars do, so the keys are compared as bytes.
/// (`CorpusReaderTests` compares the walk with the sorted listing on names such as `a-c`, `a/b`,
/// `a.txt`, `ab` and non-ASCII ones.)
///
/// Hidden entries (a name starting with ".") and symbolic links are skipped, folders that cannot
/// be opened too: what `FileManager`'s enumerator with `.skipsHiddenFiles` and
/// `isRegularFileKey` listed, without a URL and a dictionary of resource values per file. A root
/// that is a symbolic link to a folder is listed. A name that is not valid UTF-8 is skipped
/// (the path built from its repaired name could not be opened) and counted, so that callers
/// can say so (`FolderListing.filesWithUndecodableNames`).
struct FolderWalk {
    private let extensions: Set<String>
    private var stack: [Frame] = []
    /// Regular files listed so far.
    private(set) var listedFiles = 0
    /// Regular files left out for their extension, by extension, in the folders listed so far.
    private(set) var unlisted: [String: Int] = [:]
    /// Files and folders left out because their names are not UTF-8.
    private(set) var unreadableNames = (files: 0, folders: 0)

    /// One folder being walked: its entries sorted, names in one buffer.
    private struct Frame {
        var path: String
        var relative: String
        var names: [UInt8] = []
        var entries: [Entry] = []
        var position = 0
    }

    private struct Entry {
        var start: Int
        var length: UInt16
        var isFolder: Bool
        var kind: CorpusFile.Kind = .text
    }

    init(root: String, extensions: Set<String>) {
        self.extensions = extensions
        if let frame = list(folder: root, relative: "") { stack.append(frame) }
    }

    /// The next regular file, in order.
    mutating func next() -> CorpusFile? {
        while let top = stack.indices.last {
            guard stack[top].position < stack[top].entries.count else {
                stack.removeLast()
                continue
            }
            let entry = stack[top].entries[stack[top].position]
            stack[top].position += 1
            let name = stack[top].names.withUnsafeBufferPointer {
                String(decoding: UnsafeBufferPointer(rebasing: $0[entry.start..<(entry.start + Int(entry.length))]), as: UTF8.self)
            }
            let folder = stack[top].path, relative = stack[top].relative
            let path = folder == "/" ? "/" + name : folder + "/" + name
            let child = relative.isEmpty ? name : relative + "/" + name
            if entry.isFolder {
                if let frame = list(folder: path, relative: child) { stack.append(frame) }
                continue
            }
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            listedFiles += 1
            return CorpusFile(path: path, relativePath: child, size: Int(status.st_size), modified: Self.modificationDate(status), kind: entry.kind)
        }
        return nil
    }

    /// The sub-folders and listed files of `folder`, sorted by key (see the type's documentation).
    private mutating func list(folder: String, relative: String) -> Frame? {
        guard let directory = opendir(folder) else { return nil }
        defer { closedir(directory) }
        var frame = Frame(path: folder, relative: relative)
        while let entry = readdir(directory) {
            let kind = entry.pointee.d_type
            withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let length = strnlen(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
                let name = UnsafeRawBufferPointer(rebasing: raw[..<length]).bindMemory(to: UInt8.self)
                guard let first = name.first, first != UInt8(ascii: "."), length <= Int(UInt16.max) else { return }
                let isFolder: Bool
                switch Int32(kind) {
                case Int32(DT_DIR): isFolder = true
                case Int32(DT_REG): isFolder = false
                case Int32(DT_UNKNOWN):
                    // File systems that do not say: ask.
                    var status = stat()
                    let path = (folder == "/" ? "/" : folder + "/") + String(decoding: name, as: UTF8.self)
                    guard lstat(path, &status) == 0 else { return }
                    switch status.st_mode & S_IFMT {
                    case S_IFDIR: isFolder = true
                    case S_IFREG: isFolder = false
                    default: return
                    }
                default: return  // symbolic links, devices, sockets
                }
                guard Self.isValidUTF8(name) else {
                    // Not listed (its path could not be spelled as a String to open it), but counted:
                    // GBK names from a zip archive unpacked on Linux are the usual cause.
                    if isFolder { unreadableNames.folders += 1 } else { unreadableNames.files += 1 }
                    return
                }
                var listed = Entry(start: frame.names.count, length: UInt16(length), isFolder: isFolder)
                if !isFolder {
                    let ext = Self.fileExtension(name)
                    guard extensions.contains(ext) else {
                        if !Self.isFolderHousekeeping(name) { unlisted[ext, default: 0] += 1 }
                        return
                    }
                    listed.kind = CorpusReader.kind(of: ext)
                }
                frame.entries.append(listed)
                frame.names.append(contentsOf: name)
            }
        }
        frame.names.withUnsafeBufferPointer { names in
            frame.entries.sort { Self.precedes($0, $1, names) }
        }
        return frame
    }

    /// Whether `a`'s key (its name, + "/" for a folder) sorts before `b`'s, byte by byte.
    private static func precedes(_ a: Entry, _ b: Entry, _ names: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = Int(min(a.length, b.length))
        let order = memcmp(names.baseAddress! + a.start, names.baseAddress! + b.start, common)
        if order != 0 { return order < 0 }
        // One name is a prefix of the other (or they are equal): compare what follows it, the
        // end of a file's key (-1), the "/" of a folder's, or the longer name's next byte.
        func next(_ e: Entry) -> Int {
            if Int(e.length) > common { return Int(names[e.start + common]) }
            return e.isFolder ? Int(UInt8(ascii: "/")) : -1
        }
        let x = next(a), y = next(b)
        if x != y { return x < y }
        // Both keys end here: the same name twice, which one folder cannot hold.
        return false
    }

    /// Files that describe or belong to a folder rather than hold its texts (README, LICENSE,
    /// Windows' Thumbs.db …): never read from a folder, and not counted as files left unread.
    static func isFolderHousekeeping(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count <= 12 else { return false }
        return housekeepingNames.contains(String(decoding: name, as: UTF8.self).uppercased())
    }

    private static let housekeepingNames: Set<String> = ["README", "LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS",
                                                         "CHANGELOG", "THUMBS.DB", "DESKTOP.INI"]

    /// What follows the last "." of a file name, lowercased ("" for none, or a leading dot only).
    static func fileExtension(_ name: UnsafeBufferPointer<UInt8>) -> String {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot != 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: name[(dot + 1)...]), as: UTF8.self).lowercased()
    }

    private static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if !bytes.contains(where: { $0 >= 0x80 }) { return true }
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// As Foundation computes it (seconds since 2001 first), so an index built by an older Tifa
    /// finds the same modification times.
    static func modificationDate(_ status: stat) -> Date {
        #if canImport(Darwin)
        let time = status.st_mtimespec
        #else
        let time = status.st_mtim
        #endif
        return Date(timeIntervalSinceReferenceDate: TimeInterval(time.tv_sec) - Date.timeIntervalBetween1970AndReferenceDate
                    + TimeInterval(time.tv_nsec) / 1_000_000_000)
    }
}
