import Foundation
import MedleyCore

/// The parts of a Piper voice's `.onnx.json` that synthesis needs.
public struct PiperVoiceConfig: Sendable, Equatable {
    /// The audio rate the model produces (`audio.sample_rate`), 22,050 Hz for medium voices.
    public var sampleRate: Int
    /// The espeak-ng voice that phonemizes text for this model (`espeak.voice`, such as `en-us`).
    public var espeakVoice: String
    /// Default noise scale (`inference.noise_scale`): variation of the voice.
    public var noiseScale: Double
    /// Default length scale (`inference.length_scale`): duration, greater is slower.
    public var lengthScale: Double
    /// Default noise width (`inference.noise_w`): variation of phoneme durations.
    public var noiseW: Double
    /// Phoneme (one Unicode code point) to model ids (`phoneme_id_map`).
    public var phonemeIDs: [String: [Int64]]
    /// Number of speakers; above 1 the model takes a speaker id.
    public var speakerCount: Int
    /// Speaker names to ids (`speaker_id_map`), empty for single-speaker voices.
    public var speakerIDs: [String: Int]
    /// The language code (`language.code`, such as `en_US`), when the config gives it.
    public var languageCode: String?

    /// Piper's special symbols (piper-phonemize `phoneme_ids.hpp`): sentence start, sentence end, and the pad
    /// placed after every phoneme.
    static let bos = "^", eos = "$", pad = "_"

    /// Reads a voice config file.
    ///
    /// - Throws: ``MedleyError/fileNotFound(path:)`` and the other file checks, or
    ///   ``MedleyError/invalidModel(id:reason:)`` naming the missing or wrong field.
    public init(contentsOf path: String) throws {
        try requireReadableFile(path)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw MedleyError.invalidArgument("\(path): cannot read (\(error.localizedDescription))")
        }
        try self.init(json: data, origin: path)
    }

    /// Decodes a voice config from its JSON. `origin` names the source in errors.
    public init(json data: Data, origin: String) throws {
        let raw: RawConfig
        do {
            raw = try JSONDecoder().decode(RawConfig.self, from: data)
        } catch {
            throw MedleyError.invalidModel(id: origin, reason: "not a Piper voice config (\(Self.describe(error)))")
        }
        if let type = raw.phoneme_type, type != "espeak" {
            throw MedleyError.invalidModel(
                id: origin, reason: "phoneme_type '\(type)' is not supported; Medley reads Piper voices phonemized by espeak")
        }
        guard raw.audio.sample_rate > 0 else {
            throw MedleyError.invalidModel(id: origin, reason: "audio.sample_rate \(raw.audio.sample_rate) is not positive")
        }
        let map = raw.phoneme_id_map
        for symbol in [Self.bos, Self.eos, Self.pad] where (map[symbol] ?? []).isEmpty {
            throw MedleyError.invalidModel(id: origin, reason: "phoneme_id_map has no id for '\(symbol)'")
        }
        sampleRate = raw.audio.sample_rate
        espeakVoice = raw.espeak?.voice ?? "en-us"
        noiseScale = raw.inference?.noise_scale ?? 0.667
        lengthScale = raw.inference?.length_scale ?? 1
        noiseW = raw.inference?.noise_w ?? 0.8
        phonemeIDs = map
        speakerCount = max(1, raw.num_speakers ?? 1)
        speakerIDs = raw.speaker_id_map ?? [:]
        languageCode = raw.language?.code
    }

    /// Piper's ids for one sentence of phonemes: `^`, `_`, then each phoneme's ids followed by `_`, then `$`
    /// (piper-phonemize `phonemes_to_ids`). Phonemes the map lacks are dropped and counted.
    public func phonemeIDs(for phonemes: String) -> (ids: [Int64], missing: [String: Int]) {
        let pad = phonemeIDs[Self.pad] ?? []
        var ids = (phonemeIDs[Self.bos] ?? []) + pad
        ids.reserveCapacity(phonemes.unicodeScalars.count * 2 + 4)
        var missing: [String: Int] = [:]
        for scalar in phonemes.unicodeScalars {
            let key = String(scalar)
            guard let mapped = phonemeIDs[key] else {
                missing[key, default: 0] += 1
                continue
            }
            ids += mapped
            ids += pad
        }
        ids += phonemeIDs[Self.eos] ?? []
        return (ids, missing)
    }

    // The JSON as written by Piper's training code (snake_case keys).
    private struct RawConfig: Decodable {
        struct Audio: Decodable { var sample_rate: Int }
        struct Espeak: Decodable { var voice: String }
        struct Inference: Decodable { var noise_scale: Double?, length_scale: Double?, noise_w: Double? }
        struct Language: Decodable { var code: String? }
        var audio: Audio
        var espeak: Espeak?
        var inference: Inference?
        var phoneme_type: String?
        var phoneme_id_map: [String: [Int64]]
        var num_speakers: Int?
        var speaker_id_map: [String: Int]?
        var language: Language?
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "field '\(path)': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
