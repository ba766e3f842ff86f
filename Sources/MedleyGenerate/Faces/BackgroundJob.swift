import Foundation

/// Runs one job at a time on a background thread, so that writing one picture (PNG encoding is single-threaded)
/// overlaps generating the next (OpenVINO's threads). At most one job is in flight: the caller collects it with
/// ``wait()`` before starting the next, which bounds memory to one pending picture and keeps results in order.
///
/// Thread-safe for one producer: `start` and `wait` are called from the same task; the job runs on a private queue.
final class BackgroundJob<Output: Sendable>: @unchecked Sendable {
    private let queue = DispatchQueue(label: "medley.generate.background-job")
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var outcome: Result<Output, any Error>?  // guarded by `lock`

    /// Starts `job`. The previous job must have been collected with ``wait()``.
    func start(_ job: @escaping @Sendable () throws -> Output) {
        group.enter()
        queue.async { [self] in
            let result = Result { try job() }
            lock.withLock { outcome = result }
            group.leave()
        }
    }

    /// Waits for the job in flight and returns its output, or rethrows its error; nil when none was started.
    func wait() throws -> Output? {
        group.wait()
        let finished = lock.withLock { () -> Result<Output, any Error>? in
            defer { outcome = nil }
            return outcome
        }
        return try finished?.get()
    }
}
