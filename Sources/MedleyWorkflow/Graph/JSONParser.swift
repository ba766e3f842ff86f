import Foundation
import MedleyCore

/// A small JSON parser that reports where a document is malformed, as a line and a column, so a person can
/// find the mistake in a workflow file (Foundation's parser gives only a byte offset, and not on every
/// platform).
public enum JSONParser {
    /// Maximum nesting: deeper documents are refused rather than risking the stack.
    static let maximumDepth = 256

    /// Parses `text`.
    ///
    /// - Parameter source: what the text is (a file name), used in the error.
    /// - Throws: ``MedleyError/invalidArgument(_:)`` "`source`: malformed JSON at line L, column C: what".
    public static func parse(_ text: String, source: String) throws -> JSONValue {
        var scanner = Scanner(bytes: Array(text.utf8), source: source)
        scanner.skipWhitespace()
        let value = try scanner.value(depth: 0)
        scanner.skipWhitespace()
        if !scanner.atEnd { throw scanner.failure("unexpected text after the end of the document") }
        return value
    }

    /// Parses UTF-8 `data`.
    public static func parse(data: Data, source: String) throws -> JSONValue {
        guard let text = String(data: data, encoding: .utf8) else {
            throw MedleyError.invalidArgument("\(source): not UTF-8 text; save the file as UTF-8 JSON")
        }
        return try parse(text, source: source)
    }

    private struct Scanner {
        let bytes: [UInt8]
        let source: String
        var index = 0

        init(bytes: [UInt8], source: String) {
            self.bytes = bytes
            self.source = source
        }

        var atEnd: Bool { index >= bytes.count }

        func failure(_ what: String) -> MedleyError {
            var line = 1, column = 1
            for byte in bytes[0..<min(index, bytes.count)] {
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1 // count characters, not UTF-8 continuation bytes
                }
            }
            return MedleyError.invalidArgument("\(source): malformed JSON at line \(line), column \(column): \(what)")
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < JSONParser.maximumDepth else { throw failure("nested more than \(JSONParser.maximumDepth) deep") }
            guard index < bytes.count else { throw failure("the document ends where a value was expected") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw failure("unexpected character '\(Character(UnicodeScalar(bytes[index])))'")
            }
        }

        mutating func literal(_ word: String) throws {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
                throw failure("expected '\(word)'")
            }
            index += expected.count
        }

        mutating func object(depth: Int) throws -> JSONValue {
            index += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw failure("expected a member name in double quotes")
                }
                let keyStart = index
                let key = try string()
                if members[key] != nil {
                    index = keyStart
                    throw failure("duplicate member name \"\(key)\"")
                }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':' after a member name") }
                index += 1
                skipWhitespace()
                members[key] = try value(depth: depth + 1)
                skipWhitespace()
                guard index < bytes.count else { throw failure("the document ends inside an object; add '}'") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw failure("expected ',' or '}' in an object")
            }
        }

        mutating func array(depth: Int) throws -> JSONValue {
            index += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw failure("the document ends inside an array; add ']'") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                throw failure("expected ',' or ']' in an array")
            }
        }

        mutating func string() throws -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var run: [UInt8] = []
            func flush() {
                if !run.isEmpty { scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars); run.removeAll() }
            }
            while true {
                guard index < bytes.count else { throw failure("the document ends inside a string; add '\"'") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") { index += 1; break }
                if byte < 0x20 { throw failure("control character in a string; write it as an escape such as \\n") }
                if byte != UInt8(ascii: "\\") { run.append(byte); index += 1; continue }
                flush()
                index += 1
                guard index < bytes.count else { throw failure("the document ends inside an escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw failure("a high surrogate must be followed by a low one")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure("invalid low surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = UnicodeScalar(code) else { throw failure("invalid \\u escape") }
                    scalars.append(scalar)
                default:
                    index -= 1
                    throw failure("unknown escape '\\\(Character(UnicodeScalar(escape)))'")
                }
            }
            flush()
            return String(scalars)
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else {
                throw failure("expected four hex digits after \\u")
            }
            index += 4
            return code
        }

        mutating func number() throws -> Double {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            func digits() -> Int {
                let from = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                return index - from
            }
            guard digits() > 0 else { throw failure("expected digits in a number") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { throw failure("expected digits after the decimal point") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { throw failure("expected digits in the exponent") }
            }
            guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)), value.isFinite else {
                index = start
                throw failure("number out of range")
            }
            return value
        }
    }
}
