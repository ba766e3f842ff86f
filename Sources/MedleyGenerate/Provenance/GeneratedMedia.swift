import Foundation
import MedleyCore
import MedleyMedia
import MedleyModels

/// The two files every generated output consists of.
public struct GeneratedFiles: Sendable, Equatable {
    /// The picture or video.
    public var output: String
    /// Its provenance record, `OUT.provenance.json`.
    public var provenance: String
}

/// Writes generated pictures and videos with their provenance label: inside the file (PNG text chunks, JPEG
/// comment and XMP, MP4 tags) and as `OUT.provenance.json` beside it.
///
/// Each file is written atomically (a failure leaves no partial file); the picture comes first, then the record,
/// which holds the picture's SHA-256 so `medley provenance` can tell whether the picture changed since.
public enum GeneratedMedia {
    /// Encodes `image` for `path` by its extension (`.png`, `.jpg`, `.jpeg`, `.webp`), labels it and writes it with
    /// its record. WebP cannot hold the label here: its record beside it is the only one.
    ///
    /// - Throws: ``MedleyError`` naming `path` (unknown extension, missing folder, write failure).
    @discardableResult
    public static func writeImage(
        _ image: Image, to path: String, provenance: GenerationProvenance, quality: Int = ImageIO.defaultQuality
    ) throws -> GeneratedFiles {
        try requireOutputFolder(of: path)
        let encoded = try ImageIO.encode(image, forPath: path, quality: quality)
        return try write(encoded, to: path, provenance: provenance)
    }

    /// Labels already encoded PNG bytes (a 16-bit heightmap from ``ImageIO/encodeGray16PNG(width:height:samples:)``)
    /// and writes them with their record.
    ///
    /// - Throws: `invalidArgument` when `data` is not a PNG or `path` does not end in `.png`; write errors.
    @discardableResult
    public static func writePNG(_ data: Data, to path: String, provenance: GenerationProvenance) throws
        -> GeneratedFiles
    {
        guard (path as NSString).pathExtension.lowercased() == "png" else {
            throw MedleyError.invalidArgument("\(path): this output is a PNG; give a path ending in .png")
        }
        guard data.starts(with: ProvenanceLabel.pngSignature) else {
            throw MedleyError.internal("writePNG was given bytes that are not a PNG")
        }
        try requireOutputFolder(of: path)
        return try write(data, to: path, provenance: provenance)
    }

    /// The container tags that label a video (give them to ``VideoWriter``): a human `comment` and `description`,
    /// `ai_generated`, IPTC's `digital_source_type`, and the compact JSON record as `medley_provenance`.
    public static func videoTags(for provenance: GenerationProvenance) throws -> [String: String] {
        [
            "comment": provenance.summary,
            "description": provenance.summary,
            "ai_generated": "true",
            "digital_source_type": provenance.digitalSourceType,
            "medley_provenance": String(decoding: try provenance.jsonData(pretty: false), as: UTF8.self),
        ]
    }

    /// Writes `OUT.provenance.json` for a finished output file (a video written with ``videoTags(for:)``), with the
    /// output's name, media type and SHA-256 filled in. Returns the record's path.
    @discardableResult
    public static func writeRecord(_ provenance: GenerationProvenance, for outputPath: String) throws -> String {
        var record = provenance
        record.title = (outputPath as NSString).lastPathComponent
        record.format = mediaType(of: outputPath)
        record.outputSHA256 = try Checksum.sha256(fileAt: outputPath).sha256
        let recordPath = GenerationProvenance.recordPath(for: outputPath)
        let data = try record.jsonData()
        try writeAtomically(to: recordPath) { temporary in
            do {
                try data.write(to: URL(fileURLWithPath: temporary))
            } catch {
                throw MedleyError.writeFailed(path: recordPath, reason: error.localizedDescription)
            }
        }
        return recordPath
    }

    /// The media type Medley writes for an output extension.
    public static func mediaType(of path: String) -> String? {
        switch (path as NSString).pathExtension.lowercased() {
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "webp": return "image/webp"
        case "mp4", "m4v": return "video/mp4"
        case "mkv": return "video/x-matroska"
        case "mov": return "video/quicktime"
        default: return nil
        }
    }

    /// Throws a clear error when the folder of `path` does not exist (before any work is spent on the output).
    public static func requireOutputFolder(of path: String) throws {
        let folder = (URL(fileURLWithPath: path).deletingLastPathComponent().path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MedleyError.writeFailed(path: path, reason: "folder \(folder) does not exist")
        }
    }

    private static func write(_ encoded: Data, to path: String, provenance: GenerationProvenance) throws
        -> GeneratedFiles
    {
        var embedded = provenance
        embedded.title = (path as NSString).lastPathComponent
        embedded.format = mediaType(of: path)
        let labelled = try ProvenanceLabel.embed(embedded, in: encoded) ?? encoded
        try writeAtomically(to: path) { temporary in
            do {
                try labelled.write(to: URL(fileURLWithPath: temporary))
            } catch {
                throw MedleyError.writeFailed(path: path, reason: error.localizedDescription)
            }
        }
        return GeneratedFiles(output: path, provenance: try writeRecord(embedded, for: path))
    }
}
