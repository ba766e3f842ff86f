import MedleyCore
@testable import MedleyWorkflow
import XCTest

final class JSONParserTests: XCTestCase {
    func testParsesTheUsualDocument() throws {
        let value = try JSONParser.parse(#"{"a": [1, 2.5, -3e2, true, false, null], "b": "x\n\u00e9\ud83d\ude00"}"#, source: "t")
        XCTAssertEqual(value["a"], .array([.number(1), .number(2.5), .number(-300), .bool(true), .bool(false), .null]))
        XCTAssertEqual(value["b"], .string("x\né😀"))
    }

    func testCanonicalTextSortsKeysAndIsStable() throws {
        let a = try JSONParser.parse(#"{"b": 1, "a": {"d": [1, 2], "c": 0.5}}"#, source: "t")
        let b = try JSONParser.parse(#"{ "a": {"c": 0.5, "d": [1,2]}, "b": 1.0 }"#, source: "t")
        XCTAssertEqual(a.canonicalText, #"{"a":{"c":0.5,"d":[1,2]},"b":1}"#)
        XCTAssertEqual(a.canonicalText, b.canonicalText)
        XCTAssertEqual(try JSONParser.parse(a.prettyText, source: "t"), a)
    }

    /// Malformed JSON is reported with the line and column of the mistake.
    func testErrorsNameLineAndColumn() {
        let cases: [(String, String)] = [
            ("{\n  \"nodes\": {\n    \"a\": {\"type\": \"x\",}\n  }\n}", "line 3, column 23"),
            ("{\"a\": 1\n\"b\": 2}", "line 2, column 1"),
            ("{\"a\": tru}", "line 1, column 7"),
            ("[1, 2", "line 1, column 6"),
            ("{\"a\": \"é\" \"b\"}", "line 1, column 11"),
            ("{\"a\": 1, \"a\": 2}", "duplicate member"),
            ("", "line 1, column 1"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try JSONParser.parse(text, source: "flow.json"), text) { error in
                let message = (error as? MedleyError)?.message ?? ""
                XCTAssertTrue(message.hasPrefix("flow.json: malformed JSON at "), message)
                XCTAssertTrue(message.contains(expected), "\(text): \(message)")
            }
        }
    }

    func testDeepNestingIsRefusedNotACrash() {
        let text = String(repeating: "[", count: 100_000)
        XCTAssertThrowsError(try JSONParser.parse(text, source: "deep.json")) { error in
            XCTAssertTrue(((error as? MedleyError)?.message ?? "").contains("nested more than"))
        }
    }
}
