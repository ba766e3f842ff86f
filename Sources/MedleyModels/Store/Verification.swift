import Foundation
import MedleyCore

/// The result of checking one installed model's files against its card.
public struct VerificationReport: Sendable, Equatable, Encodable {
    /// The model id.
    public let id: String
    /// True when every file was hashed (a full check); false for the quick size-and-mtime check.
    public let full: Bool
    /// One entry per file of the card, in card order.
    public let files: [FileCheck]

    /// True when every file passed.
    public var passed: Bool { files.allSatisfy { $0.problem == nil } }
    /// The files that failed.
    public var failures: [FileCheck] { files.filter { $0.problem != nil } }

    enum CodingKeys: String, CodingKey { case id, full, files, passed }

    /// A report from its fields.
    public init(id: String, full: Bool, files: [FileCheck]) {
        self.id = id
        self.full = full
        self.files = files
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(full, forKey: .full)
        try c.encode(files, forKey: .files)
        try c.encode(passed, forKey: .passed)
    }
}

/// The check of one file.
public struct FileCheck: Sendable, Equatable, Encodable {
    /// The store path.
    public let path: String
    /// What is wrong, or nil when the file matches.
    public let problem: Problem?

    /// How a file can fail a check.
    public enum Problem: Sendable, Equatable {
        /// No file at the path.
        case missing
        /// The size differs from the card's.
        case sizeMismatch(expected: Int64, actual: Int64)
        /// The content's SHA-256 differs from the card's.
        case checksumMismatch(expected: String, actual: String)
        /// The modification time differs from the one recorded at install (quick check only).
        case modified
        /// The store has no record of the file's install-time stamp (quick check only).
        case notRecorded

        /// The end of a sentence that starts with the file name.
        public var reason: String {
            switch self {
            case .missing:
                return "is missing"
            case .sizeMismatch(let expected, let actual):
                return "has \(actual) bytes but the card says \(expected)"
            case .checksumMismatch(let expected, let actual):
                return "has sha256 \(actual) but the card says \(expected)"
            case .modified:
                return "was modified after install (its modification time changed); `medley models verify` "
                    + "re-hashes it"
            case .notRecorded:
                return "has no install record"
            }
        }
    }

    /// A check from its fields.
    public init(path: String, problem: Problem?) {
        self.path = path
        self.problem = problem
    }

    enum CodingKeys: String, CodingKey { case path, ok, reason }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(problem == nil, forKey: .ok)
        try c.encodeIfPresent(problem?.reason, forKey: .reason)
    }
}

extension ModelStore {
    /// Checks an installed model's files against its card.
    ///
    /// With `full` (the default) every file is hashed (SHA-256, about a second per few hundred MB); a passing full
    /// check also refreshes the install record, so files that were only touched pass the quick check again.
    /// Without `full`, only sizes and modification times are compared, like ``resolve(id:policy:)`` does.
    /// Mismatches are reported, not thrown.
    ///
    /// - Throws: ``MedleyError/modelNotInstalled(id:installed:)`` or an unreadable card's error; `CancellationError`
    ///   when the surrounding task is cancelled.
    public func verify(id: String, full: Bool = true) async throws -> VerificationReport {
        let card = try card(id: id)
        let folder = directory(for: id)
        guard full else {
            let stamps = try? FileStamps.load(from: folder.appendingPathComponent(Self.stampsFileName), id: id)
            let checks = card.files.map { file in
                FileCheck(
                    path: file.path,
                    problem: stamps.map { Self.quickProblem(file, in: folder, stamps: $0) } ?? .notRecorded)
            }
            return VerificationReport(id: id, full: false, files: checks)
        }
        var checks: [FileCheck] = []
        var done: Int64 = 0
        let total = Double(card.totalSize)
        for file in card.files {
            let path = folder.appendingPathComponent(file.path).path
            guard let stamp = FileStamp.measure(path) else {
                checks.append(FileCheck(path: file.path, problem: .missing))
                continue
            }
            if stamp.size != file.size {
                checks.append(FileCheck(path: file.path, problem: .sizeMismatch(expected: file.size, actual: stamp.size)))
                continue
            }
            let measured = try SHA256Hasher.hash(fileAt: path)
            done += measured.size
            progress.report(ProgressEvent(stage: "verify \(id)", completed: Double(done), total: total, unit: "bytes"))
            let problem: FileCheck.Problem? = measured.sha256 == file.sha256
                ? nil : .checksumMismatch(expected: file.sha256, actual: measured.sha256)
            checks.append(FileCheck(path: file.path, problem: problem))
        }
        let report = VerificationReport(id: id, full: true, files: checks)
        if report.passed {
            // Best effort: a read-only store still verifies, it just keeps its old record.
            try? FileStamps.measure(card, in: folder).write(to: folder.appendingPathComponent(Self.stampsFileName))
        }
        return report
    }
}
