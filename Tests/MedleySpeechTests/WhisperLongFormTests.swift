import Foundation
import XCTest
@testable import MedleySpeech

/// Long-form transcription over consecutive windows (notes/whisper-ct2.md §5–6): Beckett four times is 39.9 s,
/// two windows; the second starts at seek 2996 and is conditioned on the first window's 78 tokens.
final class WhisperLongFormTests: XCTestCase {
    private let expectedTexts = [
        " Ever tried, ever failed.", " No matter, try again.", " Fail again.", " Fail better.",
        " Ever tried, ever failed.", " No matter, try again.", " Fail again.", " Fail better.",
        " Ever tried, ever failed.", " No matter, try again.", " Fail again.", " Fail better.",
        " Ever tried.", " Ever failed.", " No matter.", " Try again.", " Fail again.", " Fail better.",
    ]
    private let expectedStarts: [Double] = [
        0, 3.44, 6.48, 7.96, 10.16, 13.36, 16.44, 17.92, 20.08, 23.32, 26.4, 27.88,
        29.96, 30.96, 32.96, 34.96, 35.96, 37.96,
    ]

    private func check(_ transcript: Transcript) {
        XCTAssertEqual(transcript.segments.map(\.text), expectedTexts)
        XCTAssertEqual(transcript.segments.count, 18)
        for (segment, start) in zip(transcript.segments, expectedStarts) {
            XCTAssertEqual(segment.start, start, accuracy: 1e-9)
        }
        XCTAssertEqual(transcript.segments.last?.end ?? 0, 38.96, accuracy: 1e-9)
        XCTAssertEqual(transcript.segments.map(\.seek), [Int](repeating: 0, count: 12) + [Int](repeating: 2996, count: 6))
        XCTAssertEqual(transcript.segments[11].tokens, [51757, 18448, 1365, 13, 51861])
        XCTAssertEqual(transcript.segments[12].tokens, [50363, 10776, 3088, 13, 50413])
        XCTAssertEqual(transcript.segments[0].noSpeechProb, 0.5259, accuracy: 1e-3)
        XCTAssertEqual(transcript.segments[0].avgLogprob, -0.34293, accuracy: 1e-3)
        XCTAssertEqual(transcript.segments[12].noSpeechProb, 0.25947, accuracy: 1e-3)
        XCTAssertEqual(transcript.segments[12].avgLogprob, -0.51707, accuracy: 1e-3)
    }

    func testBeckettFourTimes() async throws {
        let once = try WhisperTestSupport.beckett()
        let samples = once + once + once + once
        XCTAssertEqual(samples.count, 637_656)
        let progress = RecordingProgress()
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.tiny(),
                                             options: WhisperTestSupport.referenceOptions())
        let transcript = try await transcriber.transcribe(samples: samples, progress: progress)
        check(transcript)
        XCTAssertEqual(progress.events.map(\.completed), [29.96, 39.85])
    }

    /// The same input streamed in 1 s chunks gives the same transcript (the loudest passage comes first).
    func testBeckettFourTimesStreamed() async throws {
        let once = try WhisperTestSupport.beckett()
        let feeder = ChunkFeeder(samples: once + once + once + once, chunk: 16_000)
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.tiny(),
                                             options: WhisperTestSupport.referenceOptions())
        check(try await transcriber.transcribe { feeder.next() })
    }
}
