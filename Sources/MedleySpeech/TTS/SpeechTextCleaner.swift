import Foundation
import MedleyCore

/// Text made ready for a voice: paragraphs of speakable text, and what was left out.
struct CleanedSpeechText: Sendable, Equatable {
    /// Paragraphs (split at blank lines), each with its whitespace collapsed to single spaces; never empty strings.
    var paragraphs: [String]
    /// One line per kind of character skipped, for ``SynthesisResult/warnings``.
    var warnings: [String]
}

/// Removes what a voice cannot speak (emoji, pictographic and other non-ASCII symbols, letters of scripts the
/// voice's language does not use, control characters) and reports it.
///
/// espeak-ng would otherwise read emoji and symbols by their Unicode names ("grinning face", "copyright") and
/// Han characters as "Chinese letter", which is never what the text meant. ASCII symbols (`$`, `%`, `+`, `=`),
/// currency signs and the degree sign are kept: espeak-ng reads them as words ("dollar", "percent", "degrees").
///
/// Latin letters are accepted for every voice (names and brands appear inside any language, and espeak-ng
/// reads them), plus the scripts of the voice's language; a language this table does not know accepts letters
/// of every script.
struct SpeechTextCleaner: Sendable {
    /// The espeak-ng language of the voice, such as `en-us` or `ru`.
    var language: String

    /// Examples listed per warning; the count covers all of them.
    static let maximumExamples = 8

    /// Cleans `text`.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` when the text is empty or only whitespace, or when nothing
    ///   speakable is left after skipping.
    func clean(_ text: String) throws -> CleanedSpeechText {
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw MedleyError.invalidArgument("nothing to speak: empty text; give the text to say (or a non-empty file)")
        }
        let allowed = Self.scripts(forLanguage: language)
        var emoji: [Character] = []
        var symbols: [Character] = []
        var foreign: [Character] = []
        var foreignScripts: Set<String> = []
        var paragraphs: [String] = []
        var current = ""
        var pendingSpace = false
        var newlines = 0

        func flushParagraph() {
            if !current.isEmpty { paragraphs.append(current) }
            current = ""
            pendingSpace = false
        }

        for character in text {
            if character.isNewline {
                newlines += 1
                pendingSpace = true
                continue
            }
            if newlines >= 2 { flushParagraph() }
            newlines = 0
            switch classify(character, allowed: allowed) {
            case .keep:
                // No space before closing punctuation: "world ©," becomes "world," once the symbol is skipped.
                if pendingSpace && !current.isEmpty && !Self.attachesLeft(character) { current.append(" ") }
                pendingSpace = false
                current.append(character)
            case .space:
                pendingSpace = true
            case .drop:
                break
            case .emoji:
                emoji.append(character)
                pendingSpace = true
            case .symbol:
                symbols.append(character)
                pendingSpace = true
            case .script(let name):
                foreign.append(character)
                foreignScripts.insert(name)
                pendingSpace = true
            }
        }
        flushParagraph()

        var warnings: [String] = []
        if !emoji.isEmpty {
            warnings.append("skipped \(emoji.count) emoji: \(Self.examples(emoji))")
        }
        if !symbols.isEmpty {
            warnings.append("skipped \(symbols.count) symbol(s) a voice cannot read: \(Self.examples(symbols))")
        }
        if !foreign.isEmpty {
            let scripts = foreignScripts.sorted().joined(separator: ", ")
            warnings.append("skipped \(foreign.count) character(s) in a script the voice's language '\(language)' "
                + "does not use (\(scripts)): \(Self.examples(foreign))")
        }
        guard paragraphs.contains(where: { $0.contains(where: { $0.isLetter || $0.isNumber }) }) else {
            let why = warnings.isEmpty ? "it has no letters or digits" : warnings.joined(separator: "; ")
            throw MedleyError.invalidArgument(
                "nothing to speak: the text is empty text once unspeakable characters are skipped (\(why)); "
                    + "give text with words")
        }
        return CleanedSpeechText(paragraphs: paragraphs, warnings: warnings)
    }

    // MARK: - Classification

    enum Disposition: Equatable {
        case keep, space, drop, emoji, symbol
        case script(String)
    }

    func classify(_ character: Character, allowed: Set<Script>?) -> Disposition {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return .drop }
        if scalars.contains(where: Self.isEmojiScalar) { return .emoji }
        if first.isASCII {
            if first.value < 0x20 || first.value == 0x7F { return .space }
            return first == " " ? .space : .keep
        }
        if character.isWhitespace { return .space }
        switch first.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            guard let allowed else { return .keep }
            let script = Script(first)
            if script == .common || allowed.contains(script) { return .keep }
            return .script(script.rawValue)
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return .drop  // a mark with no base letter left
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return .keep
        case .currencySymbol:
            return .keep
        case .mathSymbol, .modifierSymbol, .otherSymbol:
            return Self.readableSymbols.contains(first) ? .keep : .symbol
        case .control, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return .space
        case .format, .surrogate, .unassigned:
            return .drop
        case .privateUse:
            return .symbol
        @unknown default:
            return .drop
        }
    }

    /// Punctuation written against the preceding word.
    static func attachesLeft(_ character: Character) -> Bool {
        [",", ".", ";", ":", "!", "?", ")", "]", "}"].contains(character)
    }

    /// Non-ASCII symbols espeak-ng reads as the words they stand for.
    static let readableSymbols: Set<Unicode.Scalar> = ["°", "±", "×", "÷"]

    /// True for scalars that make a grapheme an emoji: pictographs shown as emoji by default, the emoji variation
    /// selector, the zero-width joiner of emoji sequences, skin-tone modifiers, keycaps, flags and tag characters.
    static func isEmojiScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isEmojiPresentation || properties.isEmojiModifier { return true }
        switch scalar.value {
        case 0xFE0F, 0x200D, 0x20E3: return true  // emoji variation selector, ZWJ, combining keycap
        case 0x1F1E6...0x1F1FF: return true  // regional indicators (flags)
        case 0xE0020...0xE007F: return true  // tag characters (subdivision flags)
        case 0x1F000...0x1FAFF: return properties.isEmoji  // pictographs that default to text presentation
        default: return false
        }
    }

    private static func examples(_ characters: [Character]) -> String {
        var seen: Set<Character> = []
        var unique: [Character] = []
        for character in characters where seen.insert(character).inserted { unique.append(character) }
        let shown = unique.prefix(maximumExamples).map { String($0) }.joined(separator: " ")
        return unique.count > maximumExamples ? shown + " ..." : shown
    }

    // MARK: - Scripts

    /// The writing systems the cleaner tells apart, by Unicode block ranges (Swift exposes no script property).
    enum Script: String, Sendable, Hashable {
        case common, latin, greek, cyrillic, armenian, hebrew, arabic, syriac, thaana, devanagari, bengali, gurmukhi,
             gujarati, oriya, tamil, telugu, kannada, malayalam, sinhala, thai, lao, tibetan, myanmar, georgian,
             hangul, ethiopic, cherokee, khmer, mongolian, han, hiragana, katakana, other

        init(_ scalar: Unicode.Scalar) {
            let value = scalar.value
            for (range, script) in Self.blocks where range.contains(value) {
                self = script
                return
            }
            self = .other
        }

        private static let blocks: [(ClosedRange<UInt32>, Script)] = [
            (0x0000...0x024F, .latin), (0x0250...0x02AF, .latin), (0x1D00...0x1DBF, .latin),
            (0x1E00...0x1EFF, .latin), (0x2C60...0x2C7F, .latin), (0xA720...0xA7FF, .latin),
            (0xAB30...0xAB6F, .latin), (0xFB00...0xFB06, .latin), (0xFF21...0xFF5A, .latin),
            (0x02B0...0x02FF, .common), (0x2000...0x2BFF, .common), (0x3000...0x303F, .common),
            (0xFF00...0xFF20, .common),
            (0x0370...0x03FF, .greek), (0x1F00...0x1FFF, .greek),
            (0x0400...0x052F, .cyrillic), (0x1C80...0x1C8F, .cyrillic), (0x2DE0...0x2DFF, .cyrillic),
            (0xA640...0xA69F, .cyrillic),
            (0x0530...0x058F, .armenian), (0x0590...0x05FF, .hebrew), (0xFB1D...0xFB4F, .hebrew),
            (0x0600...0x06FF, .arabic), (0x0750...0x077F, .arabic), (0x08A0...0x08FF, .arabic),
            (0xFB50...0xFDFF, .arabic), (0xFE70...0xFEFF, .arabic),
            (0x0700...0x074F, .syriac), (0x0780...0x07BF, .thaana),
            (0x0900...0x097F, .devanagari), (0xA8E0...0xA8FF, .devanagari), (0x0980...0x09FF, .bengali),
            (0x0A00...0x0A7F, .gurmukhi), (0x0A80...0x0AFF, .gujarati), (0x0B00...0x0B7F, .oriya),
            (0x0B80...0x0BFF, .tamil), (0x0C00...0x0C7F, .telugu), (0x0C80...0x0CFF, .kannada),
            (0x0D00...0x0D7F, .malayalam), (0x0D80...0x0DFF, .sinhala), (0x0E00...0x0E7F, .thai),
            (0x0E80...0x0EFF, .lao), (0x0F00...0x0FFF, .tibetan), (0x1000...0x109F, .myanmar),
            (0x10A0...0x10FF, .georgian), (0x1C90...0x1CBF, .georgian),
            (0x1100...0x11FF, .hangul), (0x3130...0x318F, .hangul), (0xAC00...0xD7AF, .hangul),
            (0x1200...0x139F, .ethiopic), (0x2D80...0x2DDF, .ethiopic), (0x13A0...0x13FF, .cherokee),
            (0x1780...0x17FF, .khmer), (0x1800...0x18AF, .mongolian),
            (0x3040...0x309F, .hiragana), (0x30A0...0x30FF, .katakana), (0x31F0...0x31FF, .katakana),
            (0xFF66...0xFF9F, .katakana),
            (0x2E80...0x2FDF, .han), (0x3400...0x4DBF, .han), (0x4E00...0x9FFF, .han), (0xF900...0xFAFF, .han),
            (0x20000...0x3134F, .han),
        ]
    }

    /// The scripts a voice's language is written in (besides Latin, always accepted), or nil when the table does
    /// not know the language and every script is accepted. Keyed by the language part of espeak-ng's voice names.
    static func scripts(forLanguage language: String) -> Set<Script>? {
        let code = language.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "+" }).first
            .map(String.init) ?? ""
        if let native = nativeScripts[code] { return native.union([.latin]) }
        if latinLanguages.contains(code) { return [.latin] }
        return nil
    }

    private static let latinLanguages: Set<String> = [
        "af", "an", "az", "bs", "ca", "cs", "cy", "da", "de", "en", "eo", "es", "et", "eu", "fi", "fo", "fr", "fy",
        "ga", "gd", "gn", "haw", "hr", "ht", "hu", "ia", "id", "io", "is", "it", "jbo", "kl", "ku", "la", "lb", "lfn",
        "lt", "lv", "mi", "ms", "mt", "nb", "nl", "no", "nog", "om", "pap", "pl", "pt", "py", "qu", "quc", "qya", "ro",
        "sjn", "sk", "sl", "smj", "so", "sq", "sv", "sw", "tk", "tn", "tr", "uz", "vi",
    ]

    private static let nativeScripts: [String: Set<Script>] = [
        "el": [.greek], "grc": [.greek],
        "ru": [.cyrillic], "uk": [.cyrillic], "be": [.cyrillic], "bg": [.cyrillic], "mk": [.cyrillic],
        "sr": [.cyrillic], "kk": [.cyrillic], "ky": [.cyrillic], "tt": [.cyrillic], "ba": [.cyrillic],
        "cv": [.cyrillic], "mn": [.cyrillic, .mongolian],
        "hy": [.armenian], "hyw": [.armenian], "he": [.hebrew],
        "ar": [.arabic], "fa": [.arabic], "ur": [.arabic], "ug": [.arabic], "sd": [.arabic], "ps": [.arabic],
        "hi": [.devanagari], "mr": [.devanagari], "ne": [.devanagari], "sa": [.devanagari], "kok": [.devanagari],
        "bn": [.bengali], "as": [.bengali], "bpy": [.bengali], "pa": [.gurmukhi], "gu": [.gujarati],
        "or": [.oriya], "ta": [.tamil], "te": [.telugu], "kn": [.kannada], "ml": [.malayalam], "si": [.sinhala],
        "th": [.thai], "lo": [.lao], "my": [.myanmar], "ka": [.georgian], "ko": [.hangul], "am": [.ethiopic],
        "chr": [.cherokee], "km": [.khmer], "dv": [.thaana],
        "cmn": [.han], "yue": [.han], "zh": [.han], "hak": [.han],
        "ja": [.han, .hiragana, .katakana],
    ]
}
