import Foundation
import MedleyCore

/// Text already prepared for one voice (cleaned, and for Piper phonemized), ready to be rendered at any tempo.
///
/// Duration control renders the same prepared speech several times at different stretches, so everything that
/// does not depend on tempo happens once, before.
protocol PreparedSpeech: Sendable {
    /// The rate of the rendered samples.
    var sampleRate: Int { get }
    /// The stretches (duration multiples of the natural rendering) the voice can render.
    var stretchRange: ClosedRange<Double> { get }
    /// Renders the speech with its durations multiplied by about `stretch` (1 = as the options ask), pauses
    /// included. Checks for cancellation between sentences.
    func render(stretch: Double) async throws -> RenderedSpeech
}

/// One rendering of prepared speech.
struct RenderedSpeech: Sendable {
    var samples: [Float]
    var settings: SynthesisSettings
}

/// Silence of `seconds` at `sampleRate`.
func silence(seconds: Double, sampleRate: Int) -> [Float] {
    [Float](repeating: 0, count: max(0, Int((seconds * Double(sampleRate)).rounded())))
}

// MARK: - Piper

/// Sentences of phoneme ids for a Piper voice.
struct PiperPreparedSpeech: PreparedSpeech {
    let voice: PiperVoice
    /// Phoneme ids per sentence.
    let sentences: [[Int64]]
    let scales: PiperScales
    let speaker: Int?
    let seed: UInt64
    let pause: Double

    /// Length scales beyond these make Piper voices mumble (below) or drawl with artefacts (above).
    static let lengthScaleRange: ClosedRange<Double> = 0.2...5

    var sampleRate: Int { voice.config.sampleRate }

    var stretchRange: ClosedRange<Double> {
        (Self.lengthScaleRange.lowerBound / scales.lengthScale)...(Self.lengthScaleRange.upperBound / scales.lengthScale)
    }

    func render(stretch: Double) async throws -> RenderedSpeech {
        var used = scales
        used.lengthScale = scales.lengthScale * stretch
        var samples: [Float] = []
        let gap = silence(seconds: pause * stretch, sampleRate: sampleRate)
        for (index, ids) in sentences.enumerated() {
            try Task.checkCancellation()
            if index > 0 { samples += gap }
            // One noise stream per sentence: a sentence sounds the same whatever precedes it.
            samples += try voice.synthesize(ids: ids, scales: used, speaker: speaker,
                                            seed: GaussianNoise.seed(seed, UInt64(index)))
        }
        let settings = SynthesisSettings(
            engine: "piper", lengthScale: used.lengthScale, noiseScale: used.noiseScale, noiseW: used.noiseW,
            sentencePause: pause * stretch, speaker: speaker, seed: seed)
        return RenderedSpeech(samples: samples, settings: settings)
    }
}

// MARK: - espeak-ng

/// Paragraphs for an espeak-ng voice.
struct ESpeakPreparedSpeech: PreparedSpeech {
    let voice: ESpeakVoice
    let paragraphs: [String]
    /// Words per minute at stretch 1.
    let wordsPerMinute: Int
    let pause: Double
    let sampleRate: Int

    var stretchRange: ClosedRange<Double> {
        let rates = ESpeakVoice.rateRange
        return (Double(wordsPerMinute) / Double(rates.upperBound))...(Double(wordsPerMinute) / Double(rates.lowerBound))
    }

    /// The rate for a stretch: espeak-ng's durations scale roughly with 1 / rate.
    func rate(for stretch: Double) -> Int {
        let rates = ESpeakVoice.rateRange
        let rate = Int((Double(wordsPerMinute) / stretch).rounded())
        return min(rates.upperBound, max(rates.lowerBound, rate))
    }

    func render(stretch: Double) async throws -> RenderedSpeech {
        let rate = rate(for: stretch)
        let effectiveStretch = Double(wordsPerMinute) / Double(rate)
        let gap = silence(seconds: pause * effectiveStretch, sampleRate: sampleRate)
        var samples: [Float] = []
        for (index, paragraph) in paragraphs.enumerated() {
            try Task.checkCancellation()
            if index > 0 { samples += gap }
            samples += try voice.synthesize(paragraph, wordsPerMinute: rate).samples
        }
        let settings = SynthesisSettings(engine: "espeak-ng", wordsPerMinute: rate, sentencePause: pause * effectiveStretch)
        return RenderedSpeech(samples: samples, settings: settings)
    }
}
