#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MedleyCore

/// What an install did.
public struct InstallResult: Sendable, Equatable {
    /// How the install ended.
    public enum Outcome: String, Sendable, Equatable, Codable {
        /// The model was not installed before; it is now.
        case installed
        /// Another version, or a damaged copy, was replaced.
        case replaced
        /// The same files were installed already and passed the quick check; nothing was written.
        case alreadyInstalled = "already-installed"
    }

    /// The model id.
    public let id: String
    /// How the install ended.
    public let outcome: Outcome
    /// The model's store folder.
    public let directory: URL
    /// Bytes written (0 when already installed).
    public let bytesWritten: Int64
}

/// Puts a card's files into the store: stage, check every checksum while copying, then rename into place.
struct ModelInstaller {
    let store: ModelStore

    /// Installs `card` with files from the reader that `makeReader` opens. The reader is only opened when there
    /// is something to install, so an already installed model needs no source at all.
    func install(_ card: ModelCard, makeReader: () throws -> any SourceReader) throws -> InstallResult {
        try card.validate()
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: store.root, withIntermediateDirectories: true)
        } catch {
            throw MedleyError.writeFailed(path: store.root.path, reason: "cannot create the model store folder")
        }
        let lock = try StoreLock(root: store.root)
        defer { lock.release() }
        removeLeftovers()

        let target = store.directory(for: card.id)
        let existing = try? store.card(id: card.id)
        if let existing, existing.hasSameFiles(as: card), (try? store.quickCheck(existing)) != nil {
            try refreshCard(existing, with: card, in: target)
            return InstallResult(id: card.id, outcome: .alreadyInstalled, directory: target, bytesWritten: 0)
        }

        let reader = try makeReader()
        let staging = store.root.appendingPathComponent(".tmp-\(card.id)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw MedleyError.writeFailed(path: staging.path, reason: "cannot create a staging folder")
        }
        do {
            var written: Int64 = 0
            for file in card.files where !card.source.isMadeAtInstall(file.path) {
                written += try copy(file, of: card, from: reader, into: staging, writtenBefore: written)
            }
            if let conversion = card.source.conversion {
                written += try ModelConversion(card: card, conversion: conversion).run(in: staging)
            }
            var installed = card
            installed.installedAt = Date()
            installed.medleyVersion = Medley.version
            let cardURL = staging.appendingPathComponent(ModelStore.cardFileName)
            guard fileManager.createFile(atPath: cardURL.path, contents: try installed.jsonData()) else {
                throw MedleyError.writeFailed(path: cardURL.path, reason: "cannot create the card file")
            }
            try FileStamps.measure(card, in: staging).write(to: staging.appendingPathComponent(ModelStore.stampsFileName))
            let replaced = try moveIntoPlace(staging, target: target)
            return InstallResult(
                id: card.id, outcome: replaced ? .replaced : .installed, directory: target, bytesWritten: written)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
    }

    /// Rewrites an installed card whose files are current but whose other fields (license, limitations...) an
    /// updated catalog changed, so that policy checks and `models show` see the catalog's word; keeps the install
    /// date. The files and their stamps are not touched.
    private func refreshCard(_ existing: ModelCard, with card: ModelCard, in target: URL) throws {
        var current = existing
        current.installedAt = nil
        current.medleyVersion = nil
        guard current != card else { return }
        var refreshed = card
        refreshed.installedAt = existing.installedAt
        refreshed.medleyVersion = Medley.version
        let data = try refreshed.jsonData()
        let cardPath = target.appendingPathComponent(ModelStore.cardFileName).path
        try writeAtomically(to: cardPath) { temporary in
            guard FileManager.default.createFile(atPath: temporary, contents: data) else {
                throw MedleyError.writeFailed(path: cardPath, reason: "cannot write the updated card")
            }
        }
    }

    /// Writes one store file from its parts, hashing as it goes; returns its size.
    private func copy(
        _ file: ModelFile, of card: ModelCard, from reader: any SourceReader, into staging: URL, writtenBefore: Int64
    ) throws -> Int64 {
        let destination = staging.appendingPathComponent(file.path)
        try FileManager.default.createDirectory(
            at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        let output = try OutputFile(path: destination.path)
        let fileHasher = try SHA256Hasher()
        let parts = reader.parts(for: file, of: card)
        var fileSize: Int64 = 0
        for (index, part) in parts.enumerated() {
            let partHasher = part.sha256 == nil ? nil : try SHA256Hasher()
            var partSize: Int64 = 0
            try reader.read(part, of: card) { bytes in
                try output.append(bytes)
                fileHasher.update(bytes)
                partHasher?.update(bytes)
                partSize += Int64(bytes.count)
            }
            fileSize += partSize
            store.progress.report(ProgressEvent(
                stage: "install \(card.id)", completed: Double(writtenBefore + fileSize),
                total: Double(card.totalSize), unit: "bytes"))
            let label = parts.count > 1 ? "part \(index + 1) of \(parts.count) of file \(file.path)" : "file \(file.path)"
            if let expected = part.size, expected != partSize {
                throw mismatch(card, label, reader.describe(part, of: card), "has \(partSize) bytes but the card says \(expected)")
            }
            if let expected = part.sha256, let actual = partHasher?.finalize(), actual != expected {
                throw mismatch(card, label, reader.describe(part, of: card), "has sha256 \(actual) but the card says \(expected)")
            }
        }
        try output.finish()
        let origin = parts.map { reader.describe($0, of: card) }.joined(separator: " + ")
        if fileSize != file.size {
            throw mismatch(card, "file \(file.path)", origin, "has \(fileSize) bytes but the card says \(file.size)")
        }
        let actual = fileHasher.finalize()
        if actual != file.sha256 {
            throw mismatch(card, "file \(file.path)", origin, "has sha256 \(actual) but the card says \(file.sha256)")
        }
        return fileSize
    }

    private func mismatch(_ card: ModelCard, _ label: String, _ origin: String, _ what: String) -> MedleyError {
        .invalidModel(
            id: card.id,
            reason: "\(label) (from \(origin)) \(what); refusing to install: the source is not the release the card "
                + "was made from, or it is damaged")
    }

    /// Renames the staging folder to the model folder; an existing folder is moved aside first and deleted only
    /// once the new one is in place (and put back if the rename fails). Returns whether something was replaced.
    private func moveIntoPlace(_ staging: URL, target: URL) throws -> Bool {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: target.path) else {
            try renameItem(staging, to: target)
            return false
        }
        let aside = store.root.appendingPathComponent(".old-\(target.lastPathComponent)-\(UInt32.random(in: 0...UInt32.max))")
        try renameItem(target, to: aside)
        do {
            try renameItem(staging, to: target)
        } catch {
            try? renameItem(aside, to: target)
            throw error
        }
        try? fileManager.removeItem(at: aside)
        return true
    }

    private func renameItem(_ from: URL, to: URL) throws {
        guard rename(from.path, to.path) == 0 else {
            throw MedleyError.writeFailed(
                path: to.path, reason: "cannot rename \(from.lastPathComponent) (\(String(cString: strerror(errno))))")
        }
    }

    /// Removes staging and set-aside folders of installs that were killed. Called under the store lock, when no
    /// other install can be running.
    private func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: store.root.path)) ?? []
        for name in names where name.hasPrefix(".tmp-") || name.hasPrefix(".old-") {
            try? FileManager.default.removeItem(at: store.root.appendingPathComponent(name))
        }
    }
}

/// A new file opened for writing with `O_EXCL`; closed in `deinit` if not closed before.
private final class OutputFile {
    private var descriptor: Int32
    private let path: String

    init(path: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        self.path = path
        guard descriptor >= 0 else {
            throw MedleyError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let count = write(descriptor, base + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw MedleyError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            offset += count
        }
    }

    func finish() throws {
        let status = close(descriptor)
        descriptor = -1
        if status != 0 { throw MedleyError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
    }

    deinit {
        if descriptor >= 0 { _ = close(descriptor) }
    }
}

/// An exclusive `flock` on `<root>/.lock`, held while an install stages and renames, so that installs into one
/// store (from any process) run one at a time.
private final class StoreLock {
    private var descriptor: Int32

    init(root: URL) throws {
        let path = root.appendingPathComponent(".lock").path
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw MedleyError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            _ = close(descriptor)
            throw MedleyError.writeFailed(path: path, reason: "cannot lock the model store (\(reason))")
        }
    }

    func release() {
        if descriptor >= 0 {
            _ = flock(descriptor, LOCK_UN)
            _ = close(descriptor)
            descriptor = -1
        }
    }

    deinit { release() }
}
