import Foundation
import MedleyCore
import XCTest
@testable import MedleySpeech

/// End-to-end transcription against faster-whisper 1.2.1 (CTranslate2 float32, greedy, temperature 0),
/// notes/whisper-ct2.md §6: the same token ids, segment texts and times; scores within 1e-3.
final class WhisperTranscribeTests: XCTestCase {
    private func transcribe(_ model: WhisperModel, _ samples: [Float], timestamps: Bool = true,
                            language: String? = nil) async throws -> Transcript {
        let options = WhisperTestSupport.referenceOptions(timestamps: timestamps, language: language)
        return try await WhisperTranscriber(model: model, options: options).transcribe(samples: samples)
    }

    func testTinyFox() async throws {
        let transcript = try await transcribe(try WhisperTestSupport.tiny(), try WhisperTestSupport.fox())
        XCTAssertEqual(transcript.language, "en")
        XCTAssertEqual(transcript.duration, 46_536.0 / 16_000, accuracy: 1e-9)
        XCTAssertEqual(transcript.segments.count, 1)
        let segment = try XCTUnwrap(transcript.segments.first)
        XCTAssertEqual(segment.tokens, [50363, 383, 2068, 7586, 21831, 4391, 625, 262, 16931, 299, 519, 13, 50513])
        XCTAssertEqual(segment.text, " The quick brown fox jump over the lazy nog.")
        XCTAssertEqual(segment.start, 0)
        XCTAssertEqual(segment.end, 3.0)
        XCTAssertEqual(segment.seek, 0)
        XCTAssertEqual(segment.avgLogprob, -0.6589, accuracy: 1e-3)
        XCTAssertEqual(segment.noSpeechProb, 0.040959, accuracy: 1e-3)
        XCTAssertEqual(segment.compressionRatio, 0.86, accuracy: 1e-9)
        XCTAssertEqual(segment.temperature, 0)
        XCTAssertEqual(transcript.text, "The quick brown fox jump over the lazy nog.")
    }

    func testTinyFoxWithoutTimestamps() async throws {
        let transcript = try await transcribe(try WhisperTestSupport.tiny(), try WhisperTestSupport.fox(),
                                              timestamps: false)
        let segment = try XCTUnwrap(transcript.segments.first)
        XCTAssertEqual(segment.tokens, [383, 2068, 7586, 21831, 4391, 625, 262, 16931, 299, 519, 13])
        XCTAssertEqual(segment.end, 2.9, accuracy: 1e-9)   // the window's 290 content frames
        XCTAssertEqual(segment.avgLogprob, -0.48377, accuracy: 1e-3)
    }

    func testTinyBeckett() async throws {
        let transcript = try await transcribe(try WhisperTestSupport.tiny(), try WhisperTestSupport.beckett())
        XCTAssertEqual(transcript.segments.flatMap(\.tokens), [
            50363, 10776, 3088, 11, 1683, 4054, 13, 50513, 50513, 1400, 2300, 11, 1949, 757, 13, 50663,
            50663, 18448, 757, 13, 50763, 50763, 18448, 1365, 13, 50863])
        XCTAssertEqual(transcript.segments.map(\.text),
                       [" Ever tried, ever failed.", " No matter, try again.", " Fail again.", " Fail better."])
        XCTAssertEqual(transcript.segments.map(\.start), [0, 3, 6, 8])
        XCTAssertEqual(transcript.segments.map(\.end), [3, 6, 8, 10])
        XCTAssertEqual(transcript.segments.map(\.id), [0, 1, 2, 3])
        for segment in transcript.segments {
            XCTAssertEqual(segment.avgLogprob, -0.3951, accuracy: 1e-3)
            XCTAssertEqual(segment.noSpeechProb, 0.199859, accuracy: 1e-3)
            XCTAssertEqual(segment.compressionRatio, 1.1639, accuracy: 1e-4)
        }
    }

    func testTinyBeckettWithoutTimestamps() async throws {
        let transcript = try await transcribe(try WhisperTestSupport.tiny(), try WhisperTestSupport.beckett(),
                                              timestamps: false)
        XCTAssertEqual(transcript.segments.count, 1)
        let segment = try XCTUnwrap(transcript.segments.first)
        XCTAssertEqual(segment.tokens,
                       [10776, 3088, 11, 1683, 4054, 13, 1400, 2300, 11, 1949, 757, 13, 18448, 757, 13, 18448, 1365, 13])
        XCTAssertEqual(segment.end, 9.96, accuracy: 1e-9)
        XCTAssertEqual(segment.avgLogprob, -0.17104, accuracy: 1e-3)
        XCTAssertEqual(segment.noSpeechProb, 0.199858, accuracy: 1e-3)
    }

    func testSilenceGivesNoSegments() async throws {
        // 10 s of digital silence: no_speech 0.9366 and avg_logprob -1.175 on tiny.en, so the window is skipped,
        // with the default temperature fallback too.
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.tiny())
        let transcript = try await transcriber.transcribe(samples: [Float](repeating: 0, count: 160_000))
        XCTAssertEqual(transcript.segments, [])
        XCTAssertEqual(transcript.text, "")
        XCTAssertEqual(transcript.duration, 10)
    }

    func testVeryShortAndEmptyInputs() async throws {
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.tiny(),
                                             options: WhisperTestSupport.referenceOptions())
        let short = try await transcriber.transcribe(samples: Array(try WhisperTestSupport.fox().prefix(1600)))
        XCTAssertLessThanOrEqual(short.segments.count, 1)
        XCTAssertLessThan(short.text.count, 40)
        let empty = try await transcriber.transcribe(samples: [])
        XCTAssertEqual(empty.segments, [])
        XCTAssertEqual(empty.duration, 0)
    }

    func testProgressJSONAndStreaming() async throws {
        let model = try WhisperTestSupport.tiny()
        let samples = try WhisperTestSupport.beckett()
        let progress = RecordingProgress()
        let transcriber = WhisperTranscriber(model: model, options: WhisperTestSupport.referenceOptions())
        let transcript = try await transcriber.transcribe(samples: samples, progress: progress)
        let events = progress.events
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.last?.stage, "transcribe")
        XCTAssertEqual(events.last?.unit, "s")
        XCTAssertEqual(events.last?.completed ?? 0, 9.96, accuracy: 1e-9)
        XCTAssertEqual(events.last?.total ?? 0, 9.96, accuracy: 1e-9)

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try XCTUnwrap(String(data: try encoder.encode(transcript), encoding: .utf8))
        for key in ["\"text\"", "\"language\"", "\"duration\"", "\"segments\"", "\"avg_logprob\"", "\"no_speech_prob\"",
                    "\"compression_ratio\"", "\"start\"", "\"end\"", "\"seek\"", "\"tokens\"", "\"temperature\""] {
            XCTAssertTrue(json.contains(key), key)
        }
        XCTAssertEqual(try JSONDecoder().decode(Transcript.self, from: Data(json.utf8)), transcript)

        // The streamed input (chunks of 0.3 s) gives the same transcript.
        let feeder = ChunkFeeder(samples: samples, chunk: 4_800)
        let streamed = try await transcriber.transcribe { feeder.next() }
        XCTAssertEqual(streamed, transcript)
    }

    func testCancellationStopsTranscription() async throws {
        let model = try WhisperTestSupport.tiny()
        let samples = try WhisperTestSupport.beckett()
        let task = Task {
            try await WhisperTranscriber(model: model).transcribe(samples: samples + samples + samples)
        }
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("a cancelled transcription should throw")
        } catch is CancellationError {
        } catch {
            XCTFail("expected CancellationError, got \(error)")
        }
    }

    func testInvalidOptionsAreRejected() async throws {
        let model = try WhisperTestSupport.tiny()
        var options = TranscriptionOptions()
        options.temperatures = []
        do {
            _ = try await WhisperTranscriber(model: model, options: options).transcribe(samples: [0])
            XCTFail("empty temperatures should be rejected")
        } catch MedleyError.invalidArgument {
        }
    }

    func testInitialPromptConditionsTheFirstWindow() async throws {
        let model = try WhisperTestSupport.tiny()
        var options = WhisperTestSupport.referenceOptions()
        options.initialPrompt = "Samuel Beckett, Worstward Ho."
        let transcript = try await WhisperTranscriber(model: model, options: options)
            .transcribe(samples: try WhisperTestSupport.beckett())
        XCTAssertFalse(transcript.segments.isEmpty)
        XCTAssertTrue(transcript.text.lowercased().contains("fail"), transcript.text)
    }

    /// With a log-probability threshold nothing can pass, every temperature is tried (sampling 5 candidates
    /// above 0) and the most probable result is kept, reported with the last temperature as faster-whisper does.
    /// Equal seeds give equal transcripts.
    func testTemperatureFallbackIsSeeded() async throws {
        let model = try WhisperTestSupport.tiny()
        var options = TranscriptionOptions(temperatures: [0, 0.5, 1.0])
        options.logProbThreshold = 0
        options.seed = 42
        let samples = try WhisperTestSupport.fox()
        let first = try await WhisperTranscriber(model: model, options: options).transcribe(samples: samples)
        let second = try await WhisperTranscriber(model: model, options: options).transcribe(samples: samples)
        XCTAssertEqual(first, second)
        let segment = try XCTUnwrap(first.segments.first)
        XCTAssertEqual(segment.temperature, 1.0)
        // Greedy decoding scores -0.6589; a sampled candidate can only be kept if it scores at least as well.
        XCTAssertGreaterThanOrEqual(segment.avgLogprob, -0.6589 - 1e-3)
        XCTAssertFalse(first.text.isEmpty)
    }

    func testAsyncSequenceInput() async throws {
        let samples = try WhisperTestSupport.fox()
        let chunks = AsyncStream<[Float]> { continuation in
            var start = 0
            while start < samples.count {
                continuation.yield(Array(samples[start..<min(samples.count, start + 10_000)]))
                start += 10_000
            }
            continuation.finish()
        }
        let transcript = try await WhisperTranscriber(model: try WhisperTestSupport.tiny(),
                                                      options: WhisperTestSupport.referenceOptions())
            .transcribe(chunks: chunks)
        XCTAssertEqual(transcript.segments.first?.tokens,
                       [50363, 383, 2068, 7586, 21831, 4391, 625, 262, 16931, 299, 519, 13, 50513])
        XCTAssertEqual(transcript.duration, 46_536.0 / 16_000, accuracy: 1e-9)
    }
}
