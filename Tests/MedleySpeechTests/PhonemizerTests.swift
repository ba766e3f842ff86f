import Foundation
import MedleyCore
import XCTest
@testable import MedleySpeech

/// espeak-ng phonemization as Piper voices need it, and the text cleaning in front of every voice.
final class PhonemizerTests: XCTestCase {
    private let english = ESpeakPhonemizer(voice: "en-us")

    // MARK: - Phonemes

    func testHelloWorldMatchesTheESpeakCommandLine() throws {
        let cli = try Self.espeakCLI(["-q", "--ipa", "-v", "en-us", "Hello world."])
        let expected = cli.trimmingCharacters(in: .whitespacesAndNewlines).decomposedStringWithCanonicalMapping
        XCTAssertEqual(expected, "həlˈoʊ wˈɜːld", "espeak-ng 1.51's own IPA for the phrase")
        // The library gives the same phonemes, plus the sentence's period, which Piper voices were trained with.
        XCTAssertEqual(try english.sentences("Hello world."), [expected + "."])
    }

    func testClausePunctuationIsKeptAndSentencesSplitLikePiper() throws {
        let sentences = try english.sentences("Hello, world! How are you? I am fine; thanks: really. The end")
        XCTAssertEqual(sentences, [
            "həlˈoʊ, wˈɜːld!",
            "hˈaʊ ɑːɹ juː?",
            "aɪɐm fˈaɪn; θˈæŋks: ɹˈiəli.",
            "ðɪ ˈɛnd",
        ].map { $0.decomposedStringWithCanonicalMapping })
    }

    func testPunctuationIsFoundAfterAMultibyteLookAheadCharacter() throws {
        // espeak-ng's text pointer stops one character (here two bytes, 'É') into the next clause.
        let sentences = try english.sentences("He said no. Élan vital, ça va? Yes.")
        XCTAssertEqual(sentences.count, 3, "\(sentences)")
        XCTAssertEqual(sentences.first?.last, ".")
        XCTAssertTrue(sentences[1].contains(", "), sentences[1])
        XCTAssertEqual(sentences[1].last, "?")
    }

    func testClosingQuotesDoNotHideTheSentenceEnd() throws {
        let sentences = try english.sentences("He said \"stop.\" Then he left.")
        XCTAssertEqual(sentences.count, 2, "\(sentences)")
        XCTAssertEqual(sentences.first?.last, ".")
    }

    func testClausesWithoutPunctuationKeepWordsApart() throws {
        // espeak-ng ends a clause at an em dash without punctuation; the words on either side must not merge.
        let phonemes = try english.phonemes("left — fast")
        XCTAssertTrue(phonemes.contains(" "), phonemes)
    }

    func testUnpunctuatedTextIsCutIntoBoundedSentences() throws {
        let text = Array(repeating: "banana", count: 300).joined(separator: " ")
        let sentences = try english.sentences(text)
        XCTAssertGreaterThan(sentences.count, 1)
        for sentence in sentences {
            XCTAssertLessThanOrEqual(sentence.unicodeScalars.count, ESpeakPhonemizer.maximumSentenceLength)
            XCTAssertFalse(sentence.hasPrefix(" ") || sentence.hasSuffix(" "))
        }
        XCTAssertEqual(sentences.joined(separator: " ").split(separator: " ").count, 300, "no word lost")
    }

    func testBlankLinesEndSentences() throws {
        XCTAssertEqual(try english.sentences("First line\nsame sentence\n\nSecond paragraph").count, 2)
    }

    func testLanguageFlagsAreRemovedAndPhonemesDecomposed() {
        XCTAssertEqual(ESpeakPhonemizer.normalized("(fr)sa va(en) ok"), "sa va ok")
        let decomposed = ESpeakPhonemizer.normalized("ç")
        XCTAssertEqual(decomposed.unicodeScalars.map(\.value), [0x63, 0x327], "ç becomes c + combining cedilla")
    }

    func testOtherLanguages() throws {
        XCTAssertEqual(try ESpeakPhonemizer(voice: "fr").sentences("Bonjour."),
                       ["bɔ̃ʒˈuʁ.".decomposedStringWithCanonicalMapping])
        XCTAssertFalse(try ESpeakPhonemizer(voice: "de").phonemes("Guten Tag").isEmpty)
    }

    func testUnknownESpeakVoiceThrows() {
        XCTAssertThrowsError(try ESpeakPhonemizer(voice: "xx-nonexistent").sentences("Hello")) { error in
            guard case MedleyError.invalidArgument(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("xx-nonexistent"), message)
        }
    }

    func testConcurrentCallsAreSerialisedAndAgree() async throws {
        let expected = try english.sentences("The quick brown fox jumps over the lazy dog.")
        let phonemizer = english
        try await withThrowingTaskGroup(of: [String].self) { group in
            for index in 0..<16 {
                group.addTask {
                    // Switch voices in between: espeak-ng's voice is global state.
                    if index % 2 == 1 { _ = try ESpeakPhonemizer(voice: "de").sentences("Guten Morgen.") }
                    return try phonemizer.sentences("The quick brown fox jumps over the lazy dog.")
                }
            }
            for try await result in group { XCTAssertEqual(result, expected) }
        }
    }

    // MARK: - Phoneme ids

    func testPhonemeIDsFollowPiperConventions() throws {
        let json = #"{"audio": {"sample_rate": 22050}, "espeak": {"voice": "en-us"}, "phoneme_type": "espeak","#
            + #""phoneme_id_map": {"_": [0], "^": [1], "$": [2], " ": [3], ".": [10], "a": [14], "b": [15],"#
            + #""c": [16], "̧": [140]}}"#
        let config = try PiperVoiceConfig(json: Data(json.utf8), origin: "test")
        let (ids, missing) = config.phonemeIDs(for: "ab ç.".decomposedStringWithCanonicalMapping + "x")
        // ^ _ then every phoneme followed by _, then $; 'x' is not in the map and is dropped.
        XCTAssertEqual(ids, [1, 0, 14, 0, 15, 0, 3, 0, 16, 0, 140, 0, 10, 0, 2])
        XCTAssertEqual(missing, ["x": 1])
        XCTAssertEqual(config.noiseScale, 0.667)
        XCTAssertEqual(config.lengthScale, 1)
        XCTAssertEqual(config.noiseW, 0.8)
    }

    func testConfigWithoutSpecialSymbolsIsRejected() {
        let json = #"{"audio": {"sample_rate": 22050}, "phoneme_id_map": {"a": [1]}}"#
        XCTAssertThrowsError(try PiperVoiceConfig(json: Data(json.utf8), origin: "bad.onnx.json")) { error in
            guard case MedleyError.invalidModel(let id, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(id, "bad.onnx.json")
            XCTAssertTrue(reason.contains("phoneme_id_map"), reason)
        }
    }

    // MARK: - Text cleaning

    func testEmojiAndSymbolsAreSkippedWithWarnings() throws {
        let cleaned = try SpeechTextCleaner(language: "en-us").clean("Hello 😀 world 👍🏽 © ★ costs $5, 20°C 🇫🇷.")
        XCTAssertEqual(cleaned.paragraphs, ["Hello world costs $5, 20°C."])
        XCTAssertEqual(cleaned.warnings.count, 2, "\(cleaned.warnings)")
        XCTAssertTrue(cleaned.warnings[0].hasPrefix("skipped 3 emoji"), cleaned.warnings[0])
        XCTAssertTrue(cleaned.warnings[1].contains("©") && cleaned.warnings[1].contains("★"), cleaned.warnings[1])
    }

    func testUnsupportedScriptIsSkipped() throws {
        let cleaned = try SpeechTextCleaner(language: "en-us").clean("Hello 你好 мир world")
        XCTAssertEqual(cleaned.paragraphs, ["Hello world"])
        XCTAssertEqual(cleaned.warnings.count, 1)
        XCTAssertTrue(cleaned.warnings[0].contains("cyrillic") && cleaned.warnings[0].contains("han"), cleaned.warnings[0])
        // The same letters are fine for a voice whose language uses them; Latin is accepted everywhere.
        XCTAssertEqual(try SpeechTextCleaner(language: "ru").clean("мир, world").warnings, [])
        XCTAssertEqual(try SpeechTextCleaner(language: "cmn").clean("你好").warnings, [])
    }

    func testEmptyTextIsAnError() {
        for text in ["", "   \n\t ", "😀 🎉", "©"] {
            XCTAssertThrowsError(try SpeechTextCleaner(language: "en-us").clean(text), "'\(text)'") { error in
                guard case MedleyError.invalidArgument(let message) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(message.contains("empty text"), message)
            }
        }
    }

    // MARK: - Helpers

    /// Runs the espeak-ng command-line tool (installed with the library by `make setup`).
    static func espeakCLI(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["espeak-ng"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MedleyError.internal("espeak-ng \(arguments) exited with \(process.terminationStatus); run `make setup`")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
