import Foundation
import GRDB
import MedleyCore

/// Run records and the cache index in one SQLite database, through GRDB.
///
/// WAL mode lets readers and one writer work at once; writers wait up to ``busyTimeout`` for each other, so two
/// `medley` processes can share a database. Every change is one transaction, so a process killed at any point
/// leaves the database consistent; its unfinished runs are marked `interrupted` by the next
/// ``markInterruptedRuns()``.
public final class SQLiteWorkflowStore: WorkflowStore {
    /// How long a write waits for another process's write before it fails.
    public static let busyTimeout: TimeInterval = 30

    /// The database file.
    public let path: String
    private let pool: DatabasePool
    private let host = ProcessInfo.processInfo.hostName

    /// The default database, `~/.medley/medley.sqlite` (or `$MEDLEY_HOME/medley.sqlite`).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["MEDLEY_HOME"], !home.isEmpty { return home + "/medley.sqlite" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.medley/medley.sqlite"
    }

    /// Opens (creating when missing) the database at `path` and brings its schema up to date.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` naming the file when it is not a SQLite database or
    ///   cannot be opened.
    public init(path: String) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw MedleyError.writeFailed(path: path, reason: "cannot create folder \(folder.path)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "medley"
        // WAL with synchronous=NORMAL: a commit survives a killed process (the WAL is in the OS's hands) and the
        // database is never corrupted; only a power loss can drop the last commits. Commits then cost no fsync,
        // which keeps the engine's overhead per node well under a millisecond.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try Self.openPool(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw Self.openError(path: path, error)
        } catch {
            throw MedleyError.invalidArgument("\(path): cannot open the Medley database (\(error)); give another --db path")
        }
    }

    private static func openError(path: String, _ error: DatabaseError) -> MedleyError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return MedleyError.invalidArgument(
                "\(path): is not a Medley database (\(error.message ?? "not a database")); move it aside or give another --db path")
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM:
            return MedleyError.writeFailed(path: path, reason: error.message ?? "cannot open the database")
        default:
            return MedleyError.invalidArgument("\(path): database error (\(error.message ?? "\(error.resultCode)")); give another --db path")
        }
    }

    /// Opens the pool and brings the schema up to date when other processes may be doing the same.
    ///
    /// Two processes opening a new database together race twice. Switching it to WAL runs a deferred write,
    /// which SQLite answers with `SQLITE_BUSY` at once, without waiting, when the other process wrote first. And
    /// GRDB reads the applied migrations before it takes the write lock, so both processes try to create the
    /// tables and the second fails ("table runs already exists"). Both are tried again, for up to
    /// ``busyTimeout``: a busy database, or a failed migration while another process applied migrations in the
    /// meantime. Any other failure is a real error.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let migrator = Self.migrator
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                let before = try pool.read { try migrator.appliedIdentifiers($0) }
                do {
                    try migrator.migrate(pool)
                } catch let error as DatabaseError {
                    let now = try pool.read { try migrator.appliedIdentifiers($0) }
                    guard now.count > before.count else { throw error }
                    continue
                }
                return pool
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(useconds_t.random(in: 5_000...40_000))
            }
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, command TEXT, workflow TEXT NOT NULL,
                    params TEXT NOT NULL, status TEXT NOT NULL, started_at DOUBLE NOT NULL, ended_at DOUBLE,
                    medley_version TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL, inputs TEXT NOT NULL,
                    models TEXT NOT NULL, outputs TEXT NOT NULL, error TEXT, output_directory TEXT);
                CREATE INDEX runs_started ON runs(started_at);
                CREATE INDEX runs_status ON runs(status);
                CREATE TABLE run_nodes (
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, node_id TEXT NOT NULL,
                    record TEXT NOT NULL, PRIMARY KEY (run_id, node_id));
                CREATE TABLE cache_entries (
                    key TEXT PRIMARY KEY, node_type TEXT NOT NULL, outputs TEXT NOT NULL, created_at DOUBLE NOT NULL,
                    last_used_at DOUBLE NOT NULL);
                CREATE INDEX cache_entries_used ON cache_entries(last_used_at);
                CREATE TABLE cache_artifacts (
                    key TEXT NOT NULL REFERENCES cache_entries(key) ON DELETE CASCADE, path TEXT NOT NULL,
                    PRIMARY KEY (key, path));
                CREATE INDEX cache_artifacts_path ON cache_artifacts(path);
                CREATE TABLE artifacts (path TEXT PRIMARY KEY, size INTEGER NOT NULL);
                """)
        }
        // SHA-256 of input files by path and identity, so that a run on an unchanged file does not read it again.
        migrator.registerMigration("v2-file-hashes") { db in
            try db.execute(sql: """
                CREATE TABLE file_hashes (
                    path TEXT PRIMARY KEY, device INTEGER NOT NULL, inode INTEGER NOT NULL, size INTEGER NOT NULL,
                    modified_ns INTEGER NOT NULL, changed_ns INTEGER NOT NULL, sha256 TEXT NOT NULL,
                    hashed_at DOUBLE NOT NULL);
                CREATE INDEX file_hashes_hashed ON file_hashes(hashed_at);
                """)
        }
        return migrator
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as DatabaseError {
            throw MedleyError.writeFailed(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as DatabaseError {
            throw MedleyError.invalidArgument("\(path): cannot read the database (\(error.message ?? "\(error.resultCode)"))")
        }
    }

    // MARK: - Runs

    private static func text<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func value<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try? decoder.decode(type, from: Data(text.utf8))
    }

    public func insertRun(_ run: RunRecord) throws {
        let command = try run.command.map(Self.text)
        let params = try Self.text(run.params), inputs = try Self.text(run.inputs)
        let models = try Self.text(run.models), outputs = try Self.text(run.outputs)
        try write { db in
            try db.execute(sql: """
                INSERT INTO runs (id, kind, name, command, workflow, params, status, started_at, ended_at,
                    medley_version, host, pid, inputs, models, outputs, error, output_directory)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run.id, run.kind.rawValue, run.name, command, run.workflow, params, run.status.rawValue,
                                 run.startedAt.timeIntervalSince1970, run.endedAt?.timeIntervalSince1970,
                                 run.medleyVersion, run.host, Int(run.pid), inputs, models, outputs, run.error,
                                 run.outputDirectory])
        }
    }

    public func updateRun(_ run: RunRecord) throws {
        let inputs = try Self.text(run.inputs), models = try Self.text(run.models), outputs = try Self.text(run.outputs)
        try write { db in
            try db.execute(sql: """
                UPDATE runs SET status = ?, ended_at = ?, inputs = ?, models = ?, outputs = ?, error = ?,
                    output_directory = ? WHERE id = ?
                """, arguments: [run.status.rawValue, run.endedAt?.timeIntervalSince1970, inputs, models, outputs,
                                 run.error, run.outputDirectory, run.id])
        }
    }

    public func upsertNode(runID: String, _ node: NodeRecord) throws {
        try upsertNodes(runID: runID, [node])
    }

    public func upsertNodes(runID: String, _ nodes: [NodeRecord]) throws {
        let records = try nodes.map { ($0.nodeID, try Self.text($0)) }
        try write { db in
            let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO run_nodes (run_id, node_id, record) VALUES (?, ?, ?)")
            for (id, record) in records { try statement.execute(arguments: [runID, id, record]) }
        }
    }

    public func run(id: String) throws -> RunRecord? {
        try read { db in
            var rows = try Row.fetchAll(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id])
            if rows.isEmpty {
                let escaped = id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_")
                rows = try Row.fetchAll(db, sql: "SELECT * FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
                                        arguments: [escaped + "%"])
                if rows.count > 1 {
                    throw MedleyError.invalidArgument("run id '\(id)' is ambiguous; give more of it")
                }
            }
            guard let row = rows.first else { return nil }
            return try record(row, db)
        }
    }

    public func runs(limit: Int) throws -> [RunRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?", arguments: [limit])
                .map { try record($0, db) }
        }
    }

    private func record(_ row: Row, _ db: Database) throws -> RunRecord {
        let id: String = row["id"]
        let nodes = try String.fetchAll(db, sql: "SELECT record FROM run_nodes WHERE run_id = ? ORDER BY rowid",
                                        arguments: [id]).compactMap { Self.value(NodeRecord.self, $0) }
        let endedAt: Double? = row["ended_at"]
        let pid: Int = row["pid"]
        return RunRecord(
            id: id, kind: RunRecord.Kind(rawValue: row["kind"]) ?? .workflow, name: row["name"],
            command: Self.value([String].self, row["command"]), workflow: row["workflow"],
            params: Self.value([String: String].self, row["params"]) ?? [:],
            status: RunStatus(rawValue: row["status"]) ?? .failed,
            startedAt: Date(timeIntervalSince1970: row["started_at"]), endedAt: endedAt.map(Date.init(timeIntervalSince1970:)),
            medleyVersion: row["medley_version"], host: row["host"], pid: Int32(truncatingIfNeeded: pid),
            inputs: Self.value([FileRecord].self, row["inputs"]) ?? [],
            models: Self.value([ModelRecord].self, row["models"]) ?? [],
            outputs: Self.value([FileRecord].self, row["outputs"]) ?? [], nodes: nodes, error: row["error"],
            outputDirectory: row["output_directory"])
    }

    public func markInterruptedRuns() throws -> [String] {
        let candidates = try read { db in
            try Row.fetchAll(db, sql: "SELECT id, pid FROM runs WHERE status = 'running' AND host = ?", arguments: [host])
        }
        let dead = candidates.compactMap { row -> String? in
            let pid: Int = row["pid"]
            // kill(pid, 0) fails with ESRCH when no such process exists (EPERM means it exists, owned by another user).
            if kill(pid_t(pid), 0) == 0 || errno == EPERM { return nil }
            return row["id"]
        }
        guard !dead.isEmpty else { return [] }
        let now = Date().timeIntervalSince1970
        try write { db in
            for id in dead {
                try db.execute(sql: """
                    UPDATE runs SET status = 'interrupted', ended_at = ?,
                        error = 'the process running it stopped before the run ended' WHERE id = ? AND status = 'running'
                    """, arguments: [now, id])
            }
        }
        return dead
    }

    // MARK: - Cache index

    public func cacheEntry(key: String) throws -> CacheEntry? {
        let found = try read { db -> (String, String, [String: Int64], Double)? in
            guard let row = try Row.fetchOne(db, sql: "SELECT node_type, outputs, last_used_at FROM cache_entries WHERE key = ?",
                                             arguments: [key]) else { return nil }
            var artifacts: [String: Int64] = [:]
            for artifact in try Row.fetchAll(db, sql: """
                SELECT a.path, a.size FROM cache_artifacts c JOIN artifacts a ON a.path = c.path WHERE c.key = ?
                """, arguments: [key]) {
                artifacts[artifact["path"]] = artifact["size"]
            }
            return (row["node_type"], row["outputs"], artifacts, row["last_used_at"])
        }
        guard let (type, text, artifacts, lastUsed) = found else { return nil }
        guard case .object(let members) = try JSONParser.parse(text, source: "cache entry \(key)") else { return nil }
        var outputs: [String: WorkflowValue] = [:]
        for (name, tagged) in members { outputs[name] = try WorkflowValue(tagged: tagged) }
        // Least-recently-used order needs no finer grain than a minute; skip the write for entries touched lately.
        let now = Date().timeIntervalSince1970
        if now - lastUsed > 60 {
            try write { db in
                try db.execute(sql: "UPDATE cache_entries SET last_used_at = ? WHERE key = ?", arguments: [now, key])
            }
        }
        return CacheEntry(key: key, nodeType: type, outputs: outputs, artifacts: artifacts)
    }

    public func insertCacheEntry(_ entry: CacheEntry) throws {
        let outputs = JSONValue.object(entry.outputs.mapValues(\.tagged)).canonicalText
        let now = Date().timeIntervalSince1970
        try write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO cache_entries (key, node_type, outputs, created_at, last_used_at)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [entry.key, entry.nodeType, outputs, now, now])
            for (path, size) in entry.artifacts {
                try db.execute(sql: "INSERT OR REPLACE INTO artifacts (path, size) VALUES (?, ?)", arguments: [path, size])
                try db.execute(sql: "INSERT OR IGNORE INTO cache_artifacts (key, path) VALUES (?, ?)",
                               arguments: [entry.key, path])
            }
        }
    }

    public func removeCacheEntry(key: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM cache_artifacts WHERE key = ?", arguments: [key])
            try db.execute(sql: "DELETE FROM cache_entries WHERE key = ?", arguments: [key])
        }
    }

    public func cacheSize() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(size), 0) FROM artifacts") ?? 0 }
    }

    public func evictCache(toFit maxBytes: Int64) throws -> [String] {
        try write { db in
            var total = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(size), 0) FROM artifacts") ?? 0
            guard total > maxBytes else { return [] }
            var removed: [String] = []
            let keys = try String.fetchAll(db, sql: "SELECT key FROM cache_entries ORDER BY last_used_at, key")
            for key in keys where total > maxBytes {
                let paths = try String.fetchAll(db, sql: "SELECT path FROM cache_artifacts WHERE key = ?", arguments: [key])
                try db.execute(sql: "DELETE FROM cache_artifacts WHERE key = ?", arguments: [key])
                try db.execute(sql: "DELETE FROM cache_entries WHERE key = ?", arguments: [key])
                for path in paths {
                    let stillUsed = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM cache_artifacts WHERE path = ?)",
                                                      arguments: [path]) ?? false
                    guard !stillUsed else { continue }
                    total -= try Int64.fetchOne(db, sql: "SELECT size FROM artifacts WHERE path = ?", arguments: [path]) ?? 0
                    try db.execute(sql: "DELETE FROM artifacts WHERE path = ?", arguments: [path])
                    removed.append(path)
                }
            }
            return removed
        }
    }
}

// MARK: - File hashes

extension SQLiteWorkflowStore {
    /// Files whose hashes are remembered at most (the oldest are dropped first).
    static let fileHashLimit = 10_000

    public func knownFileHash(path: String, identity: FileIdentity) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: """
                SELECT sha256 FROM file_hashes WHERE path = ? AND device = ? AND inode = ? AND size = ?
                    AND modified_ns = ? AND changed_ns = ?
                """, arguments: [path, Int64(bitPattern: identity.device), Int64(bitPattern: identity.inode),
                                 identity.size, identity.modifiedNanoseconds, identity.changedNanoseconds])
        }
    }

    public func rememberFileHash(path: String, identity: FileIdentity, sha256: String) throws {
        try write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO file_hashes
                    (path, device, inode, size, modified_ns, changed_ns, sha256, hashed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [path, Int64(bitPattern: identity.device), Int64(bitPattern: identity.inode),
                                 identity.size, identity.modifiedNanoseconds, identity.changedNanoseconds, sha256,
                                 Date().timeIntervalSince1970])
            try db.execute(sql: """
                DELETE FROM file_hashes WHERE hashed_at < (
                    SELECT hashed_at FROM file_hashes ORDER BY hashed_at DESC LIMIT 1 OFFSET ?)
                """, arguments: [Self.fileHashLimit])
        }
    }
}
