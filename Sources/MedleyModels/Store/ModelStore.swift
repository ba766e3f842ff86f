import Foundation
import MedleyCore

/// A folder of installed models: `<root>/<model-id>/` holds the model's files and its card, `model.json`.
///
/// ```
/// <root>/silero-vad/model.json                      the card, with installed_at and medley_version
/// <root>/silero-vad/.verified.json                 size and mtime of every file at install (quick check)
/// <root>/silero-vad/silero_vad_openvino_16k.onnx   the files, at the paths the card names
/// ```
///
/// The store is a plain value: every call reads the disk, so two `ModelStore`s on one root see the same models.
/// Reading (``card(id:)``, ``resolve(id:policy:)``) is safe from any thread and any number of processes at once.
/// Installs write into a hidden staging folder in the root and rename it into place, holding an exclusive lock
/// on `<root>/.lock` meanwhile, so concurrent installs in one store run one after another and a reader sees
/// either the old model or the new one, never half of one.
public struct ModelStore: Sendable {
    /// The store folder.
    public let root: URL
    /// Receives progress of installs and full verifications (bytes hashed).
    public let progress: any ProgressReporter

    /// Names inside a model folder that belong to the store and cannot be model files.
    static let reservedNames: Set<String> = [cardFileName, stampsFileName]
    static let cardFileName = "model.json"
    static let stampsFileName = ".verified.json"

    /// A store at `root`. The folder is created by the first install; reading an absent store finds no models.
    public init(root: URL, progress: any ProgressReporter = SilentProgress()) {
        self.root = root.standardizedFileURL
        self.progress = progress
    }

    /// The default store folder: `$MEDLEY_MODELS` when set and not empty, otherwise `~/.medley/models`.
    public static func defaultRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["MEDLEY_MODELS"], !path.isEmpty {
            return URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        }
        return homeDirectory(environment).appendingPathComponent(".medley/models")
    }

    /// The wheel cache the setup script fills: `$MEDLEY_WHEELS`, else `$MEDLEY_CACHE/wheels`, else
    /// `~/.cache/medley/wheels`.
    public static func defaultWheelCache(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["MEDLEY_WHEELS"], !path.isEmpty {
            return URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        }
        if let path = environment["MEDLEY_CACHE"], !path.isEmpty {
            return URL(fileURLWithPath: (path as NSString).expandingTildeInPath).appendingPathComponent("wheels")
        }
        return homeDirectory(environment).appendingPathComponent(".cache/medley/wheels")
    }

    private static func homeDirectory(_ environment: [String: String]) -> URL {
        if let home = environment["HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        return FileManager.default.homeDirectoryForCurrentUser
    }

    /// The folder of model `id` (whether or not it is installed).
    public func directory(for id: String) -> URL {
        root.appendingPathComponent(id, isDirectory: true)
    }

    /// Ids of the installed models (folders with a `model.json`), sorted.
    public func installedIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { name in
            !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: directory(for: name).appendingPathComponent(Self.cardFileName).path)
        }.sorted()
    }

    /// The cards of every installed model whose card can be read, sorted by id. Unreadable cards are left out;
    /// ``entries()`` reports them.
    public func installedCards() -> [ModelCard] {
        installedIDs().compactMap { try? card(id: $0) }
    }

    /// The card of an installed model.
    ///
    /// - Throws: ``MedleyError/modelNotInstalled(id:installed:)`` listing the installed ids, or
    ///   ``MedleyError/invalidModel(id:reason:)`` when `model.json` cannot be read or names another id.
    public func card(id: String) throws -> ModelCard {
        guard ModelCard.isValidID(id) else {
            throw MedleyError.modelNotInstalled(id: id, installed: installedIDs())
        }
        let url = directory(for: id).appendingPathComponent(Self.cardFileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MedleyError.modelNotInstalled(id: id, installed: installedIDs())
        }
        let card = try ModelCard.load(from: url)
        guard card.id == id else {
            throw MedleyError.invalidModel(id: id, reason: "\(url.path) describes model '\(card.id)'; reinstall '\(id)'")
        }
        return card
    }

    /// The installed model `id`, ready to load: checks `policy` first, then that every file is present with the
    /// size the card gives and unchanged (same modification time) since install.
    ///
    /// The quick check costs one `stat` per file (milliseconds); ``verify(id:full:)`` re-hashes everything.
    ///
    /// - Throws: ``MedleyError/modelNotInstalled(id:installed:)``, ``MedleyError/policyDenied(id:license:rule:)``
    ///   naming the license and the broken rule, or ``MedleyError/modelCorrupt(id:file:reason:)`` naming the file.
    public func resolve(id: String, policy: LicensePolicy = .any) throws -> InstalledModel {
        let card = try card(id: id)
        try policy.check(card)
        try quickCheck(card)
        return InstalledModel(card: card, directory: directory(for: id))
    }

    /// Throws ``MedleyError/modelCorrupt(id:file:reason:)`` for the first file that is missing, has another size
    /// than the card says, or was modified after install.
    func quickCheck(_ card: ModelCard) throws {
        let folder = directory(for: card.id)
        let stamps = try FileStamps.load(from: folder.appendingPathComponent(Self.stampsFileName), id: card.id)
        for file in card.files {
            let problem = Self.quickProblem(file, in: folder, stamps: stamps)
            if let problem { throw MedleyError.modelCorrupt(id: card.id, file: file.path, reason: problem.reason) }
        }
    }

    static func quickProblem(_ file: ModelFile, in folder: URL, stamps: FileStamps) -> FileCheck.Problem? {
        let path = folder.appendingPathComponent(file.path).path
        guard let stamp = FileStamp.measure(path) else { return .missing }
        if stamp.size != file.size { return .sizeMismatch(expected: file.size, actual: stamp.size) }
        guard let recorded = stamps.files[file.path] else { return .notRecorded }
        if recorded != stamp { return .modified }
        return nil
    }

    /// Every folder in the store with its state, for listings: readable and intact, changed, or broken.
    public func entries() -> [StoreEntry] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter {
            var isDirectory: ObjCBool = false
            return !$0.hasPrefix(".")
                && FileManager.default.fileExists(atPath: directory(for: $0).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
        return names.map { id in
            let cardURL = directory(for: id).appendingPathComponent(Self.cardFileName)
            guard FileManager.default.fileExists(atPath: cardURL.path) else {
                return StoreEntry(id: id, card: nil, problem: "no model.json (not installed by Medley, or interrupted)")
            }
            do {
                let card = try card(id: id)
                do {
                    try quickCheck(card)
                    return StoreEntry(id: id, card: card, problem: nil)
                } catch let error as MedleyError {
                    if case .modelCorrupt(_, let file, let reason) = error {
                        return StoreEntry(id: id, card: card, problem: "\(file) \(reason)")
                    }
                    return StoreEntry(id: id, card: card, problem: error.message)
                }
            } catch {
                return StoreEntry(id: id, card: nil, problem: "\(error)")
            }
        }
    }
}

/// An installed model that passed the policy and the quick check: its card and where its files are.
public struct InstalledModel: Sendable, Equatable {
    /// The installed card (with `installed_at`).
    public let card: ModelCard
    /// The model's store folder.
    public let directory: URL

    /// The location of a file the card lists.
    ///
    /// - Throws: ``MedleyError/invalidModel(id:reason:)`` when the card has no such file.
    public func url(for path: String) throws -> URL {
        guard card.file(path) != nil else {
            let known = card.files.prefix(8).map(\.path).joined(separator: ", ")
            throw MedleyError.invalidModel(id: card.id, reason: "has no file '\(path)' (files: \(known))")
        }
        return directory.appendingPathComponent(path)
    }

    /// The location of the first file with this role (`weights`, `config`...).
    ///
    /// - Throws: ``MedleyError/invalidModel(id:reason:)`` when no file has the role.
    public func url(role: String) throws -> URL {
        guard let file = card.file(role: role) else {
            throw MedleyError.invalidModel(id: card.id, reason: "has no file with role '\(role)'")
        }
        return directory.appendingPathComponent(file.path)
    }
}

/// One folder of the store, as ``ModelStore/entries()`` finds it.
public struct StoreEntry: Sendable, Equatable {
    /// The folder name (the model id).
    public let id: String
    /// The card, when it could be read.
    public let card: ModelCard?
    /// What is wrong, or nil when the model is installed and passes the quick check.
    public let problem: String?

    /// True when the card is readable and the files pass the quick check.
    public var isIntact: Bool { card != nil && problem == nil }
}
