import Foundation

/// Installs `handler` for `signal` with an empty mask and no flags: the one way Tifa's cleanup
/// (temporary index files) and memory-limit messages hook into signals.
func installSignalHandler(_ signal: Int32, _ handler: @escaping @convention(c) (Int32) -> Void) {
    _ = installAction(signal, flags: 0) { action in
        #if os(Linux)
        action.__sigaction_handler.sa_handler = handler
        #else
        action.__sigaction_u.__sa_handler = handler
        #endif
    }
}

/// Installs `handler` for `signal` with `SA_SIGINFO` (the handler learns the faulting address)
/// and returns the action it replaced, to hand faults it does not own back to.
func installFaultHandler(
    _ signal: Int32,
    _ handler: @escaping @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void
) -> sigaction {
    installAction(signal, flags: SA_SIGINFO) { action in
        #if os(Linux)
        action.__sigaction_handler.sa_sigaction = handler
        #else
        action.__sigaction_u.__sa_sigaction = handler
        #endif
    }
}

/// Installs the action `setHandler` fills in, with an empty mask and `flags`; returns the
/// action it replaced.
private func installAction(_ signal: Int32, flags: Int32, _ setHandler: (inout sigaction) -> Void) -> sigaction {
    var action = sigaction()
    setHandler(&action)
    sigemptyset(&action.sa_mask)
    action.sa_flags = flags
    var previous = sigaction()
    sigaction(signal, &action, &previous)
    return previous
}

/// The address a SIGSEGV or SIGBUS was raised for.
func faultAddress(_ info: UnsafeMutablePointer<siginfo_t>) -> UnsafeMutableRawPointer? {
    #if os(Linux)
    info.pointee._sifields._sigfault.si_addr
    #else
    info.pointee.si_addr
    #endif
}
