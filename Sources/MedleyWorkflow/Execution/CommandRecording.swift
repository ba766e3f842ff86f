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
        let hasher = ValueHasher()
        var record = RunRecord(
            id: RunRecord.newID(), kind: .command, name: task, command: command, workflow: document.canonicalText,
            params: [:], status: .running, startedAt: Date(), endedAt: nil, medleyVersion: Medley.version,
            host: ProcessInfo.processInfo.hostName, pid: getpid(),
            inputs: inputs.sorted { $0.key < $1.key }.compactMap { name, path in
                guard let sha = try? hasher.sha256(of: FileValue(path: path)) else { return nil }
                let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
                return FileRecord(name: name, path: URL(fileURLWithPath: path).standardizedFileURL.path, sha256: sha, size: size)
            },
            models: modelIDs.compactMap(modelRecord), outputs: [], nodes: [], error: nil, outputDirectory: nil)
        try store.insertRun(record)
        let started = Date()
        do {
            let (result, outputs) = try await body()
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

    /// A model as its card describes it now, for run records; nil when it is not installed.
    func modelRecord(_ id: String) -> ModelRecord? {
        guard let card = try? models.card(id: id) else { return nil }
        let digest = (try? Checksum.sha256(card.files.map(\.sha256).joined(separator: "\n"))) ?? "?"
        return ModelRecord(id: id, version: card.version, sha256: digest, license: card.license.spdx)
    }
}
