/// A half-open span of media time `[start, end)` in seconds.
public struct TimeRange: Sendable, Hashable, Codable {
    public var start: Double
    public var end: Double

    public init(start: Double, end: Double) {
        self.start = start
        self.end = max(start, end)
    }

    /// `end - start`, never negative.
    public var duration: Double { end - start }

    /// True when `time` lies in `[start, end)`.
    public func contains(_ time: Double) -> Bool { time >= start && time < end }

    /// True when the two ranges share some time.
    public func overlaps(_ other: TimeRange) -> Bool { start < other.end && other.start < end }
}

/// A labelled span of media time: a speech region, a transcript segment, a scene.
///
/// Fields beyond the range are optional because different tasks fill different ones (a VAD segment has only
/// a range and a score; a transcript segment has text).
public struct Segment: Sendable, Hashable, Codable {
    public var range: TimeRange
    /// Text, for transcript and OCR segments.
    public var text: String?
    /// A label such as "speech" or "scene".
    public var label: String?
    /// A confidence or probability in [0, 1], where the task has one.
    public var score: Double?

    public init(range: TimeRange, text: String? = nil, label: String? = nil, score: Double? = nil) {
        self.range = range
        self.text = text
        self.label = label
        self.score = score
    }

    public var start: Double { range.start }
    public var end: Double { range.end }
}
