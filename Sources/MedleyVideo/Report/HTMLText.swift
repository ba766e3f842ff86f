/// Escaping for text placed into the report page, so data from the input (a transcript line, on-screen text,
/// a file name) always stays text and can never become markup or script.
enum HTMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'` for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}": out += "\u{FFFD}"  // NUL is a parse error in HTML
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// A JavaScript string literal (double-quoted) that is also safe inside a `<script>` element: `<`, `>`, `&`
    /// and the line and paragraph separators are written as `\u` escapes, so no `</script>` can appear.
    static func javaScriptString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hex4(scalar.value)
            default:
                if scalar.value < 0x20 { out += "\\u" + hex4(scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// A relative path as a URL for `src` and `href`: each path component percent-encoded (spaces, `#`, `?`,
    /// `%` and non-ASCII in a file name), `/` kept. The result still needs ``escape(_:)`` (it is ASCII and has
    /// no quotes, so escaping leaves it as is).
    static func urlPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { component in
            var out = ""
            for byte in component.utf8 {
                let isUnreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
                    || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
                out += isUnreserved ? String(UnicodeScalar(byte)) : "%" + hex2(byte)
            }
            return out
        }.joined(separator: "/")
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private static func hex2(_ value: UInt8) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count < 2 ? "0" + digits : digits
    }
}
