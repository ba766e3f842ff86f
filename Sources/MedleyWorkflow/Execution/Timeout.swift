import Foundation
import MedleyCore

/// Runs `body` with an optional time limit. On timeout the body's task is cancelled and the call throws at
/// once, even when the body ignores cancellation (its task is then left to finish on its own, its result
/// dropped). Cancelling the caller cancels the body too.
func withTimeLimit<T: Sendable>(_ seconds: Double?, nodeID: String,
                                _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let seconds else { return try await body() }
    let once = ResumeOnce<T>()
    let work = Task { try await body() }
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            once.install(continuation)
            let timer = Task {
                try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                if once.resume(with: .failure(MedleyError.invalidArgument(
                    "node '\(nodeID)' timed out after \(JSONValue.format(seconds)) s; raise its \"timeout\" or check its input"))) {
                    work.cancel()
                }
            }
            Task {
                do { once.resume(with: .success(try await work.value)) } catch { once.resume(with: .failure(error)) }
                timer.cancel() // the work ended first: no sleeper is left behind
            }
        }
    } onCancel: {
        work.cancel()
        once.resume(with: .failure(CancellationError()))
    }
}

/// Resumes a continuation exactly once, whichever of several racers comes first.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var pending: Result<T, any Error>?
    private var done = false

    func install(_ continuation: CheckedContinuation<T, any Error>) {
        lock.lock()
        if let pending {
            lock.unlock()
            continuation.resume(with: pending)
            return
        }
        self.continuation = continuation
        lock.unlock()
    }

    /// Returns true when this call was the one that resumed (or will resume) the continuation.
    @discardableResult
    func resume(with result: Result<T, any Error>) -> Bool {
        lock.lock()
        guard !done else { lock.unlock(); return false }
        done = true
        guard let continuation else {
            pending = result
            lock.unlock()
            return true
        }
        self.continuation = nil
        lock.unlock()
        continuation.resume(with: result)
        return true
    }
}
