import Foundation
import MedleyCore
import XCTest
@testable import MedleySpeech

/// The facade: bad input, voice lookup, provenance and files.
final class SpeechSynthesizerTests: XCTestCase {
    func testEmojiAndSymbolsWarnAndTheRestIsSpoken() async throws {
        let plain = try await TTSFixtures.synthesize("Hello world, how are you?")
        let decorated = try await TTSFixtures.synthesize("Hello 😀 world ©, how are you? 🎉")
        XCTAssertEqual(decorated.warnings.count, 2, "\(decorated.warnings)")
        XCTAssertTrue(decorated.warnings.contains { $0.contains("emoji") && $0.contains("😀") })
        XCTAssertTrue(decorated.warnings.contains { $0.contains("symbol") && $0.contains("©") })
        // The emoji and the symbol are not read out: the rest is spoken exactly as the plain text.
        XCTAssertTrue(decorated.audio.samples == plain.audio.samples, "the same speech as the plain text")
        XCTAssertEqual(decorated.text, "Hello 😀 world ©, how are you? 🎉")
    }

    func testUnsupportedScriptWarnsForEveryVoiceKind() async throws {
        let piper = try await TTSFixtures.synthesize("Hello 你好 world.")
        XCTAssertEqual(piper.warnings.count, 1)
        XCTAssertTrue(piper.warnings[0].contains("你") && piper.warnings[0].contains("han"), piper.warnings[0])
        XCTAssertGreaterThan(piper.duration, 0.5)
        let espeak = try await TTSFixtures.synthesize("Bonjour 你好.", voice: .espeak("fr"))
        XCTAssertEqual(espeak.warnings.count, 1)
    }

    func testEmptyTextIsAnError() async throws {
        for text in ["", "  \n ", "🎉🎉"] {
            do {
                _ = try await TTSFixtures.synthesizer.synthesize(text: text, voice: .espeak("en"))
                XCTFail("'\(text)' must be refused")
            } catch MedleyError.invalidArgument(let message) {
                XCTAssertTrue(message.contains("empty text"), message)
            }
        }
    }

    func testUnknownVoiceListsTheAvailableOnes() async throws {
        _ = try TTSFixtures.installedVoice()
        for voice: VoiceID in ["piper-xx_XX-nobody-medium", "espeak:xx-nonexistent"] {
            do {
                _ = try await TTSFixtures.synthesizer.synthesize(text: "Hello.", voice: voice)
                XCTFail("\(voice) must be refused")
            } catch MedleyError.invalidArgument(let message) {
                XCTAssertTrue(message.contains("xx"), message)
                XCTAssertTrue(message.contains("piper-en_US-joe-medium"), message)
                XCTAssertTrue(message.contains("espeak:en-us") && message.contains("espeak:fr-fr"), message)
            }
        }
        let voices = TTSFixtures.synthesizer.availableVoices()
        XCTAssertEqual(voices.first, TTSFixtures.voiceID)
        XCTAssertTrue(voices.contains(.espeak("de")))
    }

    func testNonVoiceModelIsRefused() async throws {
        let others = TTSFixtures.store.installedIDs().filter { !$0.hasPrefix("piper-") }
        guard let other = others.first else { return }  // only voices installed: nothing to check
        do {
            _ = try await TTSFixtures.synthesizer.synthesize(text: "Hello.", voice: VoiceID(rawValue: other))
            XCTFail("\(other) is not a voice")
        } catch MedleyError.invalidArgument(let message) {
            XCTAssertTrue(message.contains("not a Piper voice"), message)
        }
    }

    func testInvalidOptionsAreRejected() async throws {
        let bad = [
            SynthesisOptions(rate: 0), SynthesisOptions(lengthScale: -1), SynthesisOptions(noiseScale: -0.5),
            SynthesisOptions(sentencePause: -1), SynthesisOptions(speaker: 2), SynthesisOptions(duration: 0),
            SynthesisOptions(duration: .nan),
        ]
        for options in bad {
            do {
                _ = try await TTSFixtures.synthesize("Hello.", options: options)
                XCTFail("\(options) must be refused")
            } catch let error as MedleyError {
                guard case .invalidArgument = error else { return XCTFail("\(error)") }
            }
        }
    }

    func testCancellationStopsBetweenSentences() async throws {
        _ = try TTSFixtures.installedVoice()
        let text = String(repeating: "This sentence is spoken again and again. ", count: 30)
        let task = Task { try await TTSFixtures.synthesizer.synthesize(text: text, voice: TTSFixtures.voiceID) }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("a cancelled synthesis must throw")
        } catch is CancellationError {
        }
    }

    func testWritingTagsTheFileAndWritesProvenance() async throws {
        let result = try await TTSFixtures.synthesize("Generated speech is labelled.")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medley-tts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sha = try XCTUnwrap(result.modelSha256)

        for name in ["speech.wav", "speech.mp3", "speech.opus"] {
            let path = folder.appendingPathComponent(name).path
            let files = try result.write(to: path)
            XCTAssertEqual(files.provenance, folder.appendingPathComponent("speech.provenance.json").path)
            let tags = try Self.probeTags(path).lowercased()
            XCTAssertTrue(tags.contains("ai-generated speech"), "\(name): \(tags)")
            XCTAssertTrue(tags.contains("piper-en_us-joe-medium"), "\(name): \(tags)")
            XCTAssertTrue(tags.contains(sha), "\(name): \(tags)")

            let record = try SpeechProvenance.load(from: files.provenance)
            XCTAssertEqual(record.text, "Generated speech is labelled.")
            XCTAssertEqual(record.voice, "piper-en_US-joe-medium")
            XCTAssertEqual(record.modelCardId, "piper-en_US-joe-medium")
            XCTAssertEqual(record.modelSha256, sha)
            XCTAssertEqual(record.medleyVersion, Medley.version)
            XCTAssertTrue(record.aiGenerated)
            XCTAssertEqual(record.digitalSourceType, "trainedAlgorithmicMedia")
            XCTAssertEqual(record.settings, result.settings)
            XCTAssertEqual(record.audioFile, name)
        }
        let json = try String(contentsOf: folder.appendingPathComponent("speech.provenance.json"), encoding: .utf8)
        for key in ["\"ai_generated\" : true", "\"digital_source_type\" : \"trainedAlgorithmicMedia\"", "\"model_sha256\"",
                    "\"medley_version\"", "\"created\"", "\"length_scale\" : 1"] {
            XCTAssertTrue(json.contains(key), "\(key) in \(json)")
        }
    }

    func testVoiceIDSpellings() {
        XCTAssertEqual(VoiceID(rawValue: "espeak:fr").kind, .espeak(language: "fr"))
        XCTAssertEqual(VoiceID.espeak("en-us").rawValue, "espeak:en-us")
        XCTAssertEqual(VoiceID(rawValue: "piper-en_US-joe-medium").kind, .model(id: "piper-en_US-joe-medium"))
        XCTAssertEqual(VoiceID(rawValue: "voices/x.onnx").kind, .file(path: "voices/x.onnx"))
    }

    /// Every container and stream tag of a file, as ffprobe prints them.
    private static func probeTags(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffprobe", "-v", "error", "-show_entries", "format_tags:stream_tags", "-of", "default", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
