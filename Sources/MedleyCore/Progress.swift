/// One progress event of a long-running task.
public struct ProgressEvent: Sendable, Equatable {
    /// What is being done ("decode", "transcribe").
    public var stage: String
    /// Work done so far, in ``unit``.
    public var completed: Double
    /// Total work in ``unit``, when known.
    public var total: Double?
    /// The unit of `completed` and `total` ("s" of media, "frames", "files").
    public var unit: String

    public init(stage: String, completed: Double, total: Double?, unit: String) {
        self.stage = stage
        self.completed = completed
        self.total = total
        self.unit = unit
    }

    /// `completed / total` clamped to [0, 1], or nil when the total is unknown.
    public var fraction: Double? {
        guard let total, total > 0 else { return nil }
        return min(1, max(0, completed / total))
    }
}

/// Receives progress from long work. The CLI renders it as a bar on stderr; the server will stream it as
/// events. Implementations must be cheap and thread-safe: tasks may call ``report(_:)`` from any thread,
/// often (they are expected to throttle only by meaningful units such as decoded chunks).
public protocol ProgressReporter: Sendable {
    func report(_ event: ProgressEvent)
}

/// A reporter that ignores every event.
public struct SilentProgress: ProgressReporter {
    public init() {}
    public func report(_ event: ProgressEvent) {}
}
