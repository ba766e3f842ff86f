@testable import MedleyAudio
import XCTest

/// The ducking curve of the voice-over mixer: down to the duck gain around speech, ramps on both sides, short
/// pauses bridged, full gain elsewhere.
final class VoiceOverTests: XCTestCase {
    func testDuckingFollowsTheVoiceWithRampsAndBridgesShortPauses() {
        var settings = VoiceOverSettings()
        settings.duckGainDB = -20 // gain 0.1
        settings.attack = 0.1
        settings.release = 0.2
        settings.hold = 0.3
        // Voice starting at block 100 (1 s): 0.5 s speech, 0.2 s pause (bridged), 0.5 s speech, 1 s pause, 0.1 s speech.
        var active = [Bool](repeating: true, count: 50) + [Bool](repeating: false, count: 20) + [Bool](repeating: true, count: 50)
        active += [Bool](repeating: false, count: 100) + [Bool](repeating: true, count: 10)
        let gains = VoiceOverMixer.duckingGains(active, startBlock: 100, settings: settings)
        XCTAssertEqual(gains[0], 1)
        XCTAssertEqual(gains[89], 1, "before the attack")
        XCTAssertEqual(gains[95], 0.55, accuracy: 0.01, "halfway down the attack")
        XCTAssertEqual(gains[100], 0.1, accuracy: 1e-6)
        XCTAssertEqual(gains[160], 0.1, accuracy: 1e-6, "the 0.2 s pause stays ducked")
        XCTAssertEqual(gains[219 + 10], 0.55, accuracy: 0.01, "halfway up the release after the second phrase")
        XCTAssertEqual(gains[260], 1, "back up in the long pause")
        XCTAssertEqual(gains[325], 0.1, accuracy: 1e-6, "the last short phrase ducks again")
        XCTAssertEqual(VoiceOverMixer.gain(atFrame: 100_000_000, gains: gains), 1, "past the end")
        XCTAssertEqual(VoiceOverMixer.gain(atFrame: 95 * VoiceOverMixer.blockFrames + VoiceOverMixer.blockFrames / 2, gains: gains),
                       (gains[95] + gains[96]) / 2, accuracy: 1e-6, "interpolated within a block")
    }

    func testSilentVoiceDucksNothing() {
        XCTAssertEqual(VoiceOverMixer.duckingGains([Bool](repeating: false, count: 100), startBlock: 0,
                                                   settings: VoiceOverSettings()), [])
    }
}
