import Foundation
import MedleyCore

/// The temporary file an output is written to until it is complete: the streaming counterpart of
/// `writeAtomically(to:_:)`, for writers whose life spans several calls.
///
/// The temporary file sits in the output's folder (so the final rename stays on one file system), is hidden,
/// and keeps the output's extension last because FFmpeg picks the container from it. ``commit()`` renames it
/// over the output; ``discard()`` (or dropping an uncommitted value) removes it.
final class TemporaryOutputFile {
    /// The path the caller asked for.
    let finalPath: String
    /// Where the bytes go until ``commit()``.
    let temporaryPath: String
    private var settled = false

    /// Checks that the output can be created and picks the temporary name; creates no file.
    init(for path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MedleyError.writeFailed(path: path, reason: "folder \(folder) does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw MedleyError.isDirectory(path: path)
        }
        finalPath = path
        let stem = url.deletingPathExtension().lastPathComponent
        let name = ".\(stem).partial-\(UInt32.random(in: 0...UInt32.max))"
        var temporary = url.deletingLastPathComponent().appendingPathComponent(name)
        if !url.pathExtension.isEmpty { temporary = temporary.appendingPathExtension(url.pathExtension) }
        temporaryPath = temporary.path
    }

    deinit { if !settled { discard() } }

    /// Moves the finished temporary file over the output (replacing an older file there).
    func commit() throws {
        guard !settled else { return }
        settled = true
        do {
            if FileManager.default.fileExists(atPath: finalPath) {
                try FileManager.default.removeItem(atPath: finalPath)
            }
            try FileManager.default.moveItem(atPath: temporaryPath, toPath: finalPath)
        } catch {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw MedleyError.writeFailed(path: finalPath, reason: error.localizedDescription)
        }
    }

    /// Removes the temporary file, if any; the output path is left untouched.
    func discard() {
        settled = true
        if FileManager.default.fileExists(atPath: temporaryPath) {
            try? FileManager.default.removeItem(atPath: temporaryPath)
        }
    }
}
