import Foundation

/// Names a text-to-speech voice.
///
/// Three spellings:
/// - `espeak:<language>`: one of espeak-ng's own formant voices, such as `espeak:fr`, `espeak:en-us` or
///   `espeak:de+f3` (a language code as `espeak-ng --voices` lists them, optionally with a variant);
/// - a model id in the model store, such as `piper-en_US-joe-medium` (a Piper voice);
/// - a path to a Piper `.onnx` file whose `.onnx.json` sits beside it.
public struct VoiceID: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The id as written.
    public var rawValue: String

    /// The prefix of espeak-ng voices.
    public static let espeakPrefix = "espeak:"

    /// Medley's default voice: the Piper voice en_US-joe-medium.
    public static let defaultVoice: VoiceID = "piper-en_US-joe-medium"

    /// What the id names.
    public enum Kind: Sendable, Hashable {
        /// An espeak-ng voice, by language code.
        case espeak(language: String)
        /// A model in the model store, by id.
        case model(id: String)
        /// A Piper `.onnx` file, by path.
        case file(path: String)
    }

    /// A voice id as written; see ``kind`` for what it names.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A voice id from a literal, such as `"espeak:fr"`.
    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    /// Decodes the id from a JSON string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the id as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The espeak-ng voice for a language code, such as `VoiceID.espeak("fr")`.
    public static func espeak(_ language: String) -> VoiceID {
        VoiceID(rawValue: espeakPrefix + language)
    }

    /// What the id names, decided by its spelling alone (nothing is looked up).
    public var kind: Kind {
        let trimmed = rawValue.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix(Self.espeakPrefix) {
            return .espeak(language: String(trimmed.dropFirst(Self.espeakPrefix.count)))
        }
        if trimmed.hasSuffix(".onnx") || trimmed.contains("/") {
            return .file(path: trimmed)
        }
        return .model(id: trimmed)
    }

    /// The id as written.
    public var description: String { rawValue }
}
