/// One subtitle cue: a time span and one or two lines of text.
public struct SubtitleCue: Sendable, Equatable, Codable {
    public var start: Double
    public var end: Double
    /// One or two lines, each at most ``SubtitleStyle/maxLineLength`` characters.
    public var lines: [String]

    public init(start: Double, end: Double, lines: [String]) {
        self.start = start
        self.end = end
        self.lines = lines
    }

    public var text: String { lines.joined(separator: " ") }
}

/// The readability rules cues follow. The defaults are the usual broadcast and streaming guidelines
/// (e.g. Netflix's timed-text style guide and the BBC subtitle guidelines): 42 characters a line, two lines,
/// a cue on screen for 1 to 7 seconds.
public struct SubtitleStyle: Sendable, Equatable, Codable {
    public var maxLineLength = 42
    public var maxLines = 2
    public var minDuration = 1.0
    public var maxDuration = 7.0

    public init() {}

    /// Characters that fit in one cue.
    var maxCueLength: Int { maxLineLength * maxLines }
}
