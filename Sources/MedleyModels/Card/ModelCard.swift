import Foundation
import MedleyCore

/// What Medley knows about one model: what it does, its files and checksums, how to run it, where it comes from,
/// its license and how open it is.
///
/// A card is stored as `model.json` beside the model's files in the store (see ``ModelStore``). The JSON keys are
/// snake_case; `docs/model-card.md` documents every field and `docs/model-card.schema.json` is its JSON Schema.
/// Cards for the models Medley ships are compiled into the binary (``ModelCatalog``); users write their own for
/// their own models and install them with ``ModelStore/install(card:files:)``.
///
/// Decoding is lenient where a user-written card may leave something out: the list fields (`languages`,
/// `authors`, `inputs`, `outputs`) default to empty, `openness` defaults to all-unknown, and `name` to the id.
/// ``validate()`` checks the rest (id syntax, safe relative file paths, checksum syntax).
public struct ModelCard: Codable, Sendable, Equatable {
    /// The version of the card format this card was written for. Medley writes ``currentSchemaVersion``.
    public var schemaVersion: Int
    /// Store id, unique in a store: letters, digits, `.`, `_`, `-`; the store folder has this name.
    public var id: String
    /// Human name.
    public var name: String
    /// The tasks this model can serve, such as `speech.vad`, `speech.transcribe`, `vision.ocr.detect`.
    public var tasks: [String]
    /// The model's version (for catalog models, the release of the package that carries it).
    public var version: String
    /// Every file of the model, as installed in the store, with checksum and size.
    public var files: [ModelFile]
    /// The file format of the weights.
    public var format: ModelFormat
    /// The Medley runtime that executes the model.
    public var runtime: ModelRuntime
    /// What the model takes in (names, element types, shapes and meaning).
    public var inputs: [PortDescription]
    /// What the model gives back.
    public var outputs: [PortDescription]
    /// BCP 47 language tags the model handles; empty when language does not apply (vision).
    public var languages: [String]
    /// The license that governs the weights.
    public var license: ModelLicense
    /// Where the files come from and how each store file is put together.
    public var source: ModelSource
    /// Who made the model.
    public var authors: [String]
    /// How to cite the model, when its authors ask for it.
    public var citation: String?
    /// What the model is meant for.
    public var intendedUse: String
    /// Known limits, biases and failure modes.
    public var limitations: String
    /// Openness under the OSI Open Source AI Definition 1.0, plus a Model Openness Framework class.
    public var openness: Openness
    /// When the store installed the model; set by the store, nil in catalog templates.
    public var installedAt: Date?
    /// The Medley version that installed the model; set by the store, nil in catalog templates.
    public var medleyVersion: String?

    /// The card format version this Medley writes.
    public static let currentSchemaVersion = 1

    /// Creates a card. `installedAt` and `medleyVersion` are left nil: the store sets them on install.
    public init(
        id: String, name: String, tasks: [String], version: String, files: [ModelFile],
        format: ModelFormat, runtime: ModelRuntime,
        inputs: [PortDescription] = [], outputs: [PortDescription] = [], languages: [String] = [],
        license: ModelLicense, source: ModelSource, authors: [String] = [], citation: String? = nil,
        intendedUse: String, limitations: String, openness: Openness = .unknown
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.name = name
        self.tasks = tasks
        self.version = version
        self.files = files
        self.format = format
        self.runtime = runtime
        self.inputs = inputs
        self.outputs = outputs
        self.languages = languages
        self.license = license
        self.source = source
        self.authors = authors
        self.citation = citation
        self.intendedUse = intendedUse
        self.limitations = limitations
        self.openness = openness
        self.installedAt = nil
        self.medleyVersion = nil
    }

    /// Total bytes of all files.
    public var totalSize: Int64 { files.reduce(0) { $0 + $1.size } }

    /// The file with this store path, if the card lists it.
    public func file(_ path: String) -> ModelFile? { files.first { $0.path == path } }

    /// The first file with this role (`weights`, `config`, `tokenizer`...), if any.
    public func file(role: String) -> ModelFile? { files.first { $0.role == role } }

    /// True when both cards describe the same bytes: the same store paths with the same checksums and sizes.
    public func hasSameFiles(as other: ModelCard) -> Bool {
        let mine = files.map { "\($0.path)\u{0}\($0.sha256)\u{0}\($0.size)" }.sorted()
        let theirs = other.files.map { "\($0.path)\u{0}\($0.sha256)\u{0}\($0.size)" }.sorted()
        return mine == theirs
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, name, tasks, version, files, format, runtime, inputs, outputs, languages, license, source
        case authors, citation
        case intendedUse = "intended_use"
        case limitations, openness
        case installedAt = "installed_at"
        case medleyVersion = "medley_version"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decodeIfPresent(Int.self, forKey: .schemaVersion) ?? Self.currentSchemaVersion
        id = try c.decode(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? id
        tasks = try c.decode([String].self, forKey: .tasks)
        version = try c.decode(String.self, forKey: .version)
        files = try c.decode([ModelFile].self, forKey: .files)
        format = try c.decode(ModelFormat.self, forKey: .format)
        runtime = try c.decode(ModelRuntime.self, forKey: .runtime)
        inputs = try c.decodeIfPresent([PortDescription].self, forKey: .inputs) ?? []
        outputs = try c.decodeIfPresent([PortDescription].self, forKey: .outputs) ?? []
        languages = try c.decodeIfPresent([String].self, forKey: .languages) ?? []
        license = try c.decode(ModelLicense.self, forKey: .license)
        source = try c.decode(ModelSource.self, forKey: .source)
        authors = try c.decodeIfPresent([String].self, forKey: .authors) ?? []
        citation = try c.decodeIfPresent(String.self, forKey: .citation)
        intendedUse = try c.decodeIfPresent(String.self, forKey: .intendedUse) ?? ""
        limitations = try c.decodeIfPresent(String.self, forKey: .limitations) ?? ""
        openness = try c.decodeIfPresent(Openness.self, forKey: .openness) ?? .unknown
        if let text = try c.decodeIfPresent(String.self, forKey: .installedAt) {
            guard let date = CardDates.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .installedAt, in: c, debugDescription: "'\(text)' is not an ISO 8601 date-time")
            }
            installedAt = date
        } else {
            installedAt = nil
        }
        medleyVersion = try c.decodeIfPresent(String.self, forKey: .medleyVersion)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(tasks, forKey: .tasks)
        try c.encode(version, forKey: .version)
        try c.encode(files, forKey: .files)
        try c.encode(format, forKey: .format)
        try c.encode(runtime, forKey: .runtime)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(outputs, forKey: .outputs)
        try c.encode(languages, forKey: .languages)
        try c.encode(license, forKey: .license)
        try c.encode(source, forKey: .source)
        try c.encode(authors, forKey: .authors)
        try c.encodeIfPresent(citation, forKey: .citation)
        try c.encode(intendedUse, forKey: .intendedUse)
        try c.encode(limitations, forKey: .limitations)
        try c.encode(openness, forKey: .openness)
        try c.encodeIfPresent(installedAt.map(CardDates.format), forKey: .installedAt)
        try c.encodeIfPresent(medleyVersion, forKey: .medleyVersion)
    }
}

/// One file of a model as it sits in the store folder.
public struct ModelFile: Codable, Sendable, Equatable {
    /// Path relative to the model's store folder (`model.bin`, `espeak-ng-data/en_dict`).
    public var path: String
    /// SHA-256 of the file, 64 lowercase hex digits.
    public var sha256: String
    /// Size in bytes.
    public var size: Int64
    /// What the file is for: `weights`, `config`, `tokenizer`, `vocabulary`, `data`, `license`, `model-card`...
    public var role: String

    /// A file entry from its fields.
    public init(path: String, sha256: String, size: Int64, role: String) {
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.role = role
    }
}

/// The file format of a model's weights.
public enum ModelFormat: String, Codable, Sendable, CaseIterable {
    case onnx
    case tflite
    case openvinoIR = "openvino-ir"
    case ctranslate2
    case piperONNX = "piper-onnx"
    case espeakNGData = "espeak-ng-data"
}

/// The Medley runtime that executes a model.
public enum ModelRuntime: String, Codable, Sendable, CaseIterable {
    /// OpenVINO (ONNX, TFLite, IR), through MedleyRuntime.
    case openvino
    /// Medley's own Whisper implementation over CTranslate2 weights.
    case medleyWhisper = "medley-whisper"
    /// The espeak-ng library (formant synthesis, phonemisation).
    case espeakNG = "espeak-ng"
}

/// One input or output of a model: a tensor port, or for non-tensor models a short free-text description.
public struct PortDescription: Codable, Sendable, Equatable {
    /// Port name as the model file spells it (`input`, `x`); for free text, a short label.
    public var name: String
    /// Element type (`float32`, `int64`), when the port is a tensor.
    public var type: String?
    /// Shape with symbolic dimensions, e.g. `[N,3,48,W]`.
    public var shape: String?
    /// Meaning, layout, value range, normalisation.
    public var description: String?

    /// A port from its fields.
    public init(name: String, type: String? = nil, shape: String? = nil, description: String? = nil) {
        self.name = name
        self.type = type
        self.shape = shape
        self.description = description
    }
}

/// ISO 8601 timestamps for `installed_at`: written in UTC with milliseconds, read with or without fractions.
enum CardDates {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
