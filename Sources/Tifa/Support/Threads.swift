import CICU
import Foundation

/// The threads of Tifa's pipelines (`index build`, `segment --threads`): started with their
/// result checked, fed through bounded queues.

/// The cores this process may run on: its CPU affinity (`taskset`, `docker --cpuset-cpus`, a
/// batch scheduler's pinning), which `ProcessInfo.activeProcessorCount` ignores. The default
/// thread count of `index build` and `segment`: pinned to one core, two threads only took turns
/// on it (and a one-core benchmark measured them switching).
package var usableCores: Int {
    let pinned = Int(tifa_usable_cores())
    return pinned > 0 ? pinned : ProcessInfo.processInfo.activeProcessorCount
}

/// A blocking FIFO with a capacity, so a fast producer cannot fill memory.
package final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var closed = false
    private var consumerDone = false
    private let capacity: Int

    package init(capacity: Int) { self.capacity = capacity }

    package func push(_ item: Element) {
        condition.lock()
        while items.count >= capacity && !consumerDone { condition.wait() }
        if !consumerDone { items.append(item) }
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, or nil once the queue is closed and empty.
    package func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if items.isEmpty { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    package func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the consumer when it has drained the queue.
    package func finished() {
        condition.lock()
        consumerDone = true
        condition.broadcast()
        condition.unlock()
    }

    package func waitUntilFinished() {
        condition.lock()
        while !consumerDone { condition.wait() }
        condition.unlock()
    }
}

/// A thread the system would not make (`pthread_create` failed: under a low `ulimit -v` its
/// stack cannot be mapped).
package struct ThreadStartError: Error, CustomStringConvertible, Sendable {
    package let description: String
}

/// Starts `body` on a new detached thread with a stack of `stackSize` bytes, or throws when the
/// system cannot make one. Foundation's `Thread.start()` reports nothing when `pthread_create`
/// fails (under a low `ulimit -v` the stack cannot be mapped), and a pipeline waiting for a
/// thread that never ran waited forever.
package func startThread(named name: String, stackSize: Int, _ body: @escaping @Sendable () -> Void) throws {
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setstacksize(&attributes, stackSize)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    let start = Unmanaged.passRetained(ThreadStart(body)).toOpaque()
    #if os(Linux)
    var thread = pthread_t()
    #else
    var thread: pthread_t?
    #endif
    let status = pthread_create(&thread, &attributes, { argument in
        Unmanaged<ThreadStart>.fromOpaque(argument!).takeRetainedValue().body()
        return nil
    }, start)
    if status != 0 {
        Unmanaged<ThreadStart>.fromOpaque(start).release()
        throw ThreadStartError(description: "cannot start the \(name) thread: \(String(cString: strerror(status)))")
    }
}

/// What `startThread` hands the new thread.
private final class ThreadStart {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// Work handed to a `WorkerPool`; `value()` waits until a thread has done it.
package final class PendingWork<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Read by the one thread that runs the work.
    private var work: (() -> Value)?
    private var result: Value?
    private var done = false

    init(_ work: @escaping () -> Value) { self.work = work }

    func run() {
        let value = work!()
        condition.lock()
        work = nil
        result = value
        done = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether `value()` would return at once.
    package var isDone: Bool { condition.withLock { done } }

    package func value() -> Value {
        condition.lock()
        defer { condition.unlock() }
        while !done { condition.wait() }
        return result!
    }
}

/// Threads that take submitted work first come, first served. The caller keeps the order of
/// the results (it asks each `PendingWork` in turn) and bounds how much is submitted at once.
/// A thread that cannot start is not needed: with none running (one thread asked for, or none
/// could be made), `submit` does the work at once on the calling thread, so nothing ever waits
/// for a thread that does not exist (DESIGN §6, "Threads that cannot start").
package final class WorkerPool: @unchecked Sendable {
    private let queue = BoundedQueue<@Sendable () -> Void>(capacity: .max)
    /// The threads that started.
    package private(set) var threads = 0

    /// `threads` new threads, or as many as the system made; `name` names them in errors.
    package init(threads: Int, name: String, stackSize: Int = 8 << 20) {
        let queue = queue
        for _ in 0..<threads {
            do {
                try startThread(named: name, stackSize: stackSize) { while let work = queue.pop() { work() } }
                self.threads += 1
            } catch {
                break
            }
        }
    }

    package func submit<Value>(_ work: @escaping () -> Value) -> PendingWork<Value> {
        let pending = PendingWork(work)
        if threads == 0 { pending.run() } else { queue.push { pending.run() } }
        return pending
    }

    /// The threads end once the work submitted so far is done.
    deinit { queue.close() }
}
