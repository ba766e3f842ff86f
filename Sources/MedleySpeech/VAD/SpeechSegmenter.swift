import MedleyCore

/// Settings that turn per-window speech probabilities into speech segments.
///
/// The defaults are silero-vad's own (`get_speech_timestamps`): threshold 0.5, minimum speech 250 ms,
/// minimum silence 100 ms, 30 ms padding, no maximum segment length.
public struct VADConfiguration: Sendable, Equatable, Codable {
    /// A window with probability at or above this starts (or continues) speech.
    public var threshold: Double = 0.5
    /// While in speech, a window below this counts as silence; nil means `max(threshold - 0.15, 0.01)`.
    public var negativeThreshold: Double?
    /// Speech shorter than this is dropped.
    public var minSpeechDuration: Double = 0.25
    /// Silence must last this long before a segment ends.
    public var minSilenceDuration: Double = 0.1
    /// Each segment is widened by this much on both sides (less where two segments nearly touch).
    public var speechPad: Double = 0.03
    /// Segments longer than this are cut at the longest pause inside them (or at the limit when there is none).
    public var maxSpeechDuration: Double = .infinity
    /// A pause shorter than this is not used as a cut point for over-long segments (silero's 98 ms).
    public var minSilenceAtMaxSpeech: Double = 0.098

    public init() {}

    /// The exit threshold actually used.
    public var effectiveNegativeThreshold: Double { negativeThreshold ?? max(threshold - 0.15, 0.01) }
}

/// Turns a stream of speech probabilities, one per fixed-size window, into speech segments, following
/// silero-vad's `get_speech_timestamps_from_probs` decision by decision.
///
/// It works online: ``push(_:)`` takes one probability at a time and returns the segments that can no
/// longer change, so memory stays flat however long the input is. Segments come back in samples at the
/// segmenter's sample rate, already padded.
public struct SpeechSegmenter: Sendable {
    public let configuration: VADConfiguration
    public let sampleRate: Int
    public let windowSize: Int

    private let minSpeechSamples: Double
    private let speechPadSamples: Double
    private let maxSpeechSamples: Double
    private let minSilenceSamples: Double
    private let minSilenceSamplesAtMaxSpeech: Double

    private var windowIndex = 0
    private var triggered = false
    private var currentStart: Int?
    private var tempEnd = 0
    private var prevEnd = 0
    private var nextStart = 0
    private var possibleEnds: [(end: Int, duration: Int)] = []
    /// The last unpadded segment, held back because its padding depends on the next one.
    private var pending: (start: Int, end: Int)?
    private var emittedAny = false

    public init(configuration: VADConfiguration = VADConfiguration(), sampleRate: Int = 16_000, windowSize: Int = 512) {
        self.configuration = configuration
        self.sampleRate = sampleRate
        self.windowSize = windowSize
        let rate = Double(sampleRate)
        minSpeechSamples = rate * configuration.minSpeechDuration
        speechPadSamples = rate * configuration.speechPad
        maxSpeechSamples = rate * configuration.maxSpeechDuration - Double(windowSize) - 2 * speechPadSamples
        minSilenceSamples = rate * configuration.minSilenceDuration
        minSilenceSamplesAtMaxSpeech = rate * configuration.minSilenceAtMaxSpeech
    }

    /// Feeds the probability of the next window; returns the segments (in samples) that are now final.
    public mutating func push(_ probability: Float) -> [Range<Int>] {
        let threshold = Float(configuration.threshold)
        let negativeThreshold = Float(configuration.effectiveNegativeThreshold)
        let sample = windowSize * windowIndex
        windowIndex += 1
        var finished: [(Int, Int)] = []

        if probability >= threshold && tempEnd != 0 {
            let silence = sample - tempEnd
            if Double(silence) > minSilenceSamplesAtMaxSpeech { possibleEnds.append((tempEnd, silence)) }
            tempEnd = 0
            if nextStart < prevEnd { nextStart = sample }
        }
        if probability >= threshold && !triggered {
            triggered = true
            currentStart = sample
            return emit(finished)
        }
        if triggered, let start = currentStart, Double(sample - start) > maxSpeechSamples {
            if let longest = possibleEnds.max(by: { $0.duration < $1.duration }) {
                finished.append((start, longest.end))
                currentStart = nil
                nextStart = longest.end + longest.duration
                if nextStart < longest.end + sample {
                    currentStart = nextStart
                } else {
                    triggered = false
                }
            } else {
                finished.append((start, sample))
                currentStart = nil
                triggered = false
                prevEnd = 0; nextStart = 0; tempEnd = 0
                possibleEnds = []
                return emit(finished)
            }
            prevEnd = 0; nextStart = 0; tempEnd = 0
            possibleEnds = []
        }
        if probability < negativeThreshold && triggered {
            if tempEnd == 0 { tempEnd = sample }
            if Double(sample - tempEnd) >= minSilenceSamples, let start = currentStart {
                if Double(tempEnd - start) > minSpeechSamples { finished.append((start, tempEnd)) }
                currentStart = nil
                prevEnd = 0; nextStart = 0; tempEnd = 0
                triggered = false
                possibleEnds = []
            }
        }
        return emit(finished)
    }

    /// Ends the stream at `totalSamples` and returns the remaining segments.
    public mutating func finish(totalSamples: Int) -> [Range<Int>] {
        var finished: [(Int, Int)] = []
        if let start = currentStart, Double(totalSamples - start) > minSpeechSamples {
            finished.append((start, totalSamples))
        }
        currentStart = nil
        triggered = false
        var out = emit(finished)
        if let last = pending {
            let start = emittedAny ? last.start : max(0, Int(Double(last.start) - speechPadSamples))
            let end = min(totalSamples, Int(Double(last.end) + speechPadSamples))
            out.append(start..<max(start, end))
            pending = nil
        }
        return out
    }

    /// Pads segments against their neighbours, holding the newest one back until its successor is known.
    private mutating func emit(_ segments: [(Int, Int)]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for (start, end) in segments {
            guard var previous = pending else {
                pending = (start, end)
                continue
            }
            var nextStart = start
            if !emittedAny { previous.start = max(0, Int(Double(previous.start) - speechPadSamples)) }
            let silence = nextStart - previous.end
            if Double(silence) < 2 * speechPadSamples {
                previous.end += silence / 2
                nextStart = max(0, nextStart - silence / 2)
            } else {
                previous.end = Int(Double(previous.end) + speechPadSamples)
                nextStart = max(0, Int(Double(nextStart) - speechPadSamples))
            }
            out.append(previous.start..<max(previous.start, previous.end))
            emittedAny = true
            pending = (nextStart, end)
        }
        return out
    }
}
