import Foundation

/// Where a run stands.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running, succeeded, failed, cancelled
    /// The process died (killed, crashed, power lost) while the run was going; found at the next start.
    case interrupted
}

/// How a node fared in a run.
public enum NodeStatus: String, Sendable, Codable {
    case pending, running, succeeded, failed, skipped, cancelled
}

/// A file a run read or wrote, by content.
public struct FileRecord: Sendable, Codable, Equatable {
    /// For outputs, the workflow output name; for inputs, the parameter or node input that named the file.
    public var name: String
    public var path: String
    public var sha256: String
    public var size: Int64

    public init(name: String, path: String, sha256: String, size: Int64) {
        self.name = name
        self.path = path
        self.sha256 = sha256
        self.size = size
    }
}

/// A model a run used, as its card identified it at the time.
public struct ModelRecord: Sendable, Codable, Equatable, Hashable {
    public var id: String
    public var version: String
    /// SHA-256 of the model's files' checksums, in card order: one value that changes when any file does.
    public var sha256: String
    public var license: String

    public init(id: String, version: String, sha256: String, license: String) {
        self.id = id
        self.version = version
        self.sha256 = sha256
        self.license = license
    }
}

/// One node of a run: when it ran, how long, whether the cache answered.
public struct NodeRecord: Sendable, Codable, Equatable {
    public var nodeID: String
    public var type: String
    public var version: Int
    public var status: NodeStatus
    public var startedAt: Date?
    public var seconds: Double
    /// Calls of the node (more than one when it runs over a list), and how many of them the cache answered.
    public var invocations: Int
    public var cacheHits: Int
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case nodeID = "node_id", type, version, status, startedAt = "started_at", seconds, invocations
        case cacheHits = "cache_hits", error
    }

    public init(nodeID: String, type: String, version: Int, status: NodeStatus = .pending, startedAt: Date? = nil,
                seconds: Double = 0, invocations: Int = 0, cacheHits: Int = 0, error: String? = nil) {
        self.nodeID = nodeID
        self.type = type
        self.version = version
        self.status = status
        self.startedAt = startedAt
        self.seconds = seconds
        self.invocations = invocations
        self.cacheHits = cacheHits
        self.error = error
    }
}

/// Everything recorded about one run of a workflow or of a task command, enough to trace every output to its
/// inputs, models and settings, and to run it again.
public struct RunRecord: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case workflow, command }

    public var id: String
    public var kind: Kind
    /// The workflow's name, or the command ("transcribe").
    public var name: String
    /// The command line, for task commands.
    public var command: [String]?
    /// The canonical JSON of the workflow that ran (task commands run a one-node workflow).
    public var workflow: String
    /// Parameter values as bound, in tagged JSON.
    public var params: [String: String]
    public var status: RunStatus
    public var startedAt: Date
    public var endedAt: Date?
    public var medleyVersion: String
    public var host: String
    public var pid: Int32
    public var inputs: [FileRecord]
    public var models: [ModelRecord]
    public var outputs: [FileRecord]
    public var nodes: [NodeRecord]
    public var error: String?
    /// The output folder, when the run wrote one.
    public var outputDirectory: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, name, command, workflow, params, status, startedAt = "started_at", endedAt = "ended_at"
        case medleyVersion = "medley_version", host, pid, inputs, models, outputs, nodes, error
        case outputDirectory = "output_directory"
    }

    /// Seconds from start to end (or to now while running).
    public var seconds: Double { (endedAt ?? Date()).timeIntervalSince(startedAt) }

    /// A new id: UTC time to the second and 6 random hex digits ("20261204-101500-3fa9c2"), so ids sort by time
    /// and two runs started in the same second by different processes do not collide.
    public static func newID(now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: now) + "-" + String(format: "%06x", UInt32.random(in: 0...0xFF_FFFF))
    }
}

/// One cached node invocation: its outputs, by cache key.
public struct CacheEntry: Sendable, Equatable {
    public var key: String
    public var nodeType: String
    /// Outputs in tagged JSON; file values hold paths relative to the artifact store.
    public var outputs: [String: WorkflowValue]
    /// The artifact files the outputs use (relative paths), with their sizes.
    public var artifacts: [String: Int64]

    public init(key: String, nodeType: String, outputs: [String: WorkflowValue], artifacts: [String: Int64]) {
        self.key = key
        self.nodeType = nodeType
        self.outputs = outputs
        self.artifacts = artifacts
    }
}

/// Where run records and the cache index live. SQLite (``SQLiteWorkflowStore``) is the embedded default; a
/// shared server database can implement the same protocol, so nothing above it assumes a local file.
///
/// Implementations are safe to use from several tasks and several processes at once.
public protocol WorkflowStore: Sendable {
    func insertRun(_ run: RunRecord) throws
    /// Replaces the run's status, end, error, inputs, models and outputs.
    func updateRun(_ run: RunRecord) throws
    func upsertNode(runID: String, _ node: NodeRecord) throws
    /// Writes several node records in one transaction.
    func upsertNodes(runID: String, _ nodes: [NodeRecord]) throws
    /// The run whose id is `id` or starts with it (when exactly one does).
    func run(id: String) throws -> RunRecord?
    /// The newest runs first.
    func runs(limit: Int) throws -> [RunRecord]
    /// Marks runs left `running` by processes of this host that no longer exist as `interrupted`; returns their ids.
    func markInterruptedRuns() throws -> [String]

    func cacheEntry(key: String) throws -> CacheEntry?
    func insertCacheEntry(_ entry: CacheEntry) throws
    func removeCacheEntry(key: String) throws
    /// Drops least-recently-used entries until the artifacts they hold fit in `maxBytes`; returns the artifact
    /// paths no entry uses any more (the caller deletes the files).
    func evictCache(toFit maxBytes: Int64) throws -> [String]
    /// Total size of the artifacts the cache index refers to.
    func cacheSize() throws -> Int64

    /// The SHA-256 remembered for the file at `path` (absolute) when it had `identity`, or nil.
    func knownFileHash(path: String, identity: FileIdentity) throws -> String?
    /// Remembers a file's SHA-256 for ``knownFileHash(path:identity:)``.
    func rememberFileHash(path: String, identity: FileIdentity, sha256: String) throws
}

extension WorkflowStore {
    /// A store without a hash memory: every file is hashed again.
    public func knownFileHash(path: String, identity: FileIdentity) throws -> String? { nil }
    /// A store without a hash memory forgets.
    public func rememberFileHash(path: String, identity: FileIdentity, sha256: String) throws {}
}
