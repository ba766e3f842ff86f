import Foundation
import MedleyCore
import MedleyMedia

extension WhisperTranscriber {
    /// Samples decoded per read (about 4 s at 16 kHz): large enough that decoding overhead vanishes, small
    /// enough that the window source holds little more than its 30–60 s.
    static let decodeChunkFrames = 1 << 16

    /// Transcribes the first audio stream of any file FFmpeg reads, decoded to 16 kHz mono as it goes.
    ///
    /// Streaming: the file is never held whole; memory stays flat whatever its length (see
    /// ``transcribe(progress:nextChunk:)`` for the one difference from transcribing samples in memory).
    /// Progress events (stage "transcribe", unit "s") carry the file's duration as their total when the
    /// container states it. Cancellation stops at the next window or decoding step with `CancellationError`.
    ///
    /// - Throws: the ``AudioDecoder`` errors for the file (`fileNotFound`, `noStream` for a file with no audio,
    ///   `unreadableMedia`...), or `invalidArgument` for options the model cannot honour.
    public func transcribe(path: String, progress: (any ProgressReporter)? = nil) async throws -> Transcript {
        try validate()
        let decoder = try AudioDecoder(path: path, sampleRate: LogMelSpectrogram.sampleRate, channels: 1)
        let reporter = progress.map { ShiftedProgress(base: $0, offset: 0, total: decoder.duration) }
        // Start the clock now: the first window's event comes only after it is decoded.
        reporter?.report(ProgressEvent(stage: Self.progressStage, completed: 0, total: nil, unit: "s"))
        var buffer = AudioBuffer(samples: [], sampleRate: LogMelSpectrogram.sampleRate)
        var source = StreamWindowSource(melBins: model.dimensions.melBins) {
            guard try decoder.read(into: &buffer, maxFrames: Self.decodeChunkFrames) else { return nil }
            return buffer.samples
        }
        return try await run(source: &source, progress: reporter)
    }
}

/// Passes events on with `offset` added to the work done and a total filled in, so that progress from a part
/// of the input (a chunk, or a stream of unknown length) reads as progress through the whole input.
struct ShiftedProgress: ProgressReporter {
    let base: any ProgressReporter
    let offset: Double
    let total: Double?

    func report(_ event: ProgressEvent) {
        var shifted = event
        shifted.completed += offset
        if let total { shifted.total = total }
        base.report(shifted)
    }
}
