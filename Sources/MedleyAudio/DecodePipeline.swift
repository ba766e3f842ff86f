import Foundation
import MedleyCore

/// Decoding on a thread of its own, overlapped with the analysis on the caller's thread.
///
/// Decoding (and resampling) and analysis are each a few tenths of a second on a 10-minute file; run one after
/// the other on one thread, the second core idles. The producer thread decodes into a bounded queue of chunks
/// (``capacity``, so memory stays flat), the caller analyses them in order as they arrive. Errors on either side
/// stop both and are rethrown; cancelling the caller's task stops the decoder at its next chunk.
final class DecodePipeline: @unchecked Sendable {
    /// Chunks decoded ahead of the analysis at most.
    static let capacity = 4

    private let condition = NSCondition()
    // All below are guarded by `condition`.
    private var ready: [[Float]] = []
    private var spare: [[Float]] = []
    private var produced = false
    private var stopped = false
    private var producerError: (any Error)?
    private var producerDone = false

    /// What the producer hands chunks to.
    struct Sink {
        fileprivate let pipe: DecodePipeline

        /// Queues a copy of `samples` (waiting while the queue is full); throws ``MedleyError/cancelled`` once the
        /// consumer has stopped.
        func emit(_ samples: UnsafeBufferPointer<Float>) throws { try pipe.put(copying: samples) }

        /// Queues `samples` itself, without a copy, and leaves an emptied array from an earlier chunk in its place
        /// (keeping its capacity) for the producer to fill next.
        func hand(_ samples: inout [Float]) throws { try pipe.put(handing: &samples) }
    }

    /// Runs `produce` on a new thread and hands every chunk it queues to `consume` on this one, in order.
    static func run(produce: @escaping @Sendable (Sink) throws -> Void,
                    consume: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        let pipe = DecodePipeline()
        let thread = Thread {
            do {
                try produce(Sink(pipe: pipe))
                pipe.finish(error: nil)
            } catch {
                pipe.finish(error: error)
            }
        }
        thread.name = "medley-decode"
        thread.start()
        do {
            while let chunk = try pipe.take() {
                if Task.isCancelled {
                    pipe.stop()
                    throw MedleyError.cancelled
                }
                try chunk.withUnsafeBufferPointer(consume)
                pipe.recycle(chunk)
            }
        } catch {
            pipe.stop()
            pipe.waitForProducer()
            throw error
        }
        pipe.waitForProducer()
    }

    private func put(copying samples: UnsafeBufferPointer<Float>) throws {
        condition.lock()
        defer { condition.unlock() }
        try waitForRoom()
        var chunk = spare.popLast() ?? []
        chunk.removeAll(keepingCapacity: true)
        chunk.append(contentsOf: samples)
        ready.append(chunk)
        condition.broadcast()
    }

    private func put(handing samples: inout [Float]) throws {
        condition.lock()
        defer { condition.unlock() }
        try waitForRoom()
        var replacement = spare.popLast() ?? []
        replacement.removeAll(keepingCapacity: true)
        swap(&samples, &replacement)
        ready.append(replacement)
        condition.broadcast()
    }

    /// Waits (holding the lock) until the queue has room; throws once the consumer has stopped.
    private func waitForRoom() throws {
        while ready.count >= Self.capacity && !stopped { condition.wait() }
        if stopped { throw MedleyError.cancelled }
    }

    private func finish(error: (any Error)?) {
        condition.lock()
        produced = true
        producerDone = true
        producerError = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk; nil at the end of the stream; rethrows the producer's error.
    private func take() throws -> [Float]? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !produced { condition.wait() }
        if !ready.isEmpty {
            let chunk = ready.removeFirst()
            condition.broadcast()
            return chunk
        }
        if let producerError { throw producerError }
        return nil
    }

    private func recycle(_ chunk: [Float]) {
        condition.lock()
        if spare.count < Self.capacity { spare.append(chunk) }
        condition.unlock()
    }

    private func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func waitForProducer() {
        condition.lock()
        while !producerDone { condition.wait() }
        condition.unlock()
    }
}
