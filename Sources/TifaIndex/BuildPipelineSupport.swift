import Foundation
import Tifa

/// The small thread-safe pieces `IndexBuilder`'s pipeline (reader, analysis workers, one writer)
/// is made of, besides `BoundedQueue` and `startThread` (shared with `tifa segment`, in Tifa).
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

/// One batch on its way through the workers: each item's outcomes in its slot, and a wait for
/// the writer until every slot is filled.
final class BatchInProgress: @unchecked Sendable {
    let batch: IndexBuilder.Batch
    private var slots: [[IndexBuilder.Outcome]]
    private var remaining: Int
    private let condition = NSCondition()

    init(_ batch: IndexBuilder.Batch) {
        self.batch = batch
        slots = Array(repeating: [], count: batch.items.count)
        remaining = batch.items.count
    }

    func set(_ i: Int, _ value: [IndexBuilder.Outcome]) {
        condition.lock()
        slots[i] = value
        remaining -= 1
        if remaining == 0 { condition.broadcast() }
        condition.unlock()
    }

    /// The outcomes in item order, once every item is done.
    func waitForOutcomes() -> [[IndexBuilder.Outcome]] {
        condition.lock()
        defer { condition.unlock() }
        while remaining > 0 { condition.wait() }
        return slots
    }
}

/// Hands the items of the reader's batches to the workers one at a time, across batch
/// boundaries: a worker that finishes early takes the next batch's first item instead of
/// waiting for the slowest document of its batch. With a barrier per batch, a worker
/// descheduled by other work on its core held the other one up, and two threads were no faster
/// than one on a loaded machine (DESIGN §6). Each batch is passed on to `started` (in input
/// order) when its first item is handed out, so the writer waits for it there.
final class ItemDispenser: @unchecked Sendable {
    private let lock = NSLock()
    private let batches: BoundedQueue<IndexBuilder.Batch>
    let started: BoundedQueue<BatchInProgress>
    private var current: BatchInProgress?
    private var next = 0
    private var exhausted = false

    /// `inFlight`: batches started but not yet taken by the writer, which bounds memory.
    init(batches: BoundedQueue<IndexBuilder.Batch>, inFlight: Int) {
        self.batches = batches
        started = BoundedQueue(capacity: inFlight)
    }

    /// The next item to work on, or nil once the reader is done and every item is handed out.
    func take() -> (batch: BatchInProgress, index: Int)? {
        lock.lock()
        defer { lock.unlock() }
        while !exhausted {
            if let current, next < current.batch.items.count {
                next += 1
                return (current, next - 1)
            }
            guard let batch = batches.pop() else {
                exhausted = true
                current = nil
                started.close()
                break
            }
            let inProgress = BatchInProgress(batch)
            started.push(inProgress)
            current = inProgress
            next = 0
        }
        return nil
    }
}
