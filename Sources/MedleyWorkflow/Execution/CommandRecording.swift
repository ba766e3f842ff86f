import Foundation
import MedleyCore
import MedleyModels

extension WorkflowEngine {
    /// Records one task command (`medley transcribe FILE ...`) as a run of kind `command`: the command line, the
    /// task's settings, the input files' hashes, the models' checksums, the outputs' hashes, timing and status.
    ///
    /// - Parameters:
    ///   - task: the task's node type name in the registry ("speech.transcribe"), recorded as a one-node workflow.
    ///   - settings: the task's settings as node inputs (recorded with the workflow).
    ///   - inputs: input files by role.
    ///   - models: ids of the models the task loads.
    ///   - body: does the work and returns its result and the files it wrote.
    public func recordCommand<T: Sendable>(
        task: String, command: [String], settings: [String: JSONValue] = [:], inputs: [String: String],
        models modelIDs: [String], _ body: () async throws -> (result: T, outputs: [String])
    ) async throws -> T {
        let document = JSONValue.object([
            "name": .string(task),
            "nodes": .object(["task": .object(["type": .string(task), "inputs": .object(settings)])]),
        ])
        // The inputs are hashed beside the task, not before it: SHA-256 of a 100 MB WAV is about 0.07 s of CPU (plus
        // reading it), which a second core absorbs while the task decodes; a file hashed by an earlier run and not
        // changed since is not read again. The run is recorded as running at once and gets its inputs' hashes when
        // it ends (a cancelled run stops the hashing and records none).
        let store = self.store
        let hashing = Task.detached { () -> [FileRecord] in
            let hasher = ValueHasher()
            return inputs.sorted { $0.key < $1.key }.compactMap { name, path in
                let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
                guard let sha = Self.contentHash(absolute, hasher: hasher, store: store) else { return nil }
                let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
                return FileRecord(name: name, path: absolute, sha256: sha, size: size)
            }
        }
        var record = RunRecord(
            id: RunRecord.newID(), kind: .command, name: task, command: command, workflow: document.canonicalText,
            params: [:], status: .running, startedAt: Date(), endedAt: nil, medleyVersion: Medley.version,
            host: ProcessInfo.processInfo.hostName, pid: getpid(), inputs: [],
            models: modelIDs.compactMap(modelRecord), outputs: [], nodes: [], error: nil, outputDirectory: nil)
        do {
            try store.insertRun(record)
        } catch {
            hashing.cancel()
            throw error
        }
        let started = Date()
        do {
            let (result, outputs) = try await body()
            record.inputs = await hashing.value
            record.outputs = outputs.compactMap { path in
                guard let (sha, size) = try? Checksum.sha256(fileAt: path) else { return nil }
                return FileRecord(name: URL(fileURLWithPath: path).lastPathComponent,
                                  path: URL(fileURLWithPath: path).standardizedFileURL.path, sha256: sha, size: size)
            }
            record.status = .succeeded
            record.nodes = [NodeRecord(nodeID: "task", type: task, version: registry.type(named: task)?.version ?? 0,
                                       status: .succeeded, startedAt: started, seconds: Date().timeIntervalSince(started),
                                       invocations: 1)]
            record.endedAt = Date()
            try? store.updateRun(record)
            if let node = record.nodes.first { try? store.upsertNode(runID: record.id, node) }
            return result
        } catch {
            let cancelled = error is CancellationError || (error as? MedleyError) == .cancelled
            if cancelled { hashing.cancel() }
            record.inputs = await hashing.value
            record.status = cancelled ? .cancelled : .failed
            record.error = (error as? MedleyError)?.message ?? "\(error)"
            record.nodes = [NodeRecord(nodeID: "task", type: task, version: registry.type(named: task)?.version ?? 0,
                                       status: cancelled ? .cancelled : .failed, startedAt: started,
                                       seconds: Date().timeIntervalSince(started), invocations: 1, error: record.error)]
            record.endedAt = Date()
            try? store.updateRun(record)
            if let node = record.nodes.first { try? store.upsertNode(runID: record.id, node) }
            throw error
        }
    }

    /// The SHA-256 of the file at `path` (absolute): the one the store remembers for the file's current identity
    /// (device, inode, size, modification and status-change times), else read and hashed, and remembered when the
    /// file had been left alone for ``FileIdentity/settleTime`` and did not change while it was read.
    static func contentHash(_ path: String, hasher: ValueHasher, store: any WorkflowStore) -> String? {
        let before = FileIdentity(path: path)
        if let before, let known = try? store.knownFileHash(path: path, identity: before) { return known }
        let started = Date()
        guard let sha = try? hasher.sha256(of: FileValue(path: path)) else { return nil }
        if let before, before.isSettled(before: started), FileIdentity(path: path) == before {
            try? store.rememberFileHash(path: path, identity: before, sha256: sha)
        }
        return sha
    }

    /// A model as its card describes it now, for run records; nil when it is not installed.
    func modelRecord(_ id: String) -> ModelRecord? {
        guard let card = try? models.card(id: id) else { return nil }
        let digest = (try? Checksum.sha256(card.files.map(\.sha256).joined(separator: "\n"))) ?? "?"
        return ModelRecord(id: id, version: card.version, sha256: digest, license: card.license.spdx)
    }
}
