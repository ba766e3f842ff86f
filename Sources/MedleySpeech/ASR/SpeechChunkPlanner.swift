/// Groups voice-activity spans into the pieces of audio a Whisper model transcribes one by one, so that long
/// inputs are cut at pauses instead of every 30 s, and silence between the pieces is never decoded.
///
/// Each span is first widened by ``padding`` on both sides: Whisper transcribes badly when speech starts at
/// the very first frame (it drops capitals and timestamps) or is cut right after the last word. Consecutive spans
/// join one chunk while the chunk, from its first span's start to its last span's end, stays
/// within ``maxDuration``; the next span opens a new chunk. A chunk keeps the audio between its spans (short
/// pauses), so its timestamps only need the chunk's start added. A single span longer than ``maxDuration`` is cut
/// every ``maxDuration`` seconds, so a chunk never exceeds it; set the detector's
/// ``VADConfiguration/maxSpeechDuration`` to the same value so that silero cuts such spans at their longest
/// pause first, as faster-whisper does.
public struct SpeechChunkPlanner: Sendable, Equatable {
    /// The longest chunk, in seconds: Whisper's 30 s window (its training setup).
    public var maxDuration: Double
    /// Audio kept before and after each span, in seconds (faster-whisper's VAD `speech_pad_ms` of 400).
    public var padding: Double

    /// A planner for chunks of at most `maxDuration` seconds around spans widened by `padding`.
    public init(maxDuration: Double = 30, padding: Double = 0.4) {
        self.maxDuration = maxDuration
        self.padding = padding
    }

    /// The chunks for `spans` (in time order, as ``VoiceActivityDetector`` returns them), clipped to
    /// `[0, duration]`; empty or inverted spans are ignored. Chunks never overlap.
    public func chunks(for spans: [SpeechSpan], duration: Double) -> [SpeechSpan] {
        var chunks: [SpeechSpan] = []
        var current: SpeechSpan?
        for span in spans {
            guard span.end > span.start else { continue }
            let start = max(0, current?.end ?? 0, span.start - padding), end = min(duration, span.end + padding)
            guard end > start else { continue }
            if var open = current, end - open.start <= maxDuration, start >= open.start {
                open.end = max(open.end, end)
                current = open
                continue
            }
            if let open = current { chunks.append(open) }
            // Last resort for a span over the limit: fixed cuts, so no chunk ever exceeds it.
            var pieceStart = start
            while end - pieceStart > maxDuration {
                chunks.append(SpeechSpan(start: pieceStart, end: pieceStart + maxDuration))
                pieceStart += maxDuration
            }
            current = SpeechSpan(start: pieceStart, end: end)
        }
        if let open = current { chunks.append(open) }
        return chunks
    }
}
