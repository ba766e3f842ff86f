import Foundation

/// How numbers read on the report page.
enum ReportNumberFormat {
    /// `x` with a fixed number of decimals, or "—" when nil or not finite.
    static func fixed(_ x: Double?, _ decimals: Int) -> String {
        guard let x, x.isFinite else { return "—" }
        let text = String(format: "%.\(decimals)f", x)
        return text == "-" + String(format: "%.\(decimals)f", 0.0) ? String(format: "%.\(decimals)f", 0.0) : text
    }

    /// A duration: "0.42 s", "6.0 s", "2 min 05 s", "1 h 02 min".
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return "—" }
        if seconds < 1 { return fixed(seconds, 2) + " s" }
        if seconds < 60 { return fixed(seconds, 1) + " s" }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60) min \(two(whole % 60)) s" }
        return "\(whole / 3600) h \(two((whole / 60) % 60)) min"
    }

    /// A time mark, `mm:ss` or `h:mm:ss` (as in `transcript.txt`).
    static func clock(_ seconds: Double) -> String { TranscriptText.clock(seconds) }

    /// A time range for reading: "00:04–00:09".
    static func range(_ start: Double, _ end: Double) -> String { clock(start) + "–" + clock(end) }

    /// A probability in [0, 1] as a whole percentage: "98 %".
    static func percent(_ p: Double?) -> String {
        guard let p, p.isFinite else { return "—" }
        return "\(Int((p * 100).rounded())) %"
    }

    /// A sample rate: "48 kHz", "22.05 kHz".
    static func kilohertz(_ rate: Int) -> String {
        rate % 1000 == 0 ? "\(rate / 1000) kHz" : fixed(Double(rate) / 1000, 2) + " kHz"
    }

    /// A channel count: "mono", "stereo", "6 channels".
    static func channels(_ count: Int) -> String {
        switch count {
        case 1: return "mono"
        case 2: return "stereo"
        default: return "\(count) channels"
        }
    }

    /// A byte count: "812 KB", "1.4 GB".
    static func bytes(_ count: Int64?) -> String {
        guard let count else { return "—" }
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var value = Double(count), unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(count) bytes" : fixed(value, value < 10 ? 1 : 0) + " " + units[unit]
    }

    /// The first 8 and last 4 hex digits of a checksum: "3f2a9c1b…77e0".
    static func shortHash(_ hash: String) -> String {
        hash.count <= 14 ? hash : String(hash.prefix(8)) + "…" + String(hash.suffix(4))
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
