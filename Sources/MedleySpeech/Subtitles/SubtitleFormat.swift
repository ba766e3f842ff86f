/// Subtitle file formats Medley writes.
public enum SubtitleFormat: String, Sendable, CaseIterable {
    case srt, vtt

    /// The cues as a complete file.
    public func render(_ cues: [SubtitleCue]) -> String {
        switch self {
        case .srt:
            return cues.enumerated().map { index, cue in
                "\(index + 1)\n\(Self.timestamp(cue.start, separator: ",")) --> \(Self.timestamp(cue.end, separator: ","))\n"
                    + cue.lines.joined(separator: "\n") + "\n"
            }.joined(separator: "\n")
        case .vtt:
            let body = cues.map { cue in
                "\(Self.timestamp(cue.start, separator: ".")) --> \(Self.timestamp(cue.end, separator: "."))\n"
                    + cue.lines.joined(separator: "\n") + "\n"
            }.joined(separator: "\n")
            return "WEBVTT\n\n" + body
        }
    }

    /// `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (WebVTT).
    static func timestamp(_ seconds: Double, separator: Character) -> String {
        let millis = Int((max(0, seconds) * 1000).rounded())
        let h = millis / 3_600_000, m = (millis / 60_000) % 60, s = (millis / 1000) % 60, ms = millis % 1000
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2))\(separator)\(pad(ms, 3))"
    }
}
