import MedleyCore
import XCTest
@testable import MedleySpeech

/// The multilingual base model (installed by `make setup` as whisper-base) against faster-whisper 1.2.1,
/// notes/whisper-ct2.md §6: language detection, and the same tokens and scores with the language detected.
final class WhisperBaseTests: XCTestCase {
    func testDimensionsAndLanguages() throws {
        let model = try WhisperTestSupport.base()
        XCTAssertTrue(model.isMultilingual)
        XCTAssertEqual(model.dimensions.width, 512)
        XCTAssertEqual(model.dimensions.encoderLayers, 6)
        XCTAssertEqual(model.dimensions.vocabularySize, 51865)
        XCTAssertEqual(model.languages.count, 99)
        XCTAssertEqual(model.generation.languageIDs.count, 99)
    }

    func testDetectsEnglish() async throws {
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.base())
        let fox = try await transcriber.detectLanguage(samples: try WhisperTestSupport.fox())
        XCTAssertEqual(fox.language, "en")
        XCTAssertEqual(fox.probability, 0.96437, accuracy: 1e-3)
        XCTAssertEqual(fox.probabilities.count, 99)
    }

    func testFoxWithDetectedLanguage() async throws {
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.base(),
                                             options: WhisperTestSupport.referenceOptions())
        let transcript = try await transcriber.transcribe(samples: try WhisperTestSupport.fox())
        XCTAssertEqual(transcript.language, "en")
        XCTAssertEqual(transcript.languageProbability ?? 0, 0.96437, accuracy: 1e-3)
        let segment = try XCTUnwrap(transcript.segments.first)
        XCTAssertEqual(transcript.segments.count, 1)
        XCTAssertEqual(segment.tokens, [50364, 440, 1702, 6292, 21026, 3012, 11, 370, 321, 434, 799, 14847, 3000, 13, 50495])
        XCTAssertEqual(segment.text, " The quick brown fox jump, so we're gonna lazy dog.")
        XCTAssertEqual(segment.end, 2.62, accuracy: 1e-9)
        XCTAssertEqual(segment.avgLogprob, -0.82185, accuracy: 1e-3)
        XCTAssertEqual(segment.noSpeechProb, 0.025513, accuracy: 1e-3)
    }

    func testBeckettInEnglish() async throws {
        let transcriber = WhisperTranscriber(model: try WhisperTestSupport.base(),
                                             options: WhisperTestSupport.referenceOptions(language: "en"))
        let transcript = try await transcriber.transcribe(samples: try WhisperTestSupport.beckett())
        XCTAssertNil(transcript.languageProbability)
        XCTAssertEqual(transcript.segments.map(\.tokens), [
            [50364, 12123, 3031, 11, 1562, 7612, 13, 50514],
            [50514, 883, 1871, 11, 853, 797, 13, 50664],
            [50664, 39094, 797, 13, 39094, 1101, 13, 50814],
        ])
        XCTAssertEqual(transcript.segments.map(\.text),
                       [" Ever tried, ever failed.", " No matter, try again.", " Fail again. Fail better."])
        XCTAssertEqual(transcript.segments.map(\.end), [3, 6, 9])
        for segment in transcript.segments {
            XCTAssertEqual(segment.avgLogprob, -0.47219, accuracy: 1e-3)
            XCTAssertEqual(segment.noSpeechProb, 0.119802, accuracy: 1e-3)
        }
    }

    func testUnknownLanguageIsRejected() async throws {
        var options = TranscriptionOptions()
        options.language = "xx"
        do {
            _ = try await WhisperTranscriber(model: try WhisperTestSupport.base(), options: options)
                .transcribe(samples: [0])
            XCTFail("an unknown language should be rejected")
        } catch let error as MedleyError {
            XCTAssertTrue(error.message.contains("xx"), error.message)
        }
    }
}
