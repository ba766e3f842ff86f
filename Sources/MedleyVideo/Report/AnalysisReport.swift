import Foundation
import MedleyCore

/// Everything `medley analyze` found in one media file: the content of a report folder's `report.json`.
///
/// A plain value that the analyze workflow fills from its stage results; ``ReportWriter`` writes it, with
/// ``ReportHTML`` and the transcript and keyframe files, into a self-contained folder. The JSON keys are
/// snake_case and every key is always written: a value that is unknown or does not apply is `null` (never left
/// out, never NaN), a list with nothing in it is `[]`. `docs/report.md` documents every field and
/// `docs/report.schema.json` is its JSON Schema.
///
/// Times are seconds from the start of the input. Paths inside the report (`input.file`, keyframe files,
/// transcript files, `contact_sheet`) are relative to the report folder and use `/`.
public struct AnalysisReport: Codable, Sendable, Equatable {
    /// The version of the report format; Medley writes ``currentSchemaVersion``.
    public var schemaVersion: Int
    /// The Medley version that made the report.
    public var medleyVersion: String
    /// When the analysis finished; written as ISO 8601 in UTC, to the second (`2026-12-04T03:34:03Z`).
    public var created: Date
    /// The workflow run that made the report, when it was recorded.
    public var runID: String?
    /// The analysed file.
    public var input: Input
    /// Stages that did not run, each with the reason (no video stream, no speech, a model not installed...).
    public var skipped: [SkippedStage]
    /// Voice activity and the transcript; nil when the speech stage did not run (see ``skipped``).
    public var speech: Speech?
    /// Loudness and music figures; nil when the audio stage did not run.
    public var audio: AudioAnalysis?
    /// The scenes in order; empty for audio-only input or when the vision stage did not run.
    public var scenes: [Scene]
    /// One picture of all keyframes, relative to the folder (`keyframes/contact-sheet.jpg`), when made.
    public var contactSheet: String?
    /// The models that were used, with licenses and checksums.
    public var models: [Model]
    /// Every stage of the run, in order, with its time.
    public var stages: [Stage]
    /// Things a reader should know that are not errors (a stage fell back, a value is approximate).
    public var warnings: [String]

    /// The report format version this Medley writes.
    public static let currentSchemaVersion = 1

    /// A report from its parts; `created` defaults to now and `medleyVersion` to this Medley's version.
    public init(
        created: Date = Date(), runID: String? = nil, input: Input, skipped: [SkippedStage] = [],
        speech: Speech? = nil, audio: AudioAnalysis? = nil, scenes: [Scene] = [], contactSheet: String? = nil,
        models: [Model] = [], stages: [Stage] = [], warnings: [String] = [], medleyVersion: String = Medley.version
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.medleyVersion = medleyVersion
        self.created = created
        self.runID = runID
        self.input = input
        self.skipped = skipped
        self.speech = speech
        self.audio = audio
        self.scenes = scenes
        self.contactSheet = contactSheet
        self.models = models
        self.stages = stages
        self.warnings = warnings
    }

    /// The reason a stage was skipped, if ``skipped`` names it.
    public func skipReason(for stage: String) -> String? {
        skipped.first { $0.stage == stage }?.reason
    }

    /// True when the input has a video stream to show (a `<video>` player and scenes) rather than only audio.
    public var hasVideo: Bool { input.video != nil }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case medleyVersion = "medley_version"
        case created
        case runID = "run_id"
        case input, skipped, speech, audio, scenes
        case contactSheet = "contact_sheet"
        case models, stages, warnings
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decodeIfPresent(Int.self, forKey: .schemaVersion) ?? Self.currentSchemaVersion
        medleyVersion = try c.decode(String.self, forKey: .medleyVersion)
        let text = try c.decode(String.self, forKey: .created)
        guard let date = ReportDates.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: .created, in: c, debugDescription: "'\(text)' is not an ISO 8601 date-time")
        }
        created = date
        runID = try c.decodeIfPresent(String.self, forKey: .runID)
        input = try c.decode(Input.self, forKey: .input)
        skipped = try c.decodeIfPresent([SkippedStage].self, forKey: .skipped) ?? []
        speech = try c.decodeIfPresent(Speech.self, forKey: .speech)
        audio = try c.decodeIfPresent(AudioAnalysis.self, forKey: .audio)
        scenes = try c.decodeIfPresent([Scene].self, forKey: .scenes) ?? []
        contactSheet = try c.decodeIfPresent(String.self, forKey: .contactSheet)
        models = try c.decodeIfPresent([Model].self, forKey: .models) ?? []
        stages = try c.decodeIfPresent([Stage].self, forKey: .stages) ?? []
        warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(medleyVersion, forKey: .medleyVersion)
        try c.encode(ReportDates.format(created), forKey: .created)
        try c.encode(runID, forKey: .runID)
        try c.encode(input, forKey: .input)
        try c.encode(skipped, forKey: .skipped)
        try c.encode(speech, forKey: .speech)
        try c.encode(audio, forKey: .audio)
        try c.encode(scenes, forKey: .scenes)
        try c.encode(contactSheet, forKey: .contactSheet)
        try c.encode(models, forKey: .models)
        try c.encode(stages, forKey: .stages)
        try c.encode(warnings, forKey: .warnings)
    }
}

/// The conventional stage names of the analyze workflow, as used in ``AnalysisReport/skipped`` and
/// ``AnalysisReport/stages``. The HTML page looks up the reason a section is missing under these names.
public enum ReportStage {
    /// Voice activity detection and transcription.
    public static let speech = "speech"
    /// Loudness and music analysis.
    public static let audio = "audio"
    /// Scene detection, keyframes, on-screen text, faces and safety.
    public static let vision = "vision"
}

/// ISO 8601 timestamps for `created`: written in UTC to the second, read with or without fractions.
enum ReportDates {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
