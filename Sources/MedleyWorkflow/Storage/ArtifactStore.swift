import Foundation
import MedleyCore
import MedleyModels

/// Node output files, stored by content: `ROOT/ab/abcdef…​.ext` (SHA-256, keeping the extension FFmpeg and
/// viewers need). A file enters the store by a rename from a work folder inside the same root, so an artifact
/// is either whole or absent, even when the process is killed mid-write.
public struct ArtifactStore: Sendable {
    /// The store's folder.
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The artifact folder that goes with a database file: `medley.sqlite` → `medley.artifacts/`.
    public static func root(forDatabase path: String) -> URL {
        URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("artifacts")
    }

    /// Folders of running nodes live here until their outputs are ingested.
    var temporaryRoot: URL { root.appendingPathComponent("tmp") }

    /// A new, empty work folder for one node invocation of run `runID`.
    public func makeWorkDirectory(runID: String, nodeID: String) throws -> URL {
        let safeNode = String(nodeID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }.prefix(40))
        let folder = temporaryRoot.appendingPathComponent("\(runID)-\(safeNode)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw MedleyError.writeFailed(path: folder.path, reason: "cannot create the node's work folder")
        }
        return folder
    }

    /// Moves `file` into the store (or drops it when the same content is already there).
    ///
    /// - Returns: the artifact's path relative to ``root``, its size and SHA-256.
    public func ingest(_ file: FileValue) throws -> (relativePath: String, size: Int64, sha256: String) {
        let (sha, size) = try Checksum.sha256(fileAt: file.path)
        let ext = URL(fileURLWithPath: file.name).pathExtension
        let relative = "\(sha.prefix(2))/\(sha)" + (ext.isEmpty ? "" : ".\(ext)")
        let destination = root.appendingPathComponent(relative)
        let manager = FileManager.default
        if manager.fileExists(atPath: destination.path) {
            if file.path.hasPrefix(temporaryRoot.path + "/") { try? manager.removeItem(atPath: file.path) }
            return (relative, size, sha)
        }
        do {
            try manager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            if file.path.hasPrefix(temporaryRoot.path + "/") {
                try manager.moveItem(atPath: file.path, toPath: destination.path)
            } else {
                // A file from outside the store (a node passed its input through): copy, then rename into place.
                let partial = destination.path + ".partial-\(UInt32.random(in: 0...UInt32.max))"
                try manager.copyItem(atPath: file.path, toPath: partial)
                try manager.moveItem(atPath: partial, toPath: destination.path)
            }
        } catch {
            if manager.fileExists(atPath: destination.path) { return (relative, size, sha) } // another process won
            throw MedleyError.writeFailed(path: destination.path, reason: "cannot store the artifact (\(error.localizedDescription))")
        }
        return (relative, size, sha)
    }

    /// The absolute path of an artifact.
    public func path(relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// True when the artifact exists with the expected size.
    public func isIntact(relative: String, size: Int64) -> Bool {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path(relative: relative))
        return (attributes?[.size] as? NSNumber)?.int64Value == size
    }

    /// Deletes artifacts the index no longer refers to.
    public func remove(_ relativePaths: [String]) {
        for relative in relativePaths { try? FileManager.default.removeItem(atPath: path(relative: relative)) }
    }

    /// Deletes the work folders of the given runs (left behind by killed processes).
    public func removeWorkDirectories(ofRuns runIDs: [String]) {
        guard !runIDs.isEmpty,
              let names = try? FileManager.default.contentsOfDirectory(atPath: temporaryRoot.path) else { return }
        for name in names where runIDs.contains(where: { name.hasPrefix($0 + "-") }) {
            try? FileManager.default.removeItem(at: temporaryRoot.appendingPathComponent(name))
        }
    }
}
