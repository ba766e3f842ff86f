import Foundation
import MedleyCore
import MedleyModels

/// Writes a workflow's named outputs into its output folder.
///
/// - a file: `DIR/NAME` (the file's extension is added when the name has none);
/// - a list of files: the folder `DIR/NAME/` holding each file under its own name;
/// - text: `DIR/NAME` (`.txt` added when the name has no extension);
/// - anything else: `DIR/NAME` as JSON (`.json` added when the name has no extension).
///
/// Each file is written to a temporary name in the same folder and renamed, so no output is ever half-written.
enum OutputWriter {
    /// Creates the folder when missing and checks that it can be written, before any node runs.
    static func prepare(_ directory: URL) throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw MedleyError.writeFailed(path: directory.path, reason: "cannot create the output folder")
        }
        let probe = directory.appendingPathComponent(".medley-write-check-\(getpid())")
        guard manager.createFile(atPath: probe.path, contents: Data()) else {
            throw MedleyError.writeFailed(path: directory.path, reason: "the output folder is not writable")
        }
        try? manager.removeItem(at: probe)
    }

    static func write(_ outputs: [String: WorkflowValue], to directory: URL) throws -> [FileRecord] {
        var records: [FileRecord] = []
        for (name, value) in outputs.sorted(by: { $0.key < $1.key }) {
            records += try write(value, name: name, in: directory)
        }
        return records
    }

    private static func write(_ value: WorkflowValue, name: String, in directory: URL) throws -> [FileRecord] {
        switch value {
        case .file(let file):
            let ext = URL(fileURLWithPath: file.name).pathExtension
            let target = URL(fileURLWithPath: name).pathExtension.isEmpty && !ext.isEmpty ? "\(name).\(ext)" : name
            return [try copy(file.path, to: directory.appendingPathComponent(target), name: name)]
        case .list(let elements) where elements.allSatisfy({ if case .file = $0 { return true } else { return false } }):
            let folder = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var used: Set<String> = []
            var records: [FileRecord] = []
            for case .file(let file) in elements {
                var fileName = file.name
                var counter = 2
                while !used.insert(fileName).inserted {
                    let url = URL(fileURLWithPath: file.name)
                    fileName = url.deletingPathExtension().lastPathComponent + "-\(counter)"
                        + (url.pathExtension.isEmpty ? "" : ".\(url.pathExtension)")
                    counter += 1
                }
                records.append(try copy(file.path, to: folder.appendingPathComponent(fileName), name: "\(name)/\(fileName)"))
            }
            return records
        case .text(let text):
            let target = URL(fileURLWithPath: name).pathExtension.isEmpty ? "\(name).txt" : name
            return [try save(Data(text.utf8), to: directory.appendingPathComponent(target), name: name)]
        default:
            let target = URL(fileURLWithPath: name).pathExtension.isEmpty ? "\(name).json" : name
            return [try save(Data(value.plain.prettyText.utf8), to: directory.appendingPathComponent(target), name: name)]
        }
    }

    private static func copy(_ source: String, to target: URL, name: String) throws -> FileRecord {
        try writeAtomically(to: target.path) { temporary in
            try FileManager.default.copyItem(atPath: source, toPath: temporary)
        }
        return try record(target, name: name)
    }

    private static func save(_ data: Data, to target: URL, name: String) throws -> FileRecord {
        try writeAtomically(to: target.path) { temporary in
            try data.write(to: URL(fileURLWithPath: temporary))
        }
        return try record(target, name: name)
    }

    private static func record(_ url: URL, name: String) throws -> FileRecord {
        let (sha, size) = try Checksum.sha256(fileAt: url.path)
        return FileRecord(name: name, path: url.path, sha256: sha, size: size)
    }
}
