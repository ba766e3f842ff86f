import Foundation

/// Checks that a path names a readable, non-empty regular file, and throws the matching ``MedleyError``
/// otherwise. Every task that takes an input file calls this first so bad paths give the same clear line.
public func requireReadableFile(_ path: String) throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw MedleyError.fileNotFound(path: path)
    }
    if isDirectory.boolValue { throw MedleyError.isDirectory(path: path) }
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    if size == 0 { throw MedleyError.emptyFile(path: path) }
}

/// Writes an output file atomically: `body` writes to a temporary path in the same folder, which is renamed
/// over `path` only when `body` returns. On a throw the temporary file is removed, so no partial output is
/// ever left behind.
public func writeAtomically(to path: String, _ body: (_ temporaryPath: String) throws -> Void) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw MedleyError.writeFailed(path: path, reason: "folder \(folder) does not exist")
    }
    // Keep the extension last: FFmpeg picks the container from it.
    let temporary = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.deletingPathExtension().lastPathComponent).partial-\(UInt32.random(in: 0...UInt32.max))")
        .appendingPathExtension(url.pathExtension).path
    do {
        try body(temporary)
        if FileManager.default.fileExists(atPath: path) { _ = try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    } catch {
        try? FileManager.default.removeItem(atPath: temporary)
        if let error = error as? MedleyError { throw error }
        throw MedleyError.writeFailed(path: path, reason: "\(error.localizedDescription)")
    }
}
