import Foundation
import MedleyCore
import XCTest
@testable import MedleySpeech

/// espeak-ng's own formant voices, synthesized through the library.
final class ESpeakVoiceTests: XCTestCase {
    func testEnglishFrenchAndGermanVoicesSpeak() async throws {
        let phrases: [(VoiceID, String)] = [
            (.espeak("en"), "Good morning, how are you today?"),
            (.espeak("fr"), "Bonjour, comment allez-vous aujourd'hui ?"),
            (.espeak("de"), "Guten Morgen, wie geht es Ihnen heute?"),
        ]
        for (voice, text) in phrases {
            let result = try await TTSFixtures.synthesize(text, voice: voice)
            XCTAssertEqual(result.sampleRate, 22_050, "\(voice)")
            XCTAssertGreaterThan(result.duration, 1, "\(voice)")
            XCTAssertLessThan(result.duration, 5, "\(voice)")
            XCTAssertGreaterThan(TTSFixtures.rms(result.audio.samples), 0.02, "\(voice) is not silent")
            XCTAssertEqual(result.settings.engine, "espeak-ng")
            XCTAssertEqual(result.settings.wordsPerMinute, 175)
            XCTAssertEqual(result.modelCardId, "espeak-ng-data")
            XCTAssertNil(result.modelSha256)
        }
    }

    func testRepeatedSynthesisIsNearlyTheSame() async throws {
        // Not bit for bit: espeak-ng's waveform generator keeps its pitch-flutter phase in a function-level static
        // that nothing resets, so each call continues where the previous one stopped. Length and level agree.
        let first = try await TTSFixtures.synthesize("Same words, same samples.", voice: .espeak("en-us"))
        let second = try await TTSFixtures.synthesize("Same words, same samples.", voice: .espeak("en-us"))
        XCTAssertEqual(first.duration, second.duration, accuracy: 0.01)
        XCTAssertEqual(TTSFixtures.rms(first.audio.samples), TTSFixtures.rms(second.audio.samples), accuracy: 0.01)
    }

    func testRateChangesTheLength() async throws {
        let text = "The quick brown fox jumps over the lazy dog."
        let normal = try await TTSFixtures.synthesize(text, voice: .espeak("en-us"))
        let fast = try await TTSFixtures.synthesize(text, voice: .espeak("en-us"), options: SynthesisOptions(wordsPerMinute: 350))
        let ratio = normal.duration / fast.duration
        XCTAssertEqual(ratio, 2, accuracy: 0.4, "175 wpm \(normal.duration) s, 350 wpm \(fast.duration) s")
        let viaRate = try await TTSFixtures.synthesize(text, voice: .espeak("en-us"), options: SynthesisOptions(rate: 2))
        XCTAssertEqual(viaRate.settings.wordsPerMinute, 350)
        XCTAssertEqual(viaRate.duration, fast.duration, accuracy: 0.01)
    }

    func testRateOutsideESpeakRangeIsRejected() async throws {
        do {
            _ = try await TTSFixtures.synthesize("Hello.", voice: .espeak("en"), options: SynthesisOptions(wordsPerMinute: 900))
            XCTFail("900 wpm is beyond espeak-ng")
        } catch MedleyError.invalidArgument(let message) {
            XCTAssertTrue(message.contains("80-450"), message)
        }
    }

    func testDurationControlHitsFiveSeconds() async throws {
        let text = "It was a bright cold day in April, and the clocks were striking thirteen."
        let natural = try await TTSFixtures.synthesize(text, voice: .espeak("en-us"))
        let fitted = try await TTSFixtures.synthesize(text, voice: .espeak("en-us"), options: SynthesisOptions(duration: 5))
        XCTAssertEqual(fitted.duration, 5, accuracy: 5 * 0.03, "natural \(natural.duration) s")
        let rate = try XCTUnwrap(fitted.settings.wordsPerMinute)
        XCTAssertLessThan(rate, 175, "slower than normal to fill 5 s")
    }

    func testAvailableLanguagesAreMany() throws {
        let languages = try ESpeakVoice.availableLanguages()
        XCTAssertGreaterThan(languages.count, 100)
        XCTAssertTrue(languages.contains("en-us"), "\(languages)")
        XCTAssertTrue(ESpeakEngine.shared.hasVoice("fr"))
        XCTAssertFalse(ESpeakEngine.shared.hasVoice("xx-nonexistent"))
    }

    func testCancellationStopsSynthesis() async throws {
        let text = String(repeating: "This paragraph is long enough to take a while to speak. ", count: 40)
        let task = Task { try ESpeakVoice(language: "en").synthesize(text) }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("a cancelled synthesis must throw")
        } catch is CancellationError {
        }
    }

    /// Every listed language can be selected, also those whose voice file has another name (en-gb is gmw/en).
    func testEveryListedEnglishVoiceSpeaks() throws {
        for language in try ESpeakVoice.availableLanguages() where language.hasPrefix("en") {
            XCTAssertFalse(try ESpeakVoice(language: language).synthesize("Hello.").samples.isEmpty, language)
        }
    }
}
