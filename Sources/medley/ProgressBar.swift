import Foundation
import MedleyCore

/// Renders ``ProgressEvent``s as one self-overwriting line on stderr:
/// `transcribe [#########-----------]  45%  27.0/60.0 s  12.3 s/s  ETA 3s`.
///
/// Draws only when stderr is a terminal (or `force` is set), at most ten times a second, so it costs nothing
/// in pipelines and CI logs. Thread-safe: tasks may report from any thread.
final class ProgressBar: ProgressReporter, @unchecked Sendable {
    private let lock = NSLock()
    private let enabled: Bool
    private let width = 24
    private var startTime: Date?
    private var lastDraw = Date.distantPast
    private var drewSomething = false

    init(force: Bool = false) {
        enabled = force || isatty(STDERR_FILENO) == 1
    }

    func report(_ event: ProgressEvent) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        if startTime == nil { startTime = now }
        let finished = event.fraction.map { $0 >= 1 } ?? false
        guard finished || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + Self.line(for: event, elapsed: now.timeIntervalSince(startTime ?? now), width: width)).utf8))
        drewSomething = true
    }

    /// Ends the bar's line so later output starts on a fresh line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drewSomething { FileHandle.standardError.write(Data("\n".utf8)) }
        drewSomething = false
    }

    /// The text of one bar line; a pure function so it can be tested.
    static func line(for event: ProgressEvent, elapsed: Double, width: Int) -> String {
        var parts = [event.stage]
        let rate = elapsed > 0 ? event.completed / elapsed : 0
        if let fraction = event.fraction, let total = event.total {
            let filled = Int((fraction * Double(width)).rounded(.down))
            parts.append("[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]")
            parts.append(String(format: "%3.0f%%", fraction * 100))
            parts.append(String(format: "%.1f/%.1f %@", event.completed, total, event.unit))
            if rate > 0 {
                parts.append(String(format: "%.1f %@/s", rate, event.unit))
                let remaining = (total - event.completed) / rate
                parts.append("ETA " + formatDuration(remaining))
            }
        } else {
            parts.append(String(format: "%.1f %@", event.completed, event.unit))
            if rate > 0 { parts.append(String(format: "%.1f %@/s", rate, event.unit)) }
        }
        return parts.joined(separator: "  ")
    }

    static func formatDuration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m"
    }
}

/// Runs `body` as a task that Ctrl-C (SIGINT) cancels cooperatively: the task sees `Task.isCancelled`, stops
/// at its next check and throws `CancellationError`, which the CLI reports as "cancelled" (exit code 130).
/// A second Ctrl-C exits at once.
func runCancellable<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let task = Task { try await body() }
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    let interrupted = InterruptCount()
    source.setEventHandler {
        if interrupted.increment() > 1 { exit(130) }
        FileHandle.standardError.write(Data("\nmedley: stopping (Ctrl-C again to quit at once)\n".utf8))
        task.cancel()
    }
    source.resume()
    defer {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
    return try await task.value
}

private final class InterruptCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
