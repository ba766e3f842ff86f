import Foundation
import MedleyCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The output folder of a report and its atomic replacement (see ``ReportWriter``).
struct ReportFolder {
    /// The folder's absolute path, symbolic links resolved (so a linked output folder is replaced where it is).
    let path: String
    /// Its parent, where the temporary and the set-aside folders are made.
    let parent: String
    /// Its last path component.
    let name: String

    init(_ directory: String) throws {
        guard !directory.isEmpty else {
            throw MedleyError.invalidArgument("the report folder path is empty; give an output folder with -o")
        }
        let url = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath()
        path = url.path
        parent = url.deletingLastPathComponent().path
        name = url.lastPathComponent
        guard !name.isEmpty, name != "/", path != "/" else {
            throw MedleyError.invalidArgument("\(directory): cannot be a report folder; give a folder such as ./report")
        }
    }

    /// Checks that the parent is a writable folder and that `path` is absent, empty or a Medley report.
    func checkReplaceable() throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: parent, isDirectory: &isDirectory) else {
            throw MedleyError.writeFailed(path: path, reason: "its parent folder \(parent) does not exist")
        }
        guard isDirectory.boolValue else {
            throw MedleyError.writeFailed(path: path, reason: "\(parent) is not a folder")
        }
        guard access(parent, W_OK | X_OK) == 0 else {
            throw MedleyError.writeFailed(
                path: path, reason: "the parent folder \(parent) is not writable: \(String(cString: strerror(errno)))")
        }
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw MedleyError.invalidArgument(
                "\(path): exists and is a file, not a report folder; choose another output folder or remove the file")
        }
        if files.fileExists(atPath: path + "/" + ReportLayout.reportJSON) { return }
        let entries: [String]
        do {
            entries = try files.contentsOfDirectory(atPath: path)
        } catch {
            throw MedleyError.writeFailed(
                path: path, reason: "cannot list the existing folder: \(error.localizedDescription)")
        }
        guard entries.isEmpty else {
            throw MedleyError.invalidArgument(
                "\(path): exists, is not empty and is not a Medley report (no \(ReportLayout.reportJSON)); "
                    + "choose another output folder, or empty or remove this one")
        }
    }

    /// Creates the hidden sibling the new report is built in.
    func makeTemporarySibling() throws -> String {
        let temporary = sibling("partial")
        guard mkdir(temporary, 0o755) == 0 else {
            throw MedleyError.writeFailed(
                path: path, reason: "cannot create a temporary folder in \(parent): \(String(cString: strerror(errno)))")
        }
        return temporary
    }

    /// Puts the finished `temporary` folder at `path`; an existing folder there is set aside, then deleted.
    func swapIn(_ temporary: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            try move(temporary, to: path)
            syncDirectory(parent)
            return
        }
        let old = sibling("old")
        try move(path, to: old)
        do {
            try move(temporary, to: path)
        } catch {
            _ = rename(old, path)  // put the old report back; the caller removes the temporary folder
            throw error
        }
        syncDirectory(parent)
        // The new report is in place; failing to delete the old one only leaves a hidden folder behind.
        try? FileManager.default.removeItem(atPath: old)
    }

    private func sibling(_ kind: String) -> String {
        parent + "/." + name + "." + kind + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    private func move(_ from: String, to destination: String) throws {
        guard rename(from, destination) == 0 else {
            throw MedleyError.writeFailed(
                path: path, reason: "cannot rename \(from) to \(destination): \(String(cString: strerror(errno)))")
        }
    }
}

/// Flushes a folder's entries (new names, renames) to disk; best effort.
func syncDirectory(_ path: String) {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY)
    guard descriptor >= 0 else { return }
    _ = fsync(descriptor)
    _ = close(descriptor)
}
