/// Splits text into the pieces GPT-2's BPE encodes separately, exactly like the regular expression
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` that Whisper's tokenizer
/// (Hugging Face `ByteLevel` with `use_regex`) applies.
///
/// Written as a scanner rather than a regular expression: the alternatives are tried in order at each
/// position, and `\s+(?!\S)` gives back its last whitespace character when a non-space follows, so that
/// character can start the next piece (" word").
enum GPT2PreTokenizer {
    static func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var pieces: [String] = []
        var index = 0
        while index < scalars.count {
            let end = pieceEnd(scalars, from: index)
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: scalars[index..<end])
            pieces.append(String(piece))
            index = end
        }
        return pieces
    }

    private enum Kind { case letter, number, space, other }

    private static func kind(_ scalar: Unicode.Scalar) -> Kind {
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    private static let contractions: [[Unicode.Scalar]] = ["s", "t", "re", "ve", "m", "ll", "d"].map {
        Array($0.unicodeScalars)
    }

    /// The end (exclusive) of the piece that starts at `start`; always greater than `start`.
    private static func pieceEnd(_ s: [Unicode.Scalar], from start: Int) -> Int {
        let count = s.count
        // 's 't 're 've 'm 'll 'd
        if s[start] == "'" {
            for contraction in contractions where start + contraction.count < count {
                if Array(s[(start + 1)...(start + contraction.count)]) == contraction {
                    return start + 1 + contraction.count
                }
            }
        }
        // An optional single space, then a run of letters, of numbers, or of other non-space symbols.
        let body = s[start] == " " && start + 1 < count ? start + 1 : start
        let bodyKind = kind(s[body])
        if bodyKind != .space || body == start {
            if bodyKind != .space {
                var end = body + 1
                while end < count && kind(s[end]) == bodyKind { end += 1 }
                return end
            }
        }
        // A whitespace run; if a non-space follows it, leave the last whitespace character for the next piece.
        var end = start
        while end < count && kind(s[end]) == .space { end += 1 }
        if end < count && end - start > 1 { return end - 1 }
        return max(end, start + 1)
    }
}
