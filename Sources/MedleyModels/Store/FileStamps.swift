#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MedleyCore

/// Size and modification time of one file: what the quick check compares, instead of re-hashing.
struct FileStamp: Codable, Equatable, Sendable {
    var size: Int64
    /// Modification time in nanoseconds since 1970 (full `st_mtim` precision, so a rewrite is seen even within
    /// one second).
    var mtimeNanoseconds: Int64

    enum CodingKeys: String, CodingKey {
        case size
        case mtimeNanoseconds = "mtime_ns"
    }

    /// The stamp of a regular file (symbolic links followed), or nil when there is none at `path`.
    static func measure(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return FileStamp(size: Int64(info.st_size), mtimeNanoseconds: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }
}

/// The stamps of a model's files, recorded at install (and refreshed by a passing full verification) in
/// `<store>/<id>/.verified.json`.
struct FileStamps: Codable, Equatable, Sendable {
    var files: [String: FileStamp]
    /// When the files were last known to match their checksums.
    var verifiedAt: String
    var medleyVersion: String

    enum CodingKeys: String, CodingKey {
        case files
        case verifiedAt = "verified_at"
        case medleyVersion = "medley_version"
    }

    /// Measures every file of `card` inside `folder`.
    static func measure(_ card: ModelCard, in folder: URL) throws -> FileStamps {
        var files: [String: FileStamp] = [:]
        for file in card.files {
            let path = folder.appendingPathComponent(file.path).path
            guard let stamp = FileStamp.measure(path) else {
                throw MedleyError.modelCorrupt(id: card.id, file: file.path, reason: "is missing")
            }
            files[file.path] = stamp
        }
        return FileStamps(files: files, verifiedAt: CardDates.format(Date()), medleyVersion: Medley.version)
    }

    static func load(from url: URL, id: String) throws -> FileStamps {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw MedleyError.modelCorrupt(
                id: id, file: url.lastPathComponent, reason: "(the store's record of the installed files) is missing")
        }
        do {
            return try JSONDecoder().decode(FileStamps.self, from: data)
        } catch {
            throw MedleyError.modelCorrupt(
                id: id, file: url.lastPathComponent, reason: "(the store's record of the installed files) is unreadable")
        }
    }

    func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        try writeAtomically(to: url.path) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: data) else {
                throw MedleyError.writeFailed(path: url.path, reason: "cannot create the file")
            }
        }
    }
}
