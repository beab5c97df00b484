import Foundation

/// The small thread-safe pieces `IndexBuilder`'s pipeline (reader, analysis workers, one writer)
/// is made of.
/// A blocking FIFO with a capacity, so a fast producer cannot fill memory.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var closed = false
    private var consumerDone = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func push(_ item: Element) {
        condition.lock()
        while items.count >= capacity && !consumerDone { condition.wait() }
        if !consumerDone { items.append(item) }
        condition.broadcast()
        condition.unlock()
    }

    /// The next element, or nil once the queue is closed and empty.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if items.isEmpty { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the consumer when it has drained the queue.
    func finished() {
        condition.lock()
        consumerDone = true
        condition.broadcast()
        condition.unlock()
    }

    func waitUntilFinished() {
        condition.lock()
        while !consumerDone { condition.wait() }
        condition.unlock()
    }
}

final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    var isSet: Bool { lock.withLock { stored != nil } }
    var error: Error? { lock.withLock { stored } }
    func set(_ error: Error) { lock.withLock { if stored == nil { stored = error } } }
}

final class ReportBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: IndexBuildReport
    init(_ value: IndexBuildReport) { self.value = value }
    var report: IndexBuildReport { lock.withLock { value } }
    func update(_ body: (inout IndexBuildReport) -> Void) { lock.withLock { body(&value) } }
}

/// Hands a value to exactly one other thread.
final class UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.withLock { defer { value += 1 }; return value } }
}

final class ResultSlots: @unchecked Sendable {
    private(set) var values: [[IndexBuilder.Outcome]]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: [], count: count) }
    func set(_ i: Int, _ value: [IndexBuilder.Outcome]) { lock.withLock { values[i] = value } }
}
