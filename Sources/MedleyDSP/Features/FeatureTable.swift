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
        writeCSVBytes { sink(String(decoding: $0, as: UTF8.self)) }
    }

    /// ``writeCSV(_:)`` as UTF-8 bytes, valid during each call: the fast way to standard output.
    ///
    /// Each number is formatted by Swift's `description` and copied as bytes, which costs about half of appending
    /// the `String`s (measured: 49 ms against 92 ms for 25,840 rows of 20 MFCCs). Pieces of ``csvPieceRows`` rows
    /// are formatted two at a time on two threads and handed to `sink` in order, on the caller's thread; memory
    /// stays at two pieces whatever the table's length.
    public func writeCSVBytes(_ sink: (UnsafeRawBufferPointer) -> Void) {
        var header = Array(("time," + columns.joined(separator: ",") + "\n").utf8)
        header.withUnsafeBytes(sink)
        header.removeAll()
        let pieces = (frameCount + Self.csvPieceRows - 1) / Self.csvPieceRows
        let buffers = CSVPieces(count: 2, capacity: Self.csvPieceRows * (columns.count * 12 + 12))
        var piece = 0
        while piece < pieces {
            let together = min(2, pieces - piece)
            let first = piece
            if together == 2 {
                DispatchQueue.concurrentPerform(iterations: 2) { k in
                    formatCSVRows(piece: first + k, into: buffers.pointer(k))
                }
            } else {
                formatCSVRows(piece: first, into: buffers.pointer(0))
            }
            for k in 0..<together { buffers.pointer(k).pointee.withUnsafeBytes(sink) }
            piece += together
        }
    }

    /// Rows per piece of ``writeCSVBytes(_:)``.
    static let csvPieceRows = 1000

    /// Formats the rows of piece `piece` into `out` (replacing what it held).
    private func formatCSVRows(piece: Int, into out: UnsafeMutablePointer<[UInt8]>) {
        let width = columns.count
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
        out.pointee.removeAll(keepingCapacity: true)
        func add(_ text: String) {
            var text = text
            text.withUTF8 { out.pointee.append(contentsOf: $0) }
        }
        values.withUnsafeBufferPointer { v in
            for i in (piece * Self.csvPieceRows)..<min(frameCount, (piece + 1) * Self.csvPieceRows) {
                add(((times[i] * 10_000).rounded() / 10_000).description)
                for j in 0..<width {
                    let value = v[i * width + j]
                    out.pointee.append(comma)
                    if value.isFinite { add(value.description) }
                }
                out.pointee.append(newline)
            }
        }
    }
}

/// Byte buffers that CSV pieces are formatted into on several threads, each thread writing its own buffer.
private final class CSVPieces: @unchecked Sendable {
    private let buffers: UnsafeMutablePointer<[UInt8]>
    private let count: Int

    init(count: Int, capacity: Int) {
        self.count = count
        buffers = .allocate(capacity: count)
        buffers.initialize(repeating: [], count: count)
        for k in 0..<count { buffers[k].reserveCapacity(capacity) }
    }

    deinit {
        buffers.deinitialize(count: count)
        buffers.deallocate()
    }

    func pointer(_ k: Int) -> UnsafeMutablePointer<[UInt8]> { buffers + k }
}
