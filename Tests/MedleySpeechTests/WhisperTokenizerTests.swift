import XCTest
@testable import MedleySpeech

/// Tokenizer behaviour against notes/whisper-ct2.md §3 and Hugging Face `tokenizers` 0.x on the same files.
final class WhisperTokenizerTests: XCTestCase {
    func testByteLevelAlphabet() {
        XCTAssertEqual(ByteLevelAlphabet.scalarForByte[32], "\u{120}")   // Ġ
        XCTAssertEqual(ByteLevelAlphabet.scalarForByte[10], "\u{10A}")   // Ċ
        XCTAssertEqual(ByteLevelAlphabet.scalarForByte[65], "A")
        XCTAssertEqual(ByteLevelAlphabet.scalarForByte[173], "\u{143}")
        for byte in 0..<256 {
            XCTAssertEqual(ByteLevelAlphabet.byte(for: ByteLevelAlphabet.scalarForByte[byte]), UInt8(byte))
        }
    }

    func testPreTokenizerFollowsTheGPT2Pattern() {
        XCTAssertEqual(GPT2PreTokenizer.split(" Hello, world! It's 2024"),
                       [" Hello", ",", " world", "!", " It", "'s", " 2024"])
        XCTAssertEqual(GPT2PreTokenizer.split("a   b"), ["a", "  ", " b"])
        XCTAssertEqual(GPT2PreTokenizer.split("x\n\nNew\ttab  "), ["x", "\n", "\n", "New", "\t", "tab", "  "])
        XCTAssertEqual(GPT2PreTokenizer.split(" 'em"), [" '", "em"])
        XCTAssertEqual(GPT2PreTokenizer.split(""), [])
    }

    func testTinySpecialTokens() throws {
        let special = try WhisperTestSupport.tiny().tokenizer.special
        XCTAssertEqual(special.endOfText, 50256)
        XCTAssertEqual(special.startOfTranscript, 50257)
        XCTAssertEqual(special.translate, 50357)
        XCTAssertEqual(special.transcribe, 50358)
        XCTAssertEqual(special.startOfPrevious, 50360)
        XCTAssertEqual(special.noSpeech, 50361)
        XCTAssertEqual(special.noTimestamps, 50362)
        XCTAssertEqual(special.timestampBegin, 50363)
        XCTAssertEqual(special.languages.first?.code, "en")
        XCTAssertEqual(special.languages.first?.id, 50258)
        XCTAssertEqual(special.languages.count, 99)
    }

    func testTinyDecodesTheReferenceTranscripts() throws {
        let tokenizer = try WhisperTestSupport.tiny().tokenizer
        XCTAssertEqual(tokenizer.decode([50363, 383, 2068, 7586, 21831, 4391, 625, 262, 16931, 299, 519, 13, 50513]),
                       " The quick brown fox jump over the lazy nog.")
        XCTAssertEqual(tokenizer.decode([50663, 18448, 757, 13, 50763]), " Fail again.")
        XCTAssertEqual(tokenizer.decode([198, 220]), "\n ")
        XCTAssertEqual(tokenizer.tokens[51863], "<|30.00|>")
        // 日 is three UTF-8 bytes spread over two tokens: only the joined bytes decode to the character; a lone
        // partial token decodes to U+FFFD replacement characters.
        XCTAssertEqual(tokenizer.decode([10545, 245, 98]), " 日")
        XCTAssertTrue(tokenizer.decode([245]).allSatisfy { $0 == "\u{FFFD}" })
    }

    func testTinyEncodesLikeHuggingFaceTokenizers() throws {
        let tokenizer = try WhisperTestSupport.tiny().tokenizer
        let cases: [(String, [Int])] = [
            (" The quick", [383, 2068]),
            (" Hello, world! It's 2024; we'll   see...\n\nNew line\ttab",
             [18435, 11, 995, 0, 632, 338, 48609, 26, 356, 1183, 220, 220, 766, 986, 198, 198, 3791, 1627, 197, 8658]),
            (" naïve café — 日本語のテキスト 😀",
             [41492, 40304, 851, 10545, 245, 98, 17312, 105, 45739, 252, 5641, 24336, 25084, 43302, 30325, 222]),
            (" don't stop 'em  ", [836, 470, 2245, 705, 368, 220, 220]),
            ("   leading spaces and trailing   ", [220, 220, 3756, 9029, 290, 25462, 220, 220, 220]),
        ]
        for (text, ids) in cases {
            XCTAssertEqual(try tokenizer.encode(text), ids, text)
            XCTAssertEqual(tokenizer.decode(ids), text)
        }
    }

    func testBaseTokenizer() throws {
        let tokenizer = try WhisperTestSupport.base().tokenizer
        XCTAssertEqual(tokenizer.special.endOfText, 50257)
        XCTAssertEqual(tokenizer.special.startOfTranscript, 50258)
        XCTAssertEqual(tokenizer.languageToken("en"), 50259)
        XCTAssertEqual(tokenizer.special.transcribe, 50359)
        XCTAssertEqual(tokenizer.special.noSpeech, 50362)
        XCTAssertEqual(tokenizer.special.timestampBegin, 50364)
        XCTAssertEqual(try tokenizer.encode(" The quick"), [440, 1702])
        XCTAssertEqual(try tokenizer.encode(" naïve café — 日本語のテキスト 😀"),
                       [1667, 15487, 303, 25118, 3466, 220, 27311, 31348, 2972, 22985, 15535, 40498, 20732, 222])
        XCTAssertEqual(try tokenizer.encode("   leading spaces and trailing   "),
                       [220, 220, 5775, 7673, 293, 220, 17227, 4883, 220, 220, 220])
        XCTAssertEqual(tokenizer.decode([50364, 12123, 3031, 11, 1562, 7612, 13, 50514]), " Ever tried, ever failed.")
    }
}
