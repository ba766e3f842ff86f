import Foundation
import MedleyCore
import MedleyModels
import XCTest
@testable import MedleySpeech

/// The file-level API: store loading, streamed decoding of any FFmpeg input, and VAD chunking.
final class WhisperFileTranscriptionTests: XCTestCase {
    private let beckettText = "Ever tried, ever failed. No matter, try again. Fail again. Fail better."

    func testStoreLoaderChecksTheCardAndPolicy() throws {
        let store = SpeechMediaSupport.store
        let model = try WhisperModel(store: store)
        XCTAssertEqual(model.id, "whisper-tiny.en")
        XCTAssertFalse(model.isMultilingual)
        XCTAssertThrowsError(try WhisperModel(store: store, id: "whisper-huge")) { error in
            guard case .modelNotInstalled(_, let installed) = error as? MedleyError else {
                return XCTFail("\(error)")
            }
            XCTAssertTrue(installed.contains("whisper-tiny.en"))
        }
        XCTAssertThrowsError(try WhisperModel(store: store, id: "silero-vad")) { error in
            XCTAssertTrue("\(error)".contains("not speech recognition"), "\(error)")
        }
        let strict = LicensePolicy(name: "copyleft-only", allowedCategories: [.copyleft])
        XCTAssertThrowsError(try WhisperModel(store: store, policy: strict)) { error in
            guard case .policyDenied = error as? MedleyError else { return XCTFail("\(error)") }
        }
    }

    /// An AAC file at 44.1 kHz stereo is decoded, resampled and streamed; the text matches the WAV's.
    func testPathTranscriptionDecodesAnyInput() async throws {
        let folder = try SpeechMediaSupport.temporaryFolder(self)
        let aac = folder.appendingPathComponent("beckett.m4a").path
        try SpeechMediaSupport.tool("ffmpeg", ["-v", "error", "-i", WhisperTestSupport.fixture("beckett.wav"),
                                               "-ar", "44100", "-ac", "2", "-c:a", "aac", "-b:a", "128k", aac])
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.tiny(),
                                             options: WhisperTestSupport.referenceOptions())
        let progress = RecordingProgress()
        let transcript = try await transcriber.transcribe(path: aac, progress: progress)
        XCTAssertEqual(transcript.text, beckettText)
        XCTAssertEqual(transcript.duration, 9.96, accuracy: 0.05)
        XCTAssertEqual(progress.events.last?.total ?? 0, 9.96, accuracy: 0.1, "the container's duration is the total")

        let wav = try await transcriber.transcribe(path: WhisperTestSupport.fixture("beckett.wav"))
        let memory = try await transcriber.transcribe(samples: try WhisperTestSupport.beckett())
        XCTAssertEqual(wav.segments, memory.segments)
    }

    func testPathErrorsNameTheFile() async throws {
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.tiny())
        do {
            _ = try await transcriber.transcribe(path: "/no/such/file.wav")
            XCTFail("no error")
        } catch let error as MedleyError {
            XCTAssertEqual(error, .fileNotFound(path: "/no/such/file.wav"))
        }
    }

    /// Beckett between long silences: the VAD path skips the silence, finds the same text and moves the
    /// timestamps onto the file's time line.
    func testVADChunksSkipSilenceAndOffsetTimestamps() async throws {
        let folder = try SpeechMediaSupport.temporaryFolder(self)
        let beckett = try WhisperTestSupport.beckett()
        let silence = [Float](repeating: 0, count: 16_000 * 40)
        let file = folder.appendingPathComponent("padded.wav")
        try SpeechMediaSupport.writeWAV(silence + beckett + silence, sampleRate: 16_000, to: file)

        let vad = try VoiceActivityDetector(store: SpeechMediaSupport.store)
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.tiny(),
                                             options: WhisperTestSupport.referenceOptions())
        let progress = RecordingProgress()
        let transcript = try await transcriber.transcribe(path: file.path, vad: vad, progress: progress)
        XCTAssertEqual(transcript.text, beckettText)
        XCTAssertEqual(transcript.duration, 89.963, accuracy: 0.01)
        XCTAssertEqual(transcript.segments.map(\.id), Array(0..<transcript.segments.count))
        let first = try XCTUnwrap(transcript.segments.first), last = try XCTUnwrap(transcript.segments.last)
        XCTAssertEqual(first.start, 40, accuracy: 0.5)
        // Speech ends at 48.93 s (VAD); the chunk stops 0.4 s later, so Whisper cannot run to 50.00 as it does
        // on the whole file.
        XCTAssertEqual(last.end, 48.9, accuracy: 0.3)
        XCTAssertEqual(Double(first.seek) * 0.01, first.start, accuracy: 0.5)
        XCTAssertEqual(Set(progress.events.map(\.stage)), ["vad", "transcribe"])
        XCTAssertEqual(progress.events.last?.fraction ?? 0, 49.33 / 89.96, accuracy: 0.01, "last chunk ends at 49.3 s")
    }

    func testVADPathOnSilenceIsEmptyAndFast() async throws {
        let folder = try SpeechMediaSupport.temporaryFolder(self)
        let file = folder.appendingPathComponent("silence.m4a").path
        try SpeechMediaSupport.tool("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono",
                                               "-t", "600", "-c:a", "aac", file])
        let vad = try VoiceActivityDetector(store: SpeechMediaSupport.store)
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.tiny())
        let start = Date()
        let transcript = try await transcriber.transcribe(path: file, vad: vad)
        XCTAssertEqual(transcript.segments, [])
        XCTAssertEqual(transcript.text, "")
        XCTAssertEqual(transcript.duration, 600, accuracy: 0.1)
        // Ten minutes of silence cost only the VAD (about 1 s here in a debug build), never 20 Whisper windows.
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
    }

    func testVADPathDetectsTheLanguageOnceWithAMultilingualModel() async throws {
        let folder = try SpeechMediaSupport.temporaryFolder(self)
        let file = folder.appendingPathComponent("beckett.wav")
        try SpeechMediaSupport.writeWAV([Float](repeating: 0, count: 16_000 * 5) + (try WhisperTestSupport.beckett()),
                                        sampleRate: 16_000, to: file)
        let vad = try VoiceActivityDetector(store: SpeechMediaSupport.store)
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.base(),
                                             options: WhisperTestSupport.referenceOptions())
        let transcript = try await transcriber.transcribe(path: file.path, vad: vad)
        XCTAssertEqual(transcript.language, "en")
        XCTAssertGreaterThan(transcript.languageProbability ?? 0, 0.9)
        XCTAssertTrue(transcript.text.hasPrefix("Ever tried, ever failed."), transcript.text)
    }

    func testEnglishOnlyModelRefusesAnotherLanguage() async throws {
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.tiny(),
                                             options: TranscriptionOptions(language: "de"))
        do {
            _ = try await transcriber.transcribe(samples: [Float](repeating: 0, count: 1600))
            XCTFail("no error")
        } catch let error as MedleyError {
            XCTAssertTrue(error.message.contains("English-only"), error.message)
        }
    }
}
