import Foundation
import MedleyCore
import MedleyMedia
import MedleyModels

/// What a file of generated speech records about its making: written as `OUT.provenance.json` beside the audio.
///
/// Keys are snake_case. `ai_generated` is always true and `digital_source_type` is IPTC's term for media made by a
/// trained model (`trainedAlgorithmicMedia`), as C2PA and IPTC photo metadata use it.
public struct SpeechProvenance: Codable, Sendable, Equatable {
    /// The text as given.
    public var text: String
    /// The voice id as requested.
    public var voice: String
    /// The settings used.
    public var settings: SynthesisSettings
    /// The model card of the voice (`piper-en_US-joe-medium`, `espeak-ng-data`), when there is one.
    public var modelCardId: String?
    /// The model's version (the card's) or espeak-ng's.
    public var modelVersion: String?
    /// The sha256 of the model file, when known.
    public var modelSha256: String?
    /// Medley's version (``Medley/version``).
    public var medleyVersion: String
    /// When the speech was written.
    public var created: Date
    /// Always true: the audio is machine-generated speech.
    public var aiGenerated: Bool
    /// IPTC digital source type: `trainedAlgorithmicMedia`.
    public var digitalSourceType: String
    /// The audio's length in seconds.
    public var duration: Double
    /// The audio's rate in Hz (before any resampling by the file format).
    public var sampleRate: Int
    /// The audio file this record describes (its name, beside the record).
    public var audioFile: String?
    /// SHA-256 of the audio file as written, so that `medley provenance` can tell whether it changed since (nil
    /// in records written before Medley recorded it, and in a record not yet written).
    public var audioSHA256: String?
    /// Warnings of the synthesis (skipped characters and the like).
    public var warnings: [String]

    /// IPTC's digital source type for content created by a trained model.
    public static let trainedAlgorithmicMedia = "trainedAlgorithmicMedia"
    /// The same term as the URI of IPTC's controlled vocabulary.
    public static let trainedAlgorithmicMediaURI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"

    /// The record of a synthesis result.
    public init(_ result: SynthesisResult, audioFile: String? = nil, created: Date = Date()) {
        text = result.text
        voice = result.voiceId.rawValue
        settings = result.settings
        modelCardId = result.modelCardId
        modelVersion = result.modelVersion
        modelSha256 = result.modelSha256
        medleyVersion = Medley.version
        self.created = created
        aiGenerated = true
        digitalSourceType = Self.trainedAlgorithmicMedia
        duration = result.duration
        sampleRate = result.sampleRate
        self.audioFile = audioFile
        warnings = result.warnings
    }

    enum CodingKeys: String, CodingKey {
        case text, voice, settings, modelCardId = "model_card_id", modelVersion = "model_version",
             modelSha256 = "model_sha256", medleyVersion = "medley_version", created, aiGenerated = "ai_generated",
             digitalSourceType = "digital_source_type", duration, sampleRate = "sample_rate", audioFile = "audio_file",
             audioSHA256 = "audio_sha256", warnings
    }

    /// The record as pretty-printed JSON with sorted keys and an ISO 8601 date.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            return try encoder.encode(self)
        } catch {
            throw MedleyError.internal("cannot encode speech provenance as JSON: \(error)")
        }
    }

    /// Reads a record written by ``SynthesisResult/write(to:bitRate:)``.
    public static func load(from path: String) throws -> SpeechProvenance {
        try requireReadableFile(path)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(SpeechProvenance.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw MedleyError.invalidArgument("\(path): not a speech provenance record (\(error.localizedDescription))")
        }
    }
}

/// The two files ``SynthesisResult/write(to:bitRate:)`` writes.
public struct SpeechOutputFiles: Sendable, Equatable {
    /// The audio file.
    public var audio: String
    /// The provenance record beside it (`OUT.provenance.json`).
    public var provenance: String
}

extension SynthesisResult {
    /// The container tags that mark the audio as AI-generated speech, naming the model and its checksum.
    public var metadataTags: [String: String] {
        var model = modelCardId ?? voiceId.rawValue
        if let modelVersion { model += " \(modelVersion)" }
        var comment = "AI-generated speech (synthetic voice), made by Medley \(Medley.version) "
            + "with voice \(voiceId.rawValue) (model \(model)"
        if let modelSha256 { comment += ", sha256 \(modelSha256)" }
        comment += "). Digital source type: \(SpeechProvenance.trainedAlgorithmicMediaURI)"
        var tags = [
            "comment": comment,
            "artist": "AI voice \(voiceId.rawValue) (Medley text-to-speech)",
            "encoded_by": "Medley \(Medley.version)",
            "ai_generated": "true",
            "digital_source_type": SpeechProvenance.trainedAlgorithmicMedia,
            "synthesis_model": model,
        ]
        if let modelSha256 { tags["synthesis_model_sha256"] = modelSha256 }
        return tags
    }

    /// Writes the speech to `path` (`.wav`, `.mp3`, `.opus`, or another format ``AudioWriter`` knows) tagged as
    /// AI-generated speech (``metadataTags``), and its ``SpeechProvenance`` to `OUT.provenance.json` beside it,
    /// where `OUT` is `path` without its extension.
    ///
    /// Each file is written atomically: a failure leaves no partial file. The audio is written first.
    ///
    /// - Parameter bitRate: bits per second for lossy formats; nil for the encoder's default.
    /// - Throws: ``MedleyError`` naming the path that could not be written.
    @discardableResult
    public func write(to path: String, bitRate: Int? = nil) throws -> SpeechOutputFiles {
        let provenancePath = Self.provenancePath(for: path)
        try AudioWriter.write(audio, to: path, bitRate: bitRate, metadata: metadataTags)
        var record = SpeechProvenance(self, audioFile: (path as NSString).lastPathComponent)
        record.audioSHA256 = try Checksum.sha256(fileAt: path).sha256
        let data = try record.jsonData()
        try writeAtomically(to: provenancePath) { temporary in
            do {
                try data.write(to: URL(fileURLWithPath: temporary))
            } catch {
                throw MedleyError.writeFailed(path: provenancePath, reason: error.localizedDescription)
            }
        }
        return SpeechOutputFiles(audio: path, provenance: provenancePath)
    }

    /// `OUT.provenance.json` for an audio path `OUT.ext`.
    public static func provenancePath(for audioPath: String) -> String {
        (audioPath as NSString).deletingPathExtension + ".provenance.json"
    }
}
