import Foundation
import MedleyCore
import XCTest
@testable import MedleySpeech

/// Accuracy of silero VAD boundaries on generated speech with known silence: utterances from the Piper voice
/// and from espeak-ng, joined with gaps of 0.6–2.5 s of digital silence. The truth is measured from the
/// generated samples themselves: an utterance runs from its first to its last 10 ms frame whose RMS is within
/// 60 dB of the utterance's loudest frame. Every boundary the detector finds must lie within 100 ms of the truth.
///
/// "Finds" means before the segmenter's deliberate widening (``VADConfiguration/speechPad``, 30 ms by default):
/// the first test sets it to 0. Silero's probability stays high for 2–3 windows (64–96 ms) after speech stops,
/// so with the default padding an end can land up to 130 ms late; the second pair of tests checks that bound on
/// the same audio as the first pair.
final class VADBoundaryTests: XCTestCase {
    private static let sentences = [
        "The museum opens at nine in the morning.",
        "Please bring your own water bottle",
        "Seven ships sailed past the lighthouse tonight.",
        "Nobody expected the weather to change so quickly.",
        "Turn left at the old bakery and keep walking.",
    ]
    private static let gaps = [1.0, 0.6, 2.5, 1.2, 0.8, 1.5]
    /// The allowed distance between a detected and a true boundary (the acceptance figure).
    private static let tolerance = 0.1
    /// Frames quieter than this relative to the utterance's loudest frame count as silence (−60 dB).
    private static let silenceRatio: Float = 0.001

    /// The utterances of each voice, synthesized once per process, so that the tests with and without padding
    /// measure the same audio. espeak-ng keeps state between syntheses (its pitch flutter runs on from the last
    /// one), so the same sentence synthesized again later in a process is not sample-identical.
    nonisolated(unsafe) private static var synthesized: [String: [AudioBuffer]] = [:]

    private static func speech(voice: VoiceID) async throws -> [AudioBuffer] {
        if let known = synthesized[voice.rawValue] { return known }
        let synthesizer = SpeechSynthesizer(store: SpeechMediaSupport.store)
        var options = SynthesisOptions()
        options.seed = 7
        var utterances: [AudioBuffer] = []
        for sentence in sentences {
            utterances.append(try await synthesizer.synthesize(text: sentence, voice: voice, options: options).audio)
        }
        synthesized[voice.rawValue] = utterances
        return utterances
    }

    private struct Truth {
        var samples: [Float]
        var spans: [SpeechSpan]
    }

    /// Utterances joined with the gaps, at the voices' own rate, with the true speech spans in seconds.
    private func compose(_ utterances: [AudioBuffer]) -> Truth {
        let rate = utterances[0].sampleRate
        var samples = [Float](repeating: 0, count: Int(Self.gaps[0] * Double(rate)))
        var spans: [SpeechSpan] = []
        for (index, utterance) in utterances.enumerated() {
            let frame = rate / 100
            let rms = stride(from: 0, to: utterance.samples.count - frame + 1, by: frame).map { start in
                (utterance.samples[start..<(start + frame)].reduce(0) { $0 + $1 * $1 } / Float(frame)).squareRoot()
            }
            let loud = (rms.max() ?? 0) * Self.silenceRatio
            if let first = rms.firstIndex(where: { $0 > loud }), let last = rms.lastIndex(where: { $0 > loud }) {
                let offset = Double(samples.count) / Double(rate)
                spans.append(SpeechSpan(start: offset + Double(first * frame) / Double(rate),
                                        end: offset + Double((last + 1) * frame) / Double(rate)))
            }
            samples += utterance.samples
            samples += [Float](repeating: 0, count: Int(Self.gaps[(index + 1) % Self.gaps.count] * Double(rate)))
        }
        return Truth(samples: samples, spans: spans)
    }

    private func check(voice: VoiceID, padding: Double, file: StaticString = #filePath, line: UInt = #line)
        async throws
    {
        let utterances = try await Self.speech(voice: voice)
        let truth = compose(utterances)
        let url = try SpeechMediaSupport.temporaryFolder(self).appendingPathComponent("speech.wav")
        try SpeechMediaSupport.writeWAV(truth.samples, sampleRate: utterances[0].sampleRate, to: url)

        var configuration = VADConfiguration()
        configuration.speechPad = padding
        let detector = try VoiceActivityDetector(store: SpeechMediaSupport.store, configuration: configuration)
        let tolerance = Self.tolerance + padding
        let found = try await detector.detect(path: url.path).segments
        let report = zip(truth.spans, found).map {
            String(format: "truth %.3f-%.3f found %.3f-%.3f", $0.start, $0.end, $1.start, $1.end)
        }.joined(separator: "; ")
        print("VAD boundaries, \(voice), padding \(padding) s: \(report)")
        XCTAssertEqual(found.count, truth.spans.count, "one segment per utterance: \(found)", file: file, line: line)
        for (expected, detected) in zip(truth.spans, found) {
            XCTAssertEqual(detected.start, expected.start, accuracy: tolerance, report, file: file, line: line)
            XCTAssertEqual(detected.end, expected.end, accuracy: tolerance, report, file: file, line: line)
        }
    }

    func testPiperVoiceBoundariesWithin100ms() async throws {
        try await check(voice: .defaultVoice, padding: 0)
    }

    func testESpeakBoundariesWithin100ms() async throws {
        try await check(voice: .espeak("en-us"), padding: 0)
    }

    func testPiperVoiceBoundariesWithDefaultPaddingWithin130ms() async throws {
        try await check(voice: .defaultVoice, padding: VADConfiguration().speechPad)
    }

    func testESpeakBoundariesWithDefaultPaddingWithin130ms() async throws {
        try await check(voice: .espeak("en-us"), padding: VADConfiguration().speechPad)
    }
}
