import Foundation

/// Renders `transcript.txt`: one transcript segment per line, each starting with its time mark.
///
/// ```
/// [00:00] Hello there.
/// [00:02] This is the second segment.
/// [1:02:03] A segment past the first hour.
/// ```
///
/// The mark is the segment's start, rounded down to the second: `[mm:ss]` under an hour, `[h:mm:ss]` from the
/// first hour on. The text is the segment's, trimmed of surrounding white space, with line breaks inside it
/// replaced by spaces, so each line is one segment. Segments with no text are left out. The file ends with a
/// newline (an empty transcript is an empty file).
public enum TranscriptText {
    /// The text file for these segments.
    public static func render(_ segments: [AnalysisReport.TranscriptSegment]) -> String {
        var lines: [String] = []
        for segment in segments {
            let text = segment.text
                .components(separatedBy: .newlines)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
                .joined(separator: " ")
            guard !text.isEmpty else { continue }
            lines.append("[\(clock(segment.start))] \(text)")
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    /// `mm:ss` under an hour, `h:mm:ss` from an hour on; negative and non-finite times read as 0.
    static func clock(_ seconds: Double) -> String {
        let whole = seconds.isFinite && seconds > 0 ? Int(seconds.rounded(.down)) : 0
        let h = whole / 3600, m = (whole / 60) % 60, s = whole % 60
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(two(m)):\(two(s))"
    }
}
