import MedleyCore

/// Supplies the encoder input of each 30 s window (normalised log-mel, time-major, zero-padded to 3000 frames).
protocol WindowFeatureSource {
    /// The input's content duration in seconds (frames × 10 ms), once known.
    var contentDuration: Double? { get }
    /// The input's duration in seconds (samples / 16 kHz), once known.
    var sampleDuration: Double? { get }
    /// Writes the window that starts at frame `seek` into `output` and returns how many of its frames are
    /// content (faster-whisper's `segment_size`), or nil when `seek` is at or past the end of the content.
    mutating func window(at seek: Int, into output: UnsafeMutablePointer<Float>) async throws -> Int?
    /// The first 30 s of samples (or all of them if shorter), for language detection.
    mutating func languageDetectionSamples() async throws -> [Float]
}

/// Windows of an input held in memory. The features are computed once for the whole input, so the clamp
/// floor uses the loudest frame of the entire input, exactly as faster-whisper does.
struct ArrayWindowSource: WindowFeatureSource {
    private let samples: [Float]
    private let features: WhisperFeatures

    init(samples: [Float], melBins: Int) {
        self.samples = samples
        features = LogMelSpectrogram(melBins: melBins).features(of: samples)
    }

    var contentDuration: Double? { Double(features.contentFrames) * WhisperTiming.secondsPerFrame }
    var sampleDuration: Double? { Double(samples.count) / Double(LogMelSpectrogram.sampleRate) }

    func window(at seek: Int, into output: UnsafeMutablePointer<Float>) async throws -> Int? {
        let size = min(LogMelSpectrogram.framesPerWindow, features.contentFrames - seek)
        guard size > 0 else { return nil }
        features.window(at: seek, frames: size, into: output)
        return size
    }

    func languageDetectionSamples() async throws -> [Float] {
        Array(samples.prefix(LogMelSpectrogram.framesPerWindow * LogMelSpectrogram.hopLength))
    }
}

/// Windows of an input that arrives in chunks (a pull closure), holding only what the current and later
/// windows need: the samples after the current window start and their log-mel frames.
///
/// One difference from the in-memory path is unavoidable without reading the whole input first: the clamp floor
/// (loudest log-mel value − 8) uses the loudest frame seen so far, up to the end of the current window, rather
/// than of the whole input. It changes only bins more than 80 dB below a louder passage that comes later.
struct StreamWindowSource: WindowFeatureSource {
    private let spectrogram: LogMelSpectrogram
    private let nextChunk: () async throws -> [Float]?
    /// Samples of z = input ‖ 160 zeros, from absolute index `sampleOffset` on.
    private var samples: [Float] = []
    private var sampleOffset = 0
    /// Input samples received so far, and the total once the input has ended.
    private var received = 0
    private var ended = false
    /// Unnormalised log-mel frames from absolute frame `frameOffset` on; `computedFrames` is the absolute end.
    private var logMel: [Float] = []
    private var frameOffset = 0
    private var computedFrames = 0
    private var maximum = -Float.infinity

    /// A far-away end for frames computed before the input's length is known (no right-edge reflection yet).
    private static let unknownLength = 1 << 60

    init(melBins: Int, nextChunk: @escaping () async throws -> [Float]?) {
        spectrogram = LogMelSpectrogram(melBins: melBins)
        self.nextChunk = nextChunk
    }

    var contentDuration: Double? {
        ended ? Double(received / LogMelSpectrogram.hopLength) * WhisperTiming.secondsPerFrame : nil
    }
    var sampleDuration: Double? { ended ? Double(received) / Double(LogMelSpectrogram.sampleRate) : nil }

    private var contentFrames: Int? { ended ? received / LogMelSpectrogram.hopLength : nil }
    private var totalFrames: Int? { ended ? LogMelSpectrogram.frameCount(sampleCount: received) : nil }

    /// Pulls chunks until at least `count` input samples have arrived or the input ends.
    private mutating func receive(upTo count: Int) async throws {
        while !ended && received < count {
            try Task.checkCancellation()
            if let chunk = try await nextChunk() {
                samples.append(contentsOf: chunk)
                received += chunk.count
            } else {
                ended = true
                samples.append(contentsOf: repeatElement(0, count: LogMelSpectrogram.trailingPadding))
            }
        }
    }

    mutating func languageDetectionSamples() async throws -> [Float] {
        let count = LogMelSpectrogram.framesPerWindow * LogMelSpectrogram.hopLength
        try await receive(upTo: count)
        let available = min(count, received) - sampleOffset
        return available > 0 ? Array(samples.prefix(available)) : []
    }

    mutating func window(at seek: Int, into output: UnsafeMutablePointer<Float>) async throws -> Int? {
        let hop = LogMelSpectrogram.hopLength, frames = LogMelSpectrogram.framesPerWindow, half = LogMelSpectrogram.fftSize / 2
        // Frame f reads samples up to 160 f + 200; the window's last frame is seek + 2999.
        try await receive(upTo: hop * (seek + frames) + half)
        let size: Int
        if let contentFrames {
            size = min(frames, contentFrames - seek)
            guard size > 0 else { return nil }
        } else {
            size = frames
        }
        // Compute every frame that is now computable (all of them once the input has ended).
        let target: Int
        if let totalFrames {
            target = totalFrames
        } else {
            target = max(computedFrames, (received - half) / hop + 1)
        }
        if target > computedFrames { computeFrames(upTo: target) }
        let floor = maximum - 8
        WhisperFeatures.fillWindow(logMel: logMel, firstFrame: frameOffset, seek: seek, frames: size,
                                   melBins: spectrogram.melBins, floor: floor, into: output)
        discard(before: seek)
        return size
    }

    private mutating func computeFrames(upTo target: Int) {
        let melBins = spectrogram.melBins
        let start = logMel.count
        logMel.append(contentsOf: repeatElement(0, count: (target - computedFrames) * melBins))
        let length = ended ? received + LogMelSpectrogram.trailingPadding : Self.unknownLength
        let range = computedFrames..<target
        samples.withUnsafeBufferPointer { signal in
            logMel.withUnsafeMutableBufferPointer { values in
                guard let base = values.baseAddress else { return }
                spectrogram.logMel(signal: signal, signalStart: sampleOffset, signalLength: length, frames: range,
                                   into: base + start)
            }
        }
        for i in start..<logMel.count { maximum = max(maximum, logMel[i]) }
        computedFrames = target
    }

    /// Drops frames before `seek` and the samples no future frame reads. The first frames reflect the start
    /// of the input, so nothing is dropped until they are computed.
    private mutating func discard(before seek: Int) {
        let melBins = spectrogram.melBins
        let dropFrames = seek - frameOffset
        if dropFrames > LogMelSpectrogram.framesPerWindow {
            logMel.removeFirst(dropFrames * melBins)
            frameOffset = seek
        }
        guard computedFrames > 2 else { return }
        let neededFrom = computedFrames * LogMelSpectrogram.hopLength - LogMelSpectrogram.fftSize / 2
        let dropSamples = neededFrom - sampleOffset
        if dropSamples > 30 * LogMelSpectrogram.sampleRate {
            samples.removeFirst(dropSamples)
            sampleOffset = neededFrom
        }
    }
}

/// Whisper's time grid.
enum WhisperTiming {
    /// One mel frame: 160 samples at 16 kHz (faster-whisper's `time_per_frame`).
    static let secondsPerFrame = Double(LogMelSpectrogram.hopLength) / Double(LogMelSpectrogram.sampleRate)
    /// One timestamp token step: 0.02 s, two mel frames, one encoder frame.
    static let secondsPerTimestamp = 0.02
    /// Mel frames per timestamp step (faster-whisper's `input_stride`).
    static let framesPerTimestamp = 2
}
