import Foundation
import MedleyCore
import MedleyModels

/// What a generated or AI-edited file records about its making, in C2PA's vocabulary: written as
/// `OUT.provenance.json` beside the output and, in compact form, inside it (PNG text chunks, JPEG comment and XMP,
/// MP4 tags). The format is documented in `docs/provenance.md`.
///
/// Keys are snake_case. `ai_generated` is always true. A picture made from noise (a face, a terrain) has the action
/// `c2pa.created` and IPTC's digital source type `trainedAlgorithmicMedia`; a picture a model changed (style
/// transfer, a person cut out) has `c2pa.edited` and `compositeWithTrainedAlgorithmicMedia`, with the source files
/// as ingredients.
public struct GenerationProvenance: Codable, Sendable, Equatable {
    /// The version of this record format.
    public var schema: String
    /// The software that made the file: `Medley 0.1.0`.
    public var claimGenerator: String
    /// The output's file name.
    public var title: String?
    /// The output's media type (`image/png`, `video/mp4`).
    public var format: String?
    /// When the output was written.
    public var created: Date
    /// Always true.
    public var aiGenerated: Bool
    /// IPTC's digital source type, as its URI.
    public var digitalSourceType: String
    /// What was done: one action, `c2pa.created` or `c2pa.edited`.
    public var actions: [ProvenanceAction]
    /// The Medley task that made it (`generate.face`, `image.stylize`).
    public var task: String
    /// The models that made it, with their checksums and licenses.
    public var models: [ProvenanceModel]
    /// The seed of the noise, for generated content.
    public var seed: GenerationSeed?
    /// The settings that shaped the output (truncation, steps, strength...).
    public var settings: [String: ProvenanceValue]
    /// The input files (content and style images, source videos), with their checksums.
    public var ingredients: [ProvenanceIngredient]
    /// SHA-256 of the output file as written: lets a reader tell whether the file changed since. Only in the
    /// record beside the file (a file cannot hold its own checksum).
    public var outputSHA256: String?

    /// The current ``schema``.
    public static let currentSchema = "medley.provenance/1"
    /// IPTC's digital source type for content created by a trained model.
    public static let trainedAlgorithmicMedia =
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
    /// IPTC's digital source type for content that combines captured and AI-generated elements (AI edits).
    public static let compositeWithTrainedAlgorithmicMedia =
        "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"

    /// A record of a file made from noise (`c2pa.created`).
    public static func created(
        task: String, models: [ProvenanceModel], seed: GenerationSeed?, settings: [String: ProvenanceValue],
        ingredients: [ProvenanceIngredient] = [], date: Date = Date()
    ) -> GenerationProvenance {
        GenerationProvenance(
            action: "c2pa.created", sourceType: trainedAlgorithmicMedia, task: task, models: models, seed: seed,
            settings: settings, ingredients: ingredients, date: date)
    }

    /// A record of a file a model changed (`c2pa.edited`): style transfer, matting.
    public static func edited(
        task: String, models: [ProvenanceModel], settings: [String: ProvenanceValue],
        ingredients: [ProvenanceIngredient], seed: GenerationSeed? = nil, date: Date = Date()
    ) -> GenerationProvenance {
        GenerationProvenance(
            action: "c2pa.edited", sourceType: compositeWithTrainedAlgorithmicMedia, task: task, models: models,
            seed: seed, settings: settings, ingredients: ingredients, date: date)
    }

    private init(
        action: String, sourceType: String, task: String, models: [ProvenanceModel], seed: GenerationSeed?,
        settings: [String: ProvenanceValue], ingredients: [ProvenanceIngredient], date: Date
    ) {
        schema = Self.currentSchema
        claimGenerator = "Medley \(Medley.version)"
        created = date
        aiGenerated = true
        digitalSourceType = sourceType
        actions = [ProvenanceAction(action: action, softwareAgent: "Medley \(Medley.version) (\(task))",
                                    digitalSourceType: sourceType)]
        self.task = task
        self.models = models
        self.seed = seed
        self.settings = settings
        self.ingredients = ingredients
    }

    enum CodingKeys: String, CodingKey {
        case schema, claimGenerator = "claim_generator", title, format, created, aiGenerated = "ai_generated",
             digitalSourceType = "digital_source_type", actions, task, models, seed, settings, ingredients,
             outputSHA256 = "output_sha256"
    }

    /// One sentence for people: what made the file (used as the PNG/JPEG comment and the MP4 comment tag).
    public var summary: String {
        let verb = actions.first?.action == "c2pa.edited" ? "AI-edited" : "AI-generated"
        var text = "\(verb) content made by \(claimGenerator) (\(task))"
        if !allModels.isEmpty {
            let names = allModels.map { model in
                "\(model.id) \(model.version)" + (model.sha256.map { ", sha256 \($0.prefix(16))" } ?? "")
            }
            text += " with model \(names.joined(separator: "; "))"
        }
        if let seed { text += ", seed \(seed)" }
        return text + ". Digital source type: \(digitalSourceType)"
    }

    /// The record as JSON with sorted keys and ISO 8601 dates; `pretty` for the file beside the output.
    public func jsonData(pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        do {
            return try encoder.encode(self)
        } catch {
            throw MedleyError.internal("cannot encode a provenance record as JSON: \(error)")
        }
    }

    /// Decodes a record; `source` names where it came from in the error.
    public static func decode(_ data: Data, source: String) throws -> GenerationProvenance {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(GenerationProvenance.self, from: data)
        } catch {
            throw MedleyError.invalidArgument("\(source): not a Medley provenance record (\(error.localizedDescription))")
        }
    }

    /// `OUT.provenance.json` for an output `OUT.ext`.
    public static func recordPath(for outputPath: String) -> String {
        (outputPath as NSString).deletingPathExtension + ".provenance.json"
    }
}

/// One C2PA action of a record.
public struct ProvenanceAction: Codable, Sendable, Equatable {
    /// `c2pa.created` or `c2pa.edited`.
    public var action: String
    /// The software that acted.
    public var softwareAgent: String
    /// IPTC's digital source type of the action's result.
    public var digitalSourceType: String

    enum CodingKeys: String, CodingKey {
        case action, softwareAgent = "software_agent", digitalSourceType = "digital_source_type"
    }
}

/// A model that took part, named as its card names it.
public struct ProvenanceModel: Codable, Sendable, Equatable {
    /// The model card id.
    public var id: String
    /// The card's version.
    public var version: String
    /// SHA-256 of the model's weights file.
    public var sha256: String?
    /// The license's SPDX id.
    public var license: String

    /// A reference from its fields.
    public init(id: String, version: String, sha256: String?, license: String) {
        self.id = id
        self.version = version
        self.sha256 = sha256
        self.license = license
    }

    /// The reference of an installed model: its weights' checksum (the first `weights` file), license and version.
    public init(_ model: InstalledModel) {
        self.init(card: model.card)
    }

    /// The reference of a card: its weights' checksum (the first `weights` file), license and version.
    public init(card: ModelCard) {
        id = card.id
        version = card.version
        sha256 = card.file(role: "weights")?.sha256 ?? card.files.first?.sha256
        license = card.license.spdx
    }
}

/// An input file of an edit (C2PA's ingredient).
public struct ProvenanceIngredient: Codable, Sendable, Equatable {
    /// The file's name (not its full path: records travel with the file).
    public var title: String
    /// SHA-256 of the file's bytes.
    public var sha256: String
    /// `parentOf` for the content that was edited, `componentOf` for material that shaped it (a style image).
    public var relationship: String
    /// The models the ingredient's own Medley label names (it was itself generated), so that a chain of edits
    /// keeps every model that took part; nil for a file without a label.
    public var models: [ProvenanceModel]?

    /// An ingredient from its fields.
    public init(title: String, sha256: String, relationship: String, models: [ProvenanceModel]? = nil) {
        self.title = title
        self.sha256 = sha256
        self.relationship = relationship
        self.models = models
    }

    /// The ingredient of a file on disk (hashed now, its own label read when it has one).
    ///
    /// - Parameter title: the name to record; nil for the file's own name (give the user's name for a file that a
    ///   workflow keeps under a content hash).
    /// - Throws: the file errors of ``requireReadableFile(_:)``.
    public static func file(_ path: String, relationship: String, title: String? = nil) throws -> ProvenanceIngredient {
        try requireReadableFile(path)
        let label = try? ProvenanceReader.embeddedRecord(path: path)
        return ProvenanceIngredient(title: title ?? (path as NSString).lastPathComponent,
                                    sha256: try Checksum.sha256(fileAt: path).sha256, relationship: relationship,
                                    models: label?.allModels)
    }
}

extension GenerationProvenance {
    /// Every model that took part: the record's own, then those its ingredients' labels name, without repeats.
    public var allModels: [ProvenanceModel] {
        var all: [ProvenanceModel] = []
        for model in models + ingredients.flatMap({ $0.models ?? [] }) where !all.contains(where: { $0.id == model.id }) {
            all.append(model)
        }
        return all
    }
}

/// A setting's value in a record: a string, a number or a flag.
public enum ProvenanceValue: Codable, Sendable, Equatable, CustomStringConvertible, ExpressibleByStringLiteral,
    ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral
{
    case string(String)
    case number(Double)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        }
    }

    public var description: String {
        switch self {
        case .string(let text): return text
        case .number(let number):
            return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): return String(flag)
        }
    }
}
