import Foundation

/// Running under an address-space limit (`ulimit -v`): what Tifa does so that running out of
/// memory ends with one line naming the limit, not a crash trace.
///
/// Swift cannot recover from a failed allocation (the runtime prints "Fatal error: failed to
/// allocate" and aborts), so when a limit is set `install` replaces the abort handler: it removes
/// the temporary files of writers in progress (`FileReplacement`), prints the message prepared
/// here and exits with status 1. It also caps glibc's malloc arenas at two, because each arena
/// reserves 64 MB of address space and a process with a few threads would otherwise spend most
/// of a modest limit on reservations it never touches. (An abort for another reason — a bug —
/// under a limit gets the same message; without a limit Swift's own report is left alone.)
///
/// Not every allocation failure is an abort: the Swift runtime does not check some of its own
/// (instantiating a generic type's witness table on first use, seen in `IndexBuilder`'s worker
/// threads under `ulimit -v 120 MB` with four threads) and writes through the null pointer. So
/// under a limit a segmentation fault or bus error *inside the first 64 KiB of the address space*
/// gets the same message; any other fault is handed back to the handler it replaced (Swift's
/// backtracer), so a wild pointer still shows as the bug it is.
public enum MemoryLimit {
    nonisolated(unsafe) fileprivate static var message: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) fileprivate static var messageLength = 0

    /// The limit in bytes, nil when there is none.
    public static var addressSpaceLimit: UInt64? {
        var limit = rlimit()
        #if os(Linux)
        let resource = __rlimit_resource_t(RLIMIT_AS.rawValue)
        #else
        let resource = RLIMIT_AS
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }  // RLIM_INFINITY
        return UInt64(limit.rlim_cur)
    }

    /// Added to any error under a limit: libraries (ICU) fail in their own words when an
    /// allocation or a mapping is refused.
    public static var hint: String {
        guard let limit = addressSpaceLimit else { return "" }
        return " (under the address-space limit ulimit -v \(limit >> 10) KiB, \(limit >> 20) MB: it may be too low)"
    }

    /// - Parameters:
    ///   - command: what is running (`tifa index build`).
    ///   - unchanged: the file the user named that is left as it was (the `--db`), if any.
    public static func install(command: String, unchanged: String?) {
        guard let limit = addressSpaceLimit else { return }
        #if os(Linux)
        // mallopt(M_ARENA_MAX = -8, 2); <malloc.h> is not part of Swift's Glibc module.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: Mallopt.self)(-8, 2)
        }
        #endif
        var text = "tifa: error: \(command) ran out of memory under the address-space limit (ulimit -v \(limit >> 10) KiB, \(limit >> 20) MB)"
        if let unchanged { text += "; \(unchanged) is unchanged" }
        text += "; raise the limit (README, \"Memory\", lists what each command needs)\n"
        message = strdup(text)
        messageLength = text.utf8.count
        installSignalHandler(SIGABRT, handleAbort)
        for signal in [SIGSEGV, SIGBUS] { replacedFaultHandlers[Int(signal)] = installFaultHandler(signal, handleFault) }
    }

    /// The handlers `install` replaced for SIGSEGV and SIGBUS, by signal number.
    nonisolated(unsafe) fileprivate static var replacedFaultHandlers: [sigaction?] = Array(repeating: nil, count: 32)
}

private func handleAbort(_ number: Int32) {
    SignalCleanup.removeAll()
    if let message = MemoryLimit.message { _ = write(2, message, MemoryLimit.messageLength) }
    _exit(1)
}

/// A write or read through a null pointer (plus a small offset) under a limit is an allocation
/// nobody checked; anything else goes back to the handler that was there before: returning
/// re-runs a faulting instruction under it, and a signal someone sent is raised again.
private func handleFault(_ number: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    // si_code > 0: raised by the kernel for this access, not sent by kill(2) (whose si_addr
    // field holds a process id instead).
    if let info, info.pointee.si_code > 0, UInt(bitPattern: faultAddress(info)) < 1 << 16 { handleAbort(number) }
    if var previous = MemoryLimit.replacedFaultHandlers[Int(number)] {
        sigaction(number, &previous, nil)
    } else {
        signal(number, SIG_DFL)
    }
    // A signal sent by kill(2) does not come back by itself when the handler returns.
    if let info, info.pointee.si_code <= 0 { raise(number) }
}
