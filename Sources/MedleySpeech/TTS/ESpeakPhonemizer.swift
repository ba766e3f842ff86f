import Foundation
import MedleyCore

/// Turns text into sentences of IPA phonemes with espeak-ng, the way Piper's phonemizer (piper-phonemize) does.
///
/// espeak-ng's `espeak_TextToPhonemes` returns one clause per call and, in version 1.51, not the punctuation that
/// ended it; Piper voices were trained on phonemes that keep it (`həlˈoʊ wˈɜːld.`). So the punctuation is
/// recovered from the text each call consumed, as piper-phonemize does: a clause ending in `.`, `?` or `!` ends
/// the sentence; `,`, `:` and `;` are kept followed by a space, and the sentence goes on.
///
/// The phonemes are decomposed to Unicode NFD (Piper's `phoneme_id_map` is keyed by single code points, so `ç`
/// becomes `c` and a combining cedilla), and espeak's language-switch flags such as `(fr)` are removed.
///
/// Thread-safe: all espeak-ng calls of the process go through one lock (espeak-ng is not thread-safe).
public struct ESpeakPhonemizer: Sendable {
    /// The espeak-ng voice (language) used to read the text, such as `en-us`: a Piper voice names it in its
    /// config's `espeak.voice`.
    public var voice: String

    /// Creates a phonemizer for an espeak-ng voice such as `en-us`, `fr` or `de`.
    public init(voice: String) {
        self.voice = voice
    }

    /// The text's sentences as IPA phoneme strings, each ending with its punctuation where the text had one.
    ///
    /// Text is phonemized as given (``SpeechSynthesizer`` removes emoji and symbols before it gets here, which
    /// espeak-ng would otherwise read by their Unicode names). Blank lines end a sentence.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` when espeak-ng has no voice called ``voice``.
    public func sentences(_ text: String) throws -> [String] {
        var sentences: [String] = []
        for paragraph in text.components(separatedBy: "\n\n") where paragraph.contains(where: { !$0.isWhitespace }) {
            let clauses = try ESpeakEngine.shared.clauses(of: paragraph, voice: voice)
            sentences += Self.assemble(clauses)
        }
        return sentences
    }

    /// The whole text's phonemes on one line, sentences joined by spaces (for display and tests).
    public func phonemes(_ text: String) throws -> String {
        try sentences(text).joined(separator: " ")
    }

    // MARK: - Assembling clauses into sentences

    /// Groups clauses into sentences with their punctuation, following piper-phonemize.
    static func assemble(_ clauses: [ESpeakEngine.Clause]) -> [String] {
        var sentences: [String] = []
        var current = ""
        var needsSpace = false
        for clause in clauses {
            let phonemes = normalized(clause.phonemes)
            let terminator = terminator(of: clause)
            if !phonemes.isEmpty {
                if needsSpace && !current.isEmpty { current.append(" ") }
                current += phonemes
            }
            needsSpace = false
            switch terminator {
            case ".", "?", "!":
                current.append(terminator ?? ".")
                if current.contains(where: isPhonemeLetter) { sentences.append(current) }
                current = ""
            case ",", ":", ";":
                current.append(terminator ?? ",")
                current.append(" ")
            default:
                // A clause that espeak ended without punctuation (a dash, a long run of words): keep the words
                // apart. piper-phonemize appends nothing here, which glues the last and first word together.
                needsSpace = true
            }
        }
        if current.contains(where: isPhonemeLetter) { sentences.append(current) }
        return sentences.flatMap(splitLong)
    }

    /// The longest sentence handed to a voice, in phoneme code points: about 30 s of speech. espeak-ng's clauses
    /// can run to thousands of phonemes in unpunctuated text, and one model call over minutes of audio needs
    /// gigabytes for the vocoder's activations.
    static let maximumSentenceLength = 400

    /// Splits a sentence longer than ``maximumSentenceLength`` at word boundaries.
    static func splitLong(_ sentence: String) -> [String] {
        guard sentence.unicodeScalars.count > maximumSentenceLength else { return [sentence] }
        var pieces: [String] = []
        var current = ""
        var length = 0
        for word in sentence.split(separator: " ", omittingEmptySubsequences: true) {
            let wordLength = word.unicodeScalars.count
            if length > 0 && length + 1 + wordLength > maximumSentenceLength {
                pieces.append(current)
                current = ""
                length = 0
            }
            if length > 0 {
                current += " "
                length += 1
            }
            current += word
            length += wordLength
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// espeak's phonemes without language-switch flags, in NFD.
    static func normalized(_ phonemes: String) -> String {
        var kept = ""
        var inFlag = false
        for character in phonemes {
            if inFlag {
                if character == ")" { inFlag = false }
            } else if character == "(" {
                inFlag = true
            } else {
                kept.append(character)
            }
        }
        return kept.trimmingCharacters(in: .whitespaces).decomposedStringWithCanonicalMapping
    }

    /// The punctuation that ended a clause, recovered from the text the call consumed: its last character
    /// before trailing spaces and closing quotes or brackets, when that is clause punctuation. espeak-ng reads one
    /// character beyond the clause (its look-ahead), which is dropped first unless the clause ended the text.
    static func terminator(of clause: ESpeakEngine.Clause) -> Character? {
        var scalars = Array(clause.consumed.unicodeScalars)
        if !clause.isLast, !scalars.isEmpty { scalars.removeLast() }
        while let last = scalars.last, last.properties.isWhitespace || closers.contains(last) {
            scalars.removeLast()
        }
        guard let last = scalars.last else { return nil }
        return punctuation[last]
    }

    /// Closing quotes and brackets that may follow a clause's punctuation (`He said "yes."`).
    private static let closers: Set<Unicode.Scalar> = ["\"", "'", ")", "]", "}", "\u{201D}", "\u{2019}", "\u{00BB}",
                                                      "\u{203A}", "\u{300D}", "\u{300F}"]

    /// Clause punctuation of several scripts, mapped to the ASCII mark Piper's id map knows.
    private static let punctuation: [Unicode.Scalar: Character] = [
        ".": ".", "?": "?", "!": "!", ",": ",", ":": ":", ";": ";",
        "\u{2026}": ".",  // horizontal ellipsis
        "\u{3002}": ".", "\u{FF0E}": ".", "\u{FF1F}": "?", "\u{FF01}": "!", "\u{FF0C}": ",", "\u{3001}": ",",
        "\u{FF1A}": ":", "\u{FF1B}": ";",  // CJK full stop, full-width marks, ideographic comma
        "\u{061F}": "?", "\u{060C}": ",", "\u{061B}": ";",  // Arabic question mark, comma, semicolon
        "\u{037E}": "?",  // Greek question mark
        "\u{0964}": ".", "\u{0965}": ".",  // Devanagari danda, double danda
    ]

    private static func isPhonemeLetter(_ character: Character) -> Bool {
        character.isLetter
    }
}
