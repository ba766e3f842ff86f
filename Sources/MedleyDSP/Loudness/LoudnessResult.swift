/// One point of a loudness series: the loudness of the window that ends at `time`.
public struct LoudnessPoint: Sendable, Equatable, Encodable {
    /// End of the window, in seconds from the start.
    public var time: Double
    /// Loudness in LUFS, or nil for a silent window (−∞).
    public var lufs: Double?

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(time, forKey: .time)
        try c.encode(lufs, forKey: .lufs)  // explicit null for silence
    }

    enum CodingKeys: String, CodingKey { case time, lufs }
}

/// The measurements of ``LoudnessMeter``: EBU R128 / ITU-R BS.1770-4 figures for a whole stream.
///
/// JSON (snake_case; unknown values are `null`, never NaN or −∞):
/// `{"integrated_lufs": -23.0, "lra_lu": 4.1, "true_peak_dbtp": -1.2, "sample_peak_dbfs": -1.4, "duration": 60.0}`,
/// plus `"reason"` when `integrated_lufs` is null and the series when they were requested.
public struct LoudnessResult: Sendable, Equatable, Encodable {
    /// Integrated (programme) loudness in LUFS, or nil (see ``reason``).
    public var integratedLUFS: Double?
    /// Why ``integratedLUFS`` is nil: "too short to gate" (under 400 ms) or "silence" (no block above −70 LUFS).
    public var reason: String?
    /// Loudness range in LU (EBU Tech 3342), or nil when there is no 3 s window above the gates.
    public var loudnessRangeLU: Double?
    /// Largest momentary (400 ms) loudness in LUFS, nil when silent or too short.
    public var momentaryMaxLUFS: Double?
    /// Largest short-term (3 s) loudness in LUFS, nil when silent or under 3 s.
    public var shortTermMaxLUFS: Double?
    /// True peak (BS.1770-4 Annex 2, 4× oversampled) in dBTP, or nil for digital silence.
    public var truePeakDBTP: Double?
    /// Largest |sample| in dBFS, or nil for digital silence.
    public var samplePeakDBFS: Double?
    /// Duration of the measured audio in seconds.
    public var duration: Double
    /// Sample rate of the measured audio.
    public var sampleRate: Int
    /// Channel count of the measured audio.
    public var channelCount: Int
    /// The channel weights used (1.0 front, 1.41 surround, 0 LFE).
    public var channelWeights: [Double]
    /// Momentary loudness every 100 ms (only when requested).
    public var momentary: [LoudnessPoint]?
    /// Short-term loudness every 100 ms (only when requested).
    public var shortTerm: [LoudnessPoint]?

    enum CodingKeys: String, CodingKey {
        case integratedLUFS = "integrated_lufs", reason
        case loudnessRangeLU = "lra_lu"
        case momentaryMaxLUFS = "momentary_max_lufs"
        case shortTermMaxLUFS = "short_term_max_lufs"
        case truePeakDBTP = "true_peak_dbtp"
        case samplePeakDBFS = "sample_peak_dbfs"
        case duration
        case sampleRate = "sample_rate"
        case channelCount = "channels"
        case channelWeights = "channel_weights"
        case momentary
        case shortTerm = "short_term"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(integratedLUFS.map(Self.rounded), forKey: .integratedLUFS)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encode(loudnessRangeLU.map(Self.rounded), forKey: .loudnessRangeLU)
        try c.encode(momentaryMaxLUFS.map(Self.rounded), forKey: .momentaryMaxLUFS)
        try c.encode(shortTermMaxLUFS.map(Self.rounded), forKey: .shortTermMaxLUFS)
        try c.encode(truePeakDBTP.map(Self.rounded), forKey: .truePeakDBTP)
        try c.encode(samplePeakDBFS.map(Self.rounded), forKey: .samplePeakDBFS)
        try c.encode(Self.rounded(duration), forKey: .duration)
        try c.encode(sampleRate, forKey: .sampleRate)
        try c.encode(channelCount, forKey: .channelCount)
        try c.encode(channelWeights, forKey: .channelWeights)
        try c.encodeIfPresent(momentary, forKey: .momentary)
        try c.encodeIfPresent(shortTerm, forKey: .shortTerm)
    }

    /// Three decimals, as ffmpeg's metadata prints: enough for 0.001 LU, short enough to read.
    static func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
