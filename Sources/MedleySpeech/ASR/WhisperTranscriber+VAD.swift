import Foundation
import MedleyCore
import MedleyMedia

extension WhisperTranscriber {
    /// Transcribes a file after voice activity detection: silero VAD finds the speech, the spans are grouped
    /// into chunks of at most 30 s cut at pauses (``SpeechChunkPlanner``), and only those chunks are decoded,
    /// with their timestamps moved to the file's time line. Silence between chunks costs no Whisper time, so
    /// long quiet inputs are fast, and the model never hears it, so it cannot invent text there.
    ///
    /// The file is read twice, streamed both times: once by the detector, once to cut the chunks, holding one
    /// chunk (at most `planner.maxDuration`) at a time, so memory stays flat however long the input is. Give
    /// `vad` a ``VADConfiguration/maxSpeechDuration`` equal to `planner.maxDuration` so that long speech is cut at
    /// its longest pause rather than at the limit. Each chunk is transcribed on its own (no text carried over
    /// from the previous chunk); a multilingual model without ``TranscriptionOptions/language`` detects the
    /// language on the first chunk and keeps it for the rest. Progress: stage "vad", then stage "transcribe",
    /// both in seconds of the file.
    ///
    /// - Throws: the ``AudioDecoder`` errors for the file, `invalidArgument` for options the model cannot
    ///   honour, `CancellationError` or ``MedleyError/cancelled`` when the task is cancelled.
    public func transcribe(
        path: String, vad: VoiceActivityDetector, planner: SpeechChunkPlanner = SpeechChunkPlanner(),
        progress: (any ProgressReporter)? = nil
    ) async throws -> Transcript {
        try validate()
        let speech = try await vad.detect(path: path, progress: progress ?? SilentProgress())
        let chunks = planner.chunks(for: speech.segments, duration: speech.duration)
        let rate = Double(LogMelSpectrogram.sampleRate)
        let ranges = chunks.map { Int(($0.start * rate).rounded())..<Int(($0.end * rate).rounded()) }

        var options = self.options
        var languageProbability: Double?
        var segments: [TranscriptSegment] = []
        let decoder = try AudioDecoder(path: path, sampleRate: LogMelSpectrogram.sampleRate, channels: 1)
        var buffer = AudioBuffer(samples: [], sampleRate: LogMelSpectrogram.sampleRate)
        var collected: [Float] = []
        var next = 0, position = 0

        func transcribeCollected() async throws {
            let chunk = chunks[next]
            if model.isMultilingual && options.language == nil {
                let detection = try await detectLanguage(samples: collected)
                options.language = detection.language
                languageProbability = detection.probability
            }
            let reporter = progress.map { ShiftedProgress(base: $0, offset: chunk.start, total: speech.duration) }
            let part = try await WhisperTranscriber(model: model, options: options)
                .transcribe(samples: collected, progress: reporter)
            let frames = Int((chunk.start / WhisperTiming.secondsPerFrame).rounded())
            for var segment in part.segments {
                segment.id = segments.count
                segment.seek += frames
                segment.start = Self.milliseconds(segment.start + chunk.start)
                segment.end = Self.milliseconds(segment.end + chunk.start)
                segments.append(segment)
            }
            collected.removeAll(keepingCapacity: true)
            next += 1
            progress?.report(ProgressEvent(stage: Self.progressStage, completed: chunk.end, total: speech.duration,
                                           unit: "s"))
        }

        while next < ranges.count, try decoder.read(into: &buffer, maxFrames: Self.decodeChunkFrames) {
            try Task.checkCancellation()
            let end = position + buffer.samples.count
            while next < ranges.count {
                let range = ranges[next]
                let from = max(range.lowerBound, position), to = min(range.upperBound, end)
                if from < to { collected.append(contentsOf: buffer.samples[(from - position)..<(to - position)]) }
                guard range.upperBound <= end else { break }
                try await transcribeCollected()
            }
            position = end
        }
        // The second decoding may end a few samples short of the first: finish the last chunk with what came.
        if next < ranges.count, !collected.isEmpty { try await transcribeCollected() }

        let text = segments.map(\.text).joined().trimmingCharacters(in: .whitespacesAndNewlines)
        return Transcript(task: options.task.rawValue, language: options.language ?? "en",
                          languageProbability: languageProbability, duration: speech.duration, text: text,
                          segments: segments)
    }

    /// Rounds to whole milliseconds, so offset times print as 4.026 rather than 4.026000000000001.
    private static func milliseconds(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }
}
