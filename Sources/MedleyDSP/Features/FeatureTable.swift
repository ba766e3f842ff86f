import Foundation

/// Frame-level features: one row per frame, one column per feature, with each frame's time.
///
/// JSON: `{"columns": ["mfcc_0", ...], "hop_seconds": 0.0232, "sample_rate": 22050, "times": [0.0, ...],
/// "values": [[...], ...]}` (rows are frames). CSV: a `time` column then the feature columns.
public struct FeatureTable: Sendable, Equatable, Encodable {
    /// Column names.
    public var columns: [String]
    /// Time of each frame in seconds (its centre for centred framing, librosa's `frames_to_time`).
    public var times: [Double]
    /// Row-major values: frame i, column j at `values[i·columns.count + j]`.
    public var values: [Float]
    /// The analysis sample rate.
    public var sampleRate: Int
    /// Seconds between frames.
    public var hopSeconds: Double

    /// Creates a table; `values` holds `times.count × columns.count` values, row-major.
    public init(columns: [String], times: [Double], values: [Float], sampleRate: Int, hopSeconds: Double) {
        self.columns = columns
        self.times = times
        self.values = values
        self.sampleRate = sampleRate
        self.hopSeconds = hopSeconds
    }

    /// Number of frames.
    public var frameCount: Int { times.count }

    /// One column as an array (the feature's track over time).
    public func column(_ index: Int) -> [Float] {
        (0..<frameCount).map { values[$0 * columns.count + index] }
    }

    /// One column by name, or nil.
    public func column(named name: String) -> [Float]? {
        columns.firstIndex(of: name).map(column)
    }

    enum CodingKeys: String, CodingKey {
        case columns, times, values
        case sampleRate = "sample_rate"
        case hopSeconds = "hop_seconds"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(columns, forKey: .columns)
        try c.encode(sampleRate, forKey: .sampleRate)
        try c.encode(hopSeconds, forKey: .hopSeconds)
        try c.encode(times.map { ($0 * 10_000).rounded() / 10_000 }, forKey: .times)
        let width = columns.count
        let rows: [[Float?]] = (0..<frameCount).map { i in
            (0..<width).map { j in
                let v = values[i * width + j]
                return v.isFinite ? v : nil
            }
        }
        try c.encode(rows, forKey: .values)
    }

    /// CSV with a header line; values in Swift's shortest round-trip form, non-finite values as empty fields.
    public func csv() -> String {
        var all = ""
        writeCSV { all += $0 }
        return all
    }

    /// Writes the CSV in pieces of about 1,000 rows to `sink` (for example standard output), so that printing a
    /// long table does not hold its whole text in memory.
    public func writeCSV(_ sink: (String) -> Void) {
        var out = "time," + columns.joined(separator: ",") + "\n"
        out.reserveCapacity(1000 * (columns.count * 11 + 10))
        let width = columns.count
        for i in 0..<frameCount {
            if i > 0 && i % 1000 == 0 {
                sink(out)
                out.removeAll(keepingCapacity: true)
            }
            out += ((times[i] * 10_000).rounded() / 10_000).description
            for j in 0..<width {
                let v = values[i * width + j]
                out += ","
                if v.isFinite { out += v.description }
            }
            out += "\n"
        }
        sink(out)
    }
}
