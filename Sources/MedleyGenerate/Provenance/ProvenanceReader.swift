import Foundation
import MedleyCore
import MedleyMedia
import MedleyModels

/// What ``ProvenanceReader/inspect(path:)`` found about a file.
public struct ProvenanceInspection: Sendable, Equatable {
    /// The file inspected.
    public var path: String
    /// SHA-256 of its bytes now.
    public var sha256: String
    /// `OUT.provenance.json` beside it, when there is one.
    public var recordPath: String?
    /// The generation record beside the file, when it is one (speech records are left to the caller).
    public var record: GenerationProvenance?
    /// The record inside the file (PNG/JPEG label or MP4/MKV tag).
    public var embedded: GenerationProvenance?

    /// How far the file can be trusted to be what its record describes.
    public enum Integrity: String, Sendable, Equatable, Codable {
        /// The record beside the file names this exact file (same SHA-256).
        case unchanged
        /// The record beside the file names other bytes: the file was edited or re-encoded since.
        case modified
        /// Only the label inside the file: it cannot tell whether pixels changed.
        case labelOnly = "label_only"
        /// No generation record at all.
        case none
    }

    /// The verdict on the file's integrity.
    public var integrity: Integrity {
        if let expected = record?.outputSHA256 { return expected == sha256 ? .unchanged : .modified }
        return embedded != nil || record != nil ? .labelOnly : .none
    }

    /// The best record: the one beside the file, else the embedded one.
    public var best: GenerationProvenance? { record ?? embedded }
}

/// Reads the provenance of a file Medley generated: the record beside it and the label inside it.
public enum ProvenanceReader {
    /// Looks for `OUT.provenance.json`, a PNG/JPEG label and MP4/MKV tags, and checks the file's checksum against
    /// the record.
    ///
    /// - Throws: file errors for `path`; `invalidArgument` when the record beside it is not valid JSON.
    public static func inspect(path: String) throws -> ProvenanceInspection {
        try requireReadableFile(path)
        let sha256 = try Checksum.sha256(fileAt: path).sha256
        var inspection = ProvenanceInspection(path: path, sha256: sha256)
        let recordPath = GenerationProvenance.recordPath(for: path)
        if FileManager.default.fileExists(atPath: recordPath) {
            inspection.recordPath = recordPath
            let data = try Data(contentsOf: URL(fileURLWithPath: recordPath))
            inspection.record = try? GenerationProvenance.decode(data, source: recordPath)
            if inspection.record == nil, (try? JSONSerialization.jsonObject(with: data)) == nil {
                throw MedleyError.invalidArgument("\(recordPath): is not JSON; it is not a Medley provenance record")
            }
        }
        inspection.embedded = try embeddedRecord(path: path)
        return inspection
    }

    /// The record inside the file: a PNG or JPEG label, or the `medley_provenance` tag of a video.
    static func embeddedRecord(path: String) throws -> GenerationProvenance? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        if head.starts(with: ProvenanceLabel.pngSignature) || head.starts(with: [0xFF, 0xD8]) {
            // Labels sit in the first chunks; a picture's bytes are read whole only for pictures.
            try handle.seek(toOffset: 0)
            let data = try handle.readToEnd() ?? Data()
            return try ProvenanceLabel.read(from: data, source: path)
        }
        guard let tags = try? MediaProbe.containerTags(path: path),
              let json = tags.first(where: { $0.key.lowercased() == "medley_provenance" })?.value
        else {
            return nil
        }
        return try GenerationProvenance.decode(Data(json.utf8), source: "\(path) (tag medley_provenance)")
    }
}
