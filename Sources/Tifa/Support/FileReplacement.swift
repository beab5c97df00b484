import Foundation

/// Replaces a file whole, by one writer at a time, so that a reader or a crash sees either the
/// old file or the new one: what `tifa index build` does to an index and `tifa discover --into`
/// to a lexicon.
///
/// - **One writer** (`.exclusive`, the default). `init` takes an exclusive `flock` on `TARGET.lock` (created next to the
///   target and left there: deleting a lock file lets two writers lock two different files).
///   A second writer does not wait: it stops at once with `FileReplacementError.busy`, naming the
///   process that holds the lock. The kernel drops the lock when its process ends, however it ends.
/// - **Temporary copy.** The new content goes to `TARGET.tmp-PID`. Any other `TARGET.tmp-*` found
///   while holding the lock belongs to a writer that died (a live one would hold the lock), and
///   is removed — whether or not its process id has been reused since.
///   `.unlocked` (a command's `-o FILE`) takes no lock and leaves no lock file: two runs writing
///   the same output each replace it whole, the last one wins; stale temporaries stay (without
///   the lock a live writer's cannot be told from a dead one's).
/// - **Signals.** On SIGINT, SIGTERM or SIGHUP the temporary file is removed and the process
///   exits with 128 + the signal, as if killed by it (no trace). SIGKILL cannot be caught: its
///   temporary file is removed by the next writer.
/// - **Commit.** `commit()` fsyncs the temporary file and renames it over the target, then fsyncs
///   the folder. A failed fsync or rename throws and leaves the target as it was.
public final class FileReplacement {
    public let target: String
    public let temporary: String
    private let lockDescriptor: Int32?
    private var committed = false

    /// Whether one writer at a time holds the target.
    public enum Locking: Sendable {
        case exclusive, unlocked
    }

    /// Takes the lock and clears stale temporary files (`.exclusive`). `what` names the file in
    /// messages ("index", "lexicon").
    public init(target: String, what: String, locking: Locking = .exclusive) throws {
        self.target = target
        temporary = "\(target).tmp-\(getpid())"
        guard locking == .exclusive else {
            lockDescriptor = nil
            SignalCleanup.register(temporary)
            return
        }
        let lockPath = "\(target).lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw FileReplacementError(file: target, message: "cannot create the lock file \(lockPath) (\(String(cString: strerror(errno))))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = Self.readHolder(fd)
            close(fd)
            throw FileReplacementError(file: target, message: "another Tifa process\(holder.map { " (pid \($0))" } ?? "") is writing this \(what); "
                + "not waiting for it: run again when it has finished (the lock is \(lockPath))")
        }
        lockDescriptor = fd
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.utf8.count, 0)
        Self.removeStaleTemporaries(of: target)
        SignalCleanup.register(temporary)
    }

    deinit {
        if !committed { unlink(temporary) }
        SignalCleanup.unregister(temporary)
        if let lockDescriptor { close(lockDescriptor) }  // releases the lock
    }

    /// Makes the temporary file durable and renames it over the target.
    public func commit() throws {
        let fd = open(temporary, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw FileReplacementError(file: target, message: "the new content (\(temporary)) cannot be opened to sync it (\(String(cString: strerror(errno)))); \(target) is unchanged")
        }
        let synced = fsync(fd) == 0
        let syncError = errno
        close(fd)
        guard synced else {
            throw FileReplacementError(file: target, message: "the new content (\(temporary)) could not be written to disk (fsync: \(String(cString: strerror(syncError)))); \(target) is unchanged")
        }
        guard rename(temporary, target) == 0 else {
            throw FileReplacementError(file: target, message: "cannot replace it with the new content (rename: \(String(cString: strerror(errno)))); \(target) is unchanged")
        }
        committed = true
        let directory = URL(fileURLWithPath: target).deletingLastPathComponent().path
        let dfd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if dfd >= 0 {
            let ok = fsync(dfd) == 0
            let e = errno
            close(dfd)
            // The rename is done and visible; only its durability across a power loss is in doubt.
            if !ok && e != EINVAL {
                throw FileReplacementError(file: target, message: "was replaced, but its folder could not be synced (fsync: \(String(cString: strerror(e)))); after a power loss it may be the old version")
            }
        }
    }

    /// Temporary files of writers that died: every `TARGET.tmp-*` but this process's own.
    static func removeStaleTemporaries(of target: String) {
        let url = URL(fileURLWithPath: target)
        let directory = url.deletingLastPathComponent().path
        let folder = directory.isEmpty ? "." : directory
        let prefix = url.lastPathComponent + ".tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let own = URL(fileURLWithPath: "\(target).tmp-\(getpid())").lastPathComponent
        for name in names where name.hasPrefix(prefix) && name != own && Int32(name.dropFirst(prefix.count)) != nil {
            unlink(folder + "/" + name)
        }
    }

    private static func readHolder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = pread(fd, &buffer, 15, 0)
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

public struct FileReplacementError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var message: String
    public var description: String { "\(file): \(message)" }
}

/// Removes the registered temporary files when SIGINT, SIGTERM or SIGHUP arrives, then ends the
/// process with that signal's default action (exit status 128 + signal). The handler only calls
/// async-signal-safe functions (`unlink`, `signal`, `raise`) on C strings prepared beforehand.
enum SignalCleanup {
    private static let lock = NSLock()
    /// The registered paths as C strings, replaced whole (never mutated) so that the handler sees
    /// either the old or the new array.
    nonisolated(unsafe) private static var paths: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    nonisolated(unsafe) private static var registered: [String] = []
    nonisolated(unsafe) private static var installed = false

    static func register(_ path: String) {
        lock.withLock {
            registered.append(path)
            publish()
            if !installed {
                installed = true
                for signal in [SIGINT, SIGTERM, SIGHUP] { installSignalHandler(signal, handleSignal) }
            }
        }
    }

    static func unregister(_ path: String) {
        lock.withLock {
            if let i = registered.firstIndex(of: path) { registered.remove(at: i) }
            publish()
        }
    }

    /// Builds a NULL-terminated array of C strings and swaps it in. The old array is leaked on
    /// purpose: a handler running on another thread may still be reading it.
    private static func publish() {
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: registered.count + 1)
        for (i, p) in registered.enumerated() { array[i] = strdup(p) }
        array[registered.count] = nil
        paths = array
    }

    static func removeAll() {
        guard var p = paths else { return }
        while let path = p.pointee {
            unlink(path)
            p += 1
        }
    }
}

private func handleSignal(_ number: Int32) {
    SignalCleanup.removeAll()
    signal(number, SIG_DFL)
    raise(number)
}
