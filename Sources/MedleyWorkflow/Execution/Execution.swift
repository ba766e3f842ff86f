import Foundation
import MedleyCore
import MedleyModels

/// One run of a plan: schedules nodes as their inputs become ready, at most `maxConcurrency` at a time.
struct Execution: Sendable {
    struct Result: Sendable {
        var outputs: [String: [String: WorkflowValue]]
        var nodes: [NodeRecord]
        var inputs: [FileRecord]
        var models: [ModelRecord]
        var failure: (any Error)?
    }

    /// A node's task's result, as the task group hands it back.
    private struct Finished: Sendable {
        var id: String
        var result: Swift.Result<Outcome, any Error>
    }

    /// What one node finished with.
    private struct Outcome: Sendable {
        var outputs: [String: WorkflowValue]
        var record: NodeRecord
        var models: [ModelRecord]
    }

    let engine: WorkflowEngine
    let plan: ExecutionPlan
    let params: [String: WorkflowValue]
    let runID: String
    let options: ExecutionOptions
    let progress: any ProgressReporter
    let hasher = ValueHasher()

    func run() async throws -> Result {
        var records: [String: NodeRecord] = [:]
        for id in plan.order {
            guard let node = plan.nodes[id] else { continue }
            records[id] = NodeRecord(nodeID: id, type: node.type.name, version: node.type.version)
        }
        try engine.store.upsertNodes(runID: runID, plan.order.compactMap { records[$0] })
        var waiting: [String: Set<String>] = [:]
        var readers: [String: [String]] = [:]
        for id in plan.order {
            guard let node = plan.nodes[id] else { continue }
            waiting[id] = node.dependencies
            for source in node.dependencies { readers[source, default: []].append(id) }
        }
        var ready = plan.order.filter { waiting[$0]?.isEmpty ?? false }
        var outputs: [String: [String: WorkflowValue]] = [:]
        var models: Set<ModelRecord> = []
        var failure: (any Error)?
        var finished = 0
        let total = plan.order.count

        try await withThrowingTaskGroup(of: Finished.self) { group in
            var running = 0
            while true {
                // Start ready nodes up to the concurrency bound (inline: the group must not be captured).
                while running < options.maxConcurrency, !ready.isEmpty {
                    let id = ready.removeFirst()
                    guard let node = plan.nodes[id] else { continue }
                    let inputs = try resolveInputs(node, outputs: outputs)
                    var record = records[id] ?? NodeRecord(nodeID: id, type: node.type.name, version: node.type.version)
                    record.status = .running
                    record.startedAt = Date()
                    records[id] = record
                    try engine.store.upsertNode(runID: runID, record)
                    running += 1
                    group.addTask { [record] in
                        do {
                            return Finished(id: id, result: .success(try await self.execute(node, inputs: inputs, record: record)))
                        } catch {
                            return Finished(id: id, result: .failure(error))
                        }
                    }
                }
                guard let next = try await group.next() else { break }
                let id = next.id, result = next.result
                running -= 1
                finished += 1
                switch result {
                case .success(let outcome):
                    outputs[id] = outcome.outputs
                    records[id] = outcome.record
                    models.formUnion(outcome.models)
                    try engine.store.upsertNode(runID: runID, outcome.record)
                    for reader in readers[id] ?? [] {
                        waiting[reader]?.remove(id)
                        if waiting[reader]?.isEmpty == true { ready.append(reader) }
                    }
                case .failure(let error):
                    if error is CancellationError || Task.isCancelled { throw CancellationError() }
                    failure = failure ?? error
                    var record = records[id] ?? NodeRecord(nodeID: id, type: "?", version: 0)
                    record.status = .failed
                    record.seconds = Date().timeIntervalSince(record.startedAt ?? Date())
                    record.error = Self.describe(error, nodeID: id)
                    records[id] = record
                    try engine.store.upsertNode(runID: runID, record)
                    for skipped in dependents(of: id, readers: readers) where records[skipped]?.status == .pending {
                        records[skipped]?.status = .skipped
                        records[skipped]?.error = "not run: node '\(id)' failed"
                        waiting[skipped] = nil
                        finished += 1
                        if let record = records[skipped] { try engine.store.upsertNode(runID: runID, record) }
                    }
                }
                progress.report(ProgressEvent(stage: "workflow", completed: Double(finished), total: Double(total),
                                              unit: "nodes"))
            }
        }
        if failure == nil, finished < total {
            throw MedleyError.internal("the workflow stopped with \(total - finished) node(s) neither run nor skipped")
        }
        let inputs = try inputRecords()
        return Result(outputs: outputs, nodes: plan.order.compactMap { records[$0] }, inputs: inputs,
                      models: models.sorted { $0.id < $1.id }, failure: failure)
    }

    /// Every node that reads, directly or not, from `id`.
    private func dependents(of id: String, readers: [String: [String]]) -> [String] {
        var seen: Set<String> = []
        var stack = readers[id] ?? []
        var order: [String] = []
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            order.append(next)
            stack += readers[next] ?? []
        }
        return order
    }

    static func describe(_ error: any Error, nodeID: String) -> String {
        let message = (error as? MedleyError)?.message ?? "\(error)"
        return message.contains("node '\(nodeID)'") ? message : "node '\(nodeID)': \(message)"
    }

    /// The input values of a node whose sources have all finished.
    private func resolveInputs(_ node: PlannedNode, outputs: [String: [String: WorkflowValue]]) throws -> [String: WorkflowValue] {
        var values: [String: WorkflowValue] = [:]
        for (name, input) in node.inputs {
            switch input {
            case .value(let value): values[name] = value
            case .param(let param): values[name] = params[param]
            case .link(let link):
                guard let value = outputs[link.node]?[link.output] else {
                    throw MedleyError.internal("node '\(node.id)': output '\(link.output)' of '\(link.node)' is missing")
                }
                values[name] = value
            }
        }
        return values
    }

    /// Files the run read from outside: parameter values and literals.
    private func inputRecords() throws -> [FileRecord] {
        var records: [FileRecord] = []
        var seen: Set<String> = []
        func add(_ name: String, _ value: WorkflowValue) throws {
            for file in value.files where seen.insert(file.path).inserted {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    // A folder is recorded by the hash of its listing (names, sizes, modification times).
                    let listing = try hasher.fingerprint(.file(file))["listing"]?.stringValue ?? ""
                    records.append(FileRecord(name: name, path: file.path, sha256: "listing:" + listing, size: 0))
                    continue
                }
                let sha = try hasher.sha256(of: file)
                let size = ((try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? NSNumber)?.int64Value ?? 0
                records.append(FileRecord(name: name, path: file.path, sha256: sha, size: size))
            }
        }
        for (name, value) in params.sorted(by: { $0.key < $1.key }) { try add(name, value) }
        for id in plan.order {
            for (name, input) in (plan.nodes[id]?.inputs ?? [:]).sorted(by: { $0.key < $1.key }) {
                if case .value(let value) = input { try add("\(id).\(name)", value) }
            }
        }
        return records
    }

    // MARK: - One node

    private func execute(_ node: PlannedNode, inputs: [String: WorkflowValue], record: NodeRecord) async throws -> Outcome {
        var record = record
        let started = Date()
        let calls: [[String: WorkflowValue]]
        if let mapped = node.mappedInput, case .list(let elements)? = inputs[mapped] {
            calls = elements.map { element in inputs.merging([mapped: element]) { $1 } }
        } else {
            calls = [inputs]
        }
        var results: [[String: WorkflowValue]] = []
        var models: Set<ModelRecord> = []
        for (index, call) in calls.enumerated() {
            try Task.checkCancellation()
            let label = calls.count > 1 ? "\(node.id)[\(index)]" : node.id
            let (outputs, hit, used) = try await invoke(node, inputs: call, label: label)
            results.append(outputs)
            models.formUnion(used)
            record.invocations += 1
            if hit { record.cacheHits += 1 }
        }
        var outputs: [String: WorkflowValue] = [:]
        if node.mappedInput != nil {
            for output in node.type.outputs {
                outputs[output.name] = .list(results.compactMap { $0[output.name] })
            }
        } else {
            outputs = results.first ?? [:]
        }
        record.status = .succeeded
        record.seconds = Date().timeIntervalSince(started)
        return Outcome(outputs: outputs, record: record, models: Array(models))
    }

    /// One call of a node: answered by the cache when its key is known and its artifacts are intact, else run.
    private func invoke(_ node: PlannedNode, inputs: [String: WorkflowValue], label: String) async throws
        -> (outputs: [String: WorkflowValue], cacheHit: Bool, models: [ModelRecord])
    {
        let nodeInputs = NodeInputs(nodeID: label, values: inputs)
        let models = node.type.models(for: nodeInputs).compactMap(modelRecord)
        var fingerprint: [String: JSONValue] = [:]
        for (name, value) in inputs { fingerprint[name] = try hasher.fingerprint(value) }
        let keyDocument = JSONValue.object([
            "type": .string(node.type.name), "version": .number(Double(node.type.version)),
            "inputs": .object(fingerprint),
            "models": .object(Dictionary(uniqueKeysWithValues: models.map { ($0.id, JSONValue.string($0.sha256)) })),
        ])
        let key = try Checksum.sha256(keyDocument.canonicalText)

        if options.useCache, let entry = try engine.store.cacheEntry(key: key) {
            let outputs = entry.outputs.mapValues(absolute)
            if entry.artifacts.allSatisfy({ engine.artifacts.isIntact(relative: $0.key, size: $0.value) }),
               outputs.values.flatMap(\.files).allSatisfy({ FileManager.default.fileExists(atPath: $0.path) }) {
                return (outputs, true, models)
            }
            try engine.store.removeCacheEntry(key: key) // an artifact went missing: compute again
        }

        let work = try engine.artifacts.makeWorkDirectory(runID: runID, nodeID: label)
        defer { try? FileManager.default.removeItem(at: work) }
        let context = NodeContext(nodeID: label, workDirectory: work, progress: NodeProgress(nodeID: label, base: progress),
                                  models: engine.models, policy: engine.policy)
        let type = node.type
        let produced = try await withTimeLimit(node.timeout ?? options.defaultTimeout, nodeID: label) {
            try await type.run(nodeInputs, context: context)
        }
        for output in type.outputs where produced[output.name] == nil {
            throw MedleyError.internal("node '\(label)' (\(type.name)) did not produce its output '\(output.name)'")
        }
        var stored: [String: WorkflowValue] = [:]
        var artifacts: [String: Int64] = [:]
        for (name, value) in produced {
            stored[name] = try ingest(value, from: work, artifacts: &artifacts)
        }
        try engine.store.insertCacheEntry(CacheEntry(key: key, nodeType: type.name, outputs: stored, artifacts: artifacts))
        return (stored.mapValues(absolute), false, models)
    }

    /// Moves the files a node made (in its work folder) into the artifact store; the value then refers to them
    /// by their path relative to the store. Files from elsewhere (a node that passes on or lists the user's
    /// files) stay where they are, referred to by absolute path: the node's cache key already covers them.
    private func ingest(_ value: WorkflowValue, from work: URL, artifacts: inout [String: Int64]) throws -> WorkflowValue {
        switch value {
        case .file(let file):
            guard file.path.hasPrefix(work.path + "/") else { return value }
            let (relative, size, _) = try engine.artifacts.ingest(file)
            artifacts[relative] = size
            return .file(FileValue(rawPath: relative, name: file.name))
        case .list(let elements):
            return .list(try elements.map { try ingest($0, from: work, artifacts: &artifacts) })
        default:
            return value
        }
    }

    /// A cached value with its artifact paths made absolute (absolute paths stay as they are).
    private func absolute(_ value: WorkflowValue) -> WorkflowValue {
        switch value {
        case .file(let file) where !file.path.hasPrefix("/"):
            return .file(FileValue(rawPath: engine.artifacts.path(relative: file.path), name: file.name))
        case .list(let elements): return .list(elements.map(absolute))
        default: return value
        }
    }

    private func modelRecord(_ id: String) -> ModelRecord? {
        engine.modelRecord(id) ?? ModelRecord(id: id, version: "?", sha256: "not-installed", license: "?")
    }
}

/// Prefixes a node's progress events with its id, so a bar shows which node is working.
struct NodeProgress: ProgressReporter {
    let nodeID: String
    let base: any ProgressReporter

    func report(_ event: ProgressEvent) {
        var event = event
        event.stage = "\(nodeID): \(event.stage)"
        base.report(event)
    }
}
