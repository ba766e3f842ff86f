import Foundation
import MedleyCore
import MedleyMedia

/// Writing generated faces and morphs as labelled files (the picture or video, and `OUT.provenance.json`).
extension FaceGenerator {
    /// The task name in provenance records and run records.
    public static let task = "generate.face"
    /// Frame rate of morph videos: PAL's 25 fps, smooth enough for a slow morph and a round number of frames
    /// per second to choose `--frames` by.
    public static let morphFrameRate = 25.0

    /// The provenance record of a face: the model, the seed, the truncation and the size.
    public func provenance(seed: GenerationSeed, truncation: Double, size: Int) -> GenerationProvenance {
        .created(task: Self.task, models: [provenanceModel], seed: seed,
                 settings: ["truncation": .number(truncation), "size": .number(Double(size))])
    }

    /// Generates the face of `seed` and writes it to `path` (`.png`, `.jpg` or `.webp`) with its label.
    ///
    /// The output folder and extension are checked before the face is generated, so a bad path costs nothing and
    /// leaves nothing behind.
    @discardableResult
    public func writeFace(seed: GenerationSeed, truncation: Double = defaultTruncation, size: Int = nativeSize,
                          to path: String) throws -> GeneratedFiles {
        try Self.validate(truncation: truncation, size: size)
        try Self.checkOutput(path, as: .picture)
        let face = try generate(seed: seed, truncation: truncation, size: size)
        return try GeneratedMedia.writeImage(face, to: path,
                                             provenance: provenance(seed: seed, truncation: truncation, size: size))
    }

    /// The file name of the face of `seed` in a batch folder: `face-<seed>.png` (the unsigned form of the seed).
    public static func batchFileName(seed: GenerationSeed) -> String { "face-\(seed).png" }

    /// Generates `count` faces, of seeds `first`, `first + 1`... (``GenerationSeed/advanced(by:)``), into `folder` as
    /// `face-<seed>.png`, each with its label. `folder` is created when missing, but its parent must exist (a
    /// mistyped path is refused rather than built).
    ///
    /// Each face is encoded and written on a background thread while the next one is generated (one write in
    /// flight at most), which saves the encoding time of all but the last face.
    ///
    /// - Parameter body: called after each face is written, in order, with its index, seed and files.
    /// - Throws: `invalidArgument` for a count below 1; `writeFailed` when the parent folder is missing or `folder`
    ///   is a file.
    public func writeFaces(
        from first: GenerationSeed, count: Int, truncation: Double = defaultTruncation, size: Int = nativeSize,
        into folder: String, progress: any ProgressReporter = SilentProgress(),
        _ body: (_ index: Int, _ seed: GenerationSeed, _ files: GeneratedFiles) throws -> Void = { _, _, _ in }
    ) throws {
        guard count >= 1 else {
            throw MedleyError.invalidArgument("face count must be at least 1, got \(count)")
        }
        try Self.validate(truncation: truncation, size: size)
        try Self.prepareFolder(folder)
        let writer = BackgroundJob<GeneratedFiles>()
        var pending: (index: Int, seed: GenerationSeed)?
        /// Waits for the write in flight and reports it.
        func collect() throws {
            guard let written = pending, let files = try writer.wait() else { return }
            pending = nil
            try body(written.index, written.seed, files)
            progress.report(ProgressEvent(stage: "faces", completed: Double(written.index + 1), total: Double(count),
                                          unit: "faces"))
        }
        do {
            for index in 0..<count {
                try Task.checkCancellation()
                let seed = first.advanced(by: index)
                let path = (folder as NSString).appendingPathComponent(Self.batchFileName(seed: seed))
                let face = try generate(seed: seed, truncation: truncation, size: size)
                try collect()
                let record = provenance(seed: seed, truncation: truncation, size: size)
                writer.start { try GeneratedMedia.writeImage(face, to: path, provenance: record) }
                pending = (index, seed)
            }
            try collect()
        } catch {
            // No write may outlive the call (its file would appear after the error was reported).
            _ = try? writer.wait()
            throw error
        }
    }

    /// The provenance record of a morph: the model, both seeds, the truncation, size, frames and frame rate.
    public func morphProvenance(from start: GenerationSeed, to end: GenerationSeed, frames: Int, truncation: Double,
                                size: Int) -> GenerationProvenance {
        .created(task: Self.task, models: [provenanceModel], seed: start,
                 settings: ["truncation": .number(truncation), "size": .number(Double(size)),
                            "end_seed": .string(end.description), "frames": .number(Double(frames)),
                            "frame_rate": .number(Self.morphFrameRate), "interpolation": "linear-w"])
    }

    /// Renders the morph from `start`'s face to `end`'s
    /// (see ``interpolate(from:to:frames:truncation:size:progress:_:)``) as an H.264 video at ``morphFrameRate`` (`.mp4` or `.mkv`), tagged as AI-generated, plus its record.
    /// On any error nothing is left at `path`.
    @discardableResult
    public func writeMorph(
        from start: GenerationSeed, to end: GenerationSeed, frames: Int, truncation: Double = defaultTruncation,
        size: Int = nativeSize, to path: String, progress: any ProgressReporter = SilentProgress()
    ) throws -> GeneratedFiles {
        guard frames >= 2 else {
            throw MedleyError.invalidArgument("an interpolation needs at least 2 frames, got \(frames)")
        }
        try Self.validate(truncation: truncation, size: size)
        try Self.checkOutput(path, as: .video)
        let record = morphProvenance(from: start, to: end, frames: frames, truncation: truncation, size: size)
        let writer = try VideoWriter(path: path, width: size, height: size, frameRate: Self.morphFrameRate,
                                     metadata: try GeneratedMedia.videoTags(for: record))
        do {
            try interpolate(from: start, to: end, frames: frames, truncation: truncation, size: size,
                            progress: progress) { _, frame in try writer.append(frame) }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
        return GeneratedFiles(output: path, provenance: try GeneratedMedia.writeRecord(record, for: path))
    }

    /// What an output path is meant to receive.
    public enum OutputKind: Sendable {
        /// One picture (`.png`, `.jpg`, `.webp`) in an existing folder.
        case picture
        /// A folder of pictures: existing, or creatable in an existing parent.
        case folder
        /// A morph video (`.mp4`, `.mkv`) in an existing folder.
        case video
    }

    /// Checks an output path before any model is loaded or any work is done, with the errors the writers give.
    public static func checkOutput(_ path: String, as kind: OutputKind) throws {
        switch kind {
        case .picture:
            try requireImagePath(path)
            try GeneratedMedia.requireOutputFolder(of: path)
        case .folder:
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    throw MedleyError.writeFailed(path: path, reason: "it is a file; several faces need a folder")
                }
            } else {
                try GeneratedMedia.requireOutputFolder(of: path)
            }
        case .video:
            try requireVideoPath(path)
            try GeneratedMedia.requireOutputFolder(of: path)
        }
    }

    /// Throws unless `path` ends in a video extension the morph writer knows.
    static func requireVideoPath(_ path: String) throws {
        guard let type = GeneratedMedia.mediaType(of: path), type == "video/mp4" || type == "video/x-matroska" else {
            throw MedleyError.invalidArgument("\(path): a morph is a video; give a path ending in .mp4 or .mkv")
        }
    }

    /// Throws unless `path` ends in an image extension the writer knows.
    static func requireImagePath(_ path: String) throws {
        guard GeneratedMedia.mediaType(of: path)?.hasPrefix("image/") == true else {
            throw MedleyError.invalidArgument("\(path): a face is a picture; give a path ending in .png, .jpg or .webp")
        }
    }

    /// Creates `folder` when its parent exists; accepts an existing folder; refuses a file or a missing parent.
    static func prepareFolder(_ folder: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw MedleyError.writeFailed(path: folder, reason: "it is a file; several faces need a folder")
            }
            return
        }
        let parent = URL(fileURLWithPath: folder).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MedleyError.writeFailed(path: folder, reason: "folder \(parent) does not exist")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        } catch {
            throw MedleyError.writeFailed(path: folder,
                                          reason: "cannot create the folder: \(error.localizedDescription)")
        }
    }
}
