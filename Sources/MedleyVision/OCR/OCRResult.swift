/// One line of recognised text.
///
/// JSON: `{"text": "Hello", "confidence": 0.98, "box": [[x, y], [x, y], [x, y], [x, y]]}`.
public struct TextLine: Sendable, Codable, Equatable {
    /// The text as read.
    public var text: String
    /// Mean probability of the line's characters, in [0, 1].
    public var confidence: Double
    /// The line's box in the image's pixels: top-left, top-right, bottom-right, bottom-left.
    public var box: ImageQuad

    public init(text: String, confidence: Double, box: ImageQuad) {
        self.text = text
        self.confidence = confidence
        self.box = box
    }
}

/// The text found in one image: `{"lines": [...], "width": 1280, "height": 720}`.
public struct OCRResult: Sendable, Codable, Equatable {
    /// Lines in reading order (see ``OCREngine``).
    public var lines: [TextLine]
    /// The image's size in pixels; boxes are in this frame.
    public var width: Int
    public var height: Int

    public init(lines: [TextLine], width: Int, height: Int) {
        self.lines = lines
        self.width = width
        self.height = height
    }

    /// All lines joined by newlines.
    public var text: String { lines.map(\.text).joined(separator: "\n") }
}

/// The text found in one sampled video frame.
public struct FrameText: Sendable, Codable, Equatable {
    /// Seconds from the start of the video.
    public var time: Double
    public var lines: [TextLine]

    public init(time: Double, lines: [TextLine]) {
        self.time = time
        self.lines = lines
    }
}

/// A text that stays on screen over consecutive sampled frames.
public struct TextSpan: Sendable, Codable, Equatable {
    public var text: String
    /// Time of the first sampled frame showing it, in seconds.
    public var start: Double
    /// Time of the last sampled frame showing it, in seconds.
    public var end: Double
    /// The highest confidence it was read with.
    public var confidence: Double

    public init(text: String, start: Double, end: Double, confidence: Double) {
        self.text = text
        self.start = start
        self.end = end
        self.confidence = confidence
    }
}

/// The text found in a video: every sampled frame, and the texts merged over time.
///
/// JSON: `{"frames": [{"time": 0.0, "lines": [...]}], "texts": [{"text": "Hello", "start": 0.0, "end": 2.0,
/// "confidence": 0.99}], "width": 1280, "height": 720}`.
public struct VideoOCRResult: Sendable, Codable, Equatable {
    public var frames: [FrameText]
    /// Each distinct line text with the span of sampled frames it appears in (a text that disappears and comes
    /// back gets a new span), ordered by start time.
    public var texts: [TextSpan]
    /// The frames' size in pixels; boxes are in this frame.
    public var width: Int
    public var height: Int

    public init(frames: [FrameText], width: Int, height: Int) {
        self.frames = frames
        self.width = width
        self.height = height
        texts = Self.spans(of: frames)
    }

    /// Merges each text over consecutive sampled frames.
    static func spans(of frames: [FrameText]) -> [TextSpan] {
        var open: [String: Int] = [:]  // text -> index into spans, for texts seen in the previous frame
        var spans: [TextSpan] = []
        for frame in frames {
            var stillOpen: [String: Int] = [:]
            for line in frame.lines where stillOpen[line.text] == nil {
                if let index = open[line.text] {
                    spans[index].end = frame.time
                    spans[index].confidence = max(spans[index].confidence, line.confidence)
                    stillOpen[line.text] = index
                } else {
                    spans.append(TextSpan(text: line.text, start: frame.time, end: frame.time,
                                          confidence: line.confidence))
                    stillOpen[line.text] = spans.count - 1
                }
            }
            open = stillOpen
        }
        return spans  // appended frame by frame, so already ordered by start
    }
}
