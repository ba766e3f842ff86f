import Foundation
import MedleyCore

/// One run of the long-form loop over consecutive 30 s windows (faster-whisper's `generate_segments`).
///
/// Per window: encode once; build the prompt (previous text after `<|startofprev|>`, then the start-of-transcript
/// sequence); decode with temperature fallback; skip the window when it sounds like silence; otherwise cut the
/// tokens into segments at timestamp pairs and move `seek` to the last complete segment's end (or the window's
/// end). Times are computed in the same floating-point steps as faster-whisper so they print identically.
struct TranscriptionSession {
    let model: WhisperModel
    let options: TranscriptionOptions
    let workspace: WorkspacePool.Workspace

    /// faster-whisper keeps at most `max_length / 2 − 1` = 223 previous tokens in a prompt.
    private var maxPreviousTokens: Int { model.dimensions.textContext / 2 - 1 }

    mutating func run(source: inout some WindowFeatureSource, progress: (any ProgressReporter)?) async throws
        -> Transcript
    {
        let special = model.tokenizer.special
        var random = SeededRandom(seed: options.seed)

        // Language and the start-of-transcript sequence.
        var language = "en", languageProbability: Double?
        var startSequence = [special.startOfTranscript]
        if model.isMultilingual {
            if let requested = options.language {
                language = requested
            } else {
                try Task.checkCancellation()
                let detection = WhisperLanguageDetector(model: model, workspace: workspace)
                    .detect(samples: try await source.languageDetectionSamples())
                language = detection.language
                languageProbability = detection.probability
            }
            if let token = model.tokenizer.languageToken(language) { startSequence.append(token) }
            startSequence.append(options.task == .translate ? special.translate : special.transcribe)
        }
        let filter = WhisperLogitFilter(
            special: special, vocabularySize: model.dimensions.vocabularySize,
            suppressed: model.generation.suppressIDs,
            suppressedAtBegin: options.suppressBlank ? model.generation.suppressIDsBegin : [],
            timestamps: options.withTimestamps,
            maxInitialTimestampIndex: Int((options.maxInitialTimestamp / WhisperTiming.secondsPerTimestamp).rounded()))
        let decoder = WindowDecoder(model: model, workspace: workspace, filter: filter)

        var allTokens: [Int] = []
        if let prompt = options.initialPrompt {
            allTokens = try model.tokenizer.encode(" " + prompt.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var promptResetSince = 0
        var segments: [TranscriptSegment] = []
        var seek = 0
        let mel = workspace.mel.pointer

        while let windowFrames = try await source.window(at: seek, into: mel) {
            try Task.checkCancellation()
            let timeOffset = Double(seek) * WhisperTiming.secondsPerFrame
            workspace.encoder.encode(mel: workspace.mel.constPointer, output: workspace.encoderOutput.pointer)
            workspace.decoder.setEncoderOutput(workspace.encoderOutput.constPointer)

            var prompt: [Int] = []
            let previous = allTokens[promptResetSince...]
            if !previous.isEmpty {
                prompt.append(special.startOfPrevious)
                prompt.append(contentsOf: previous.suffix(maxPreviousTokens))
            }
            let startIndex = prompt.count
            prompt.append(contentsOf: startSequence)
            if !options.withTimestamps { prompt.append(special.noTimestamps) }

            let result = try decodeWithFallback(decoder, prompt: prompt, startIndex: startIndex, random: &random)

            if let noSpeech = options.noSpeechThreshold, result.noSpeechProb > noSpeech,
               !(options.logProbThreshold.map { result.avgLogprob > $0 } ?? false) {
                seek += windowFrames
                report(progress, seek: seek, source: source)
                continue
            }

            let previousSeek = seek
            let split = splitSegments(result.tokens, timeOffset: timeOffset, windowFrames: windowFrames)
            // The timestamp rules make every cut advance by at least one step; never loop in place regardless.
            seek += split.seekAdvance > 0 ? split.seekAdvance : windowFrames
            for piece in split.segments {
                let text = model.tokenizer.decode(piece.tokens)
                if piece.start == piece.end || text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { continue }
                allTokens.append(contentsOf: piece.tokens)
                segments.append(TranscriptSegment(
                    id: segments.count, seek: previousSeek, start: piece.start, end: piece.end, text: text,
                    tokens: piece.tokens, temperature: result.temperature, avgLogprob: result.avgLogprob,
                    compressionRatio: result.compressionRatio, noSpeechProb: result.noSpeechProb))
            }
            if !options.conditionOnPreviousText || result.temperature > options.promptResetOnTemperature {
                promptResetSince = allTokens.count
            }
            report(progress, seek: seek, source: source)
        }

        let text = segments.map(\.text).joined().trimmingCharacters(in: .whitespacesAndNewlines)
        return Transcript(task: options.task.rawValue, language: language, languageProbability: languageProbability,
                          duration: source.sampleDuration ?? 0, text: text, segments: segments)
    }

    private func report(_ progress: (any ProgressReporter)?, seek: Int, source: some WindowFeatureSource) {
        guard let progress else { return }
        var done = Double(seek) * WhisperTiming.secondsPerFrame
        if let total = source.contentDuration { done = min(done, total) }
        progress.report(ProgressEvent(stage: WhisperTranscriber.progressStage, completed: done,
                                      total: source.contentDuration, unit: "s"))
    }

    /// Decodes at each temperature in turn until the result is neither too repetitive nor too improbable
    /// (or counts as silence); if none passes, keeps the most probable of those under the compression threshold
    /// (or of all), reported with the last temperature tried, as faster-whisper does.
    private func decodeWithFallback(_ decoder: WindowDecoder, prompt: [Int], startIndex: Int,
                                    random: inout SeededRandom) throws -> WindowDecodingResult {
        var all: [WindowDecodingResult] = [], belowCompression: [WindowDecodingResult] = []
        for temperature in options.temperatures {
            let result = try decoder.decode(prompt: prompt, startOfTranscriptIndex: startIndex,
                                            temperature: temperature, bestOf: options.bestOf, random: &random)
            all.append(result)
            var retry = false
            if let threshold = options.compressionRatioThreshold {
                if result.compressionRatio > threshold { retry = true } else { belowCompression.append(result) }
            }
            if let threshold = options.logProbThreshold, result.avgLogprob < threshold { retry = true }
            if let noSpeech = options.noSpeechThreshold, let logProb = options.logProbThreshold,
               result.noSpeechProb > noSpeech, result.avgLogprob < logProb {
                retry = false   // silence: accept
            }
            if !retry { return result }
        }
        let pool = belowCompression.isEmpty ? all : belowCompression
        // max(by:) keeps the last of equal elements; Python's max keeps the first, so search explicitly.
        var best = pool[0]
        for candidate in pool.dropFirst() where candidate.avgLogprob > best.avgLogprob { best = candidate }
        best.temperature = options.temperatures[options.temperatures.count - 1]
        return best
    }

    struct SegmentPiece {
        var start: Double
        var end: Double
        var tokens: [Int]
    }

    /// Cuts a window's tokens at consecutive timestamp pairs (faster-whisper's `_split_segments_by_timestamps`).
    func splitSegments(_ tokens: [Int], timeOffset: Double, windowFrames: Int)
        -> (segments: [SegmentPiece], seekAdvance: Int)
    {
        let begin = model.tokenizer.special.timestampBegin
        let precision = WhisperTiming.secondsPerTimestamp
        let count = tokens.count
        let singleTimestampEnding = count >= 2 && tokens[count - 2] < begin && tokens[count - 1] >= begin
        let cuts = (1..<max(count, 1)).filter { tokens[$0] >= begin && tokens[$0 - 1] >= begin }
        if !cuts.isEmpty {
            var slices = cuts
            if singleTimestampEnding { slices.append(count) }
            var pieces: [SegmentPiece] = []
            var lastSlice = 0
            for slice in slices {
                let part = Array(tokens[lastSlice..<slice])
                let startPosition = (part.first ?? begin) - begin, endPosition = (part.last ?? begin) - begin
                pieces.append(SegmentPiece(start: timeOffset + Double(startPosition) * precision,
                                           end: timeOffset + Double(endPosition) * precision, tokens: part))
                lastSlice = slice
            }
            if singleTimestampEnding { return (pieces, windowFrames) }
            let lastTimestamp = tokens[lastSlice - 1] - begin
            return (pieces, lastTimestamp * WhisperTiming.framesPerTimestamp)
        }
        var duration = Double(windowFrames) * WhisperTiming.secondsPerFrame
        if let last = tokens.last(where: { $0 >= begin }), last != begin {
            duration = Double(last - begin) * precision
        }
        return ([SegmentPiece(start: timeOffset, end: timeOffset + duration, tokens: tokens)], windowFrames)
    }
}
