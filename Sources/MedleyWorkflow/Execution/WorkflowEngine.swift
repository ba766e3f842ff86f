import Foundation
import MedleyCore
import MedleyModels

/// Runs validated workflows: nodes in dependency order, independent branches in parallel, every node output
/// cached by content, every run recorded.
///
/// Thread-safe; one engine can run several workflows at once.
public final class WorkflowEngine: Sendable {
    public let registry: NodeRegistry
    public let store: any WorkflowStore
    public let artifacts: ArtifactStore
    public let models: ModelStore
    public let policy: LicensePolicy

    public init(registry: NodeRegistry, store: any WorkflowStore, artifacts: ArtifactStore, models: ModelStore,
                policy: LicensePolicy = .any) {
        self.registry = registry
        self.store = store
        self.artifacts = artifacts
        self.models = models
        self.policy = policy
    }

    /// An engine over the SQLite database at `databasePath` and the artifact folder beside it. Runs that a
    /// killed process left `running` are marked `interrupted` and their work folders removed.
    public static func open(registry: NodeRegistry, databasePath: String, models: ModelStore,
                            policy: LicensePolicy = .any) throws -> WorkflowEngine {
        let store = try SQLiteWorkflowStore(path: databasePath)
        let artifacts = ArtifactStore(root: ArtifactStore.root(forDatabase: databasePath))
        artifacts.removeWorkDirectories(ofRuns: try store.markInterruptedRuns())
        return WorkflowEngine(registry: registry, store: store, artifacts: artifacts, models: models, policy: policy)
    }

    /// Validates `workflow` against this engine's registry.
    public func plan(_ workflow: Workflow) throws -> ExecutionPlan {
        try WorkflowValidator(registry: registry).plan(workflow)
    }

    /// Runs `plan` with bound parameters (see ``ExecutionPlan/bind(commandLine:baseDirectory:)``).
    ///
    /// A node that fails marks its dependents skipped; the other branches go on, and everything that finished
    /// stays cached and recorded. The returned run says how it ended; it throws only for problems before any
    /// node runs (an output folder that cannot be written, a database that cannot record) and for cancellation.
    ///
    /// - Parameters:
    ///   - outputDirectory: where the workflow's named outputs are written (created when missing); nil to write none.
    ///   - command: for task commands, the command line recorded with the run.
    public func run(_ plan: ExecutionPlan, params: [String: WorkflowValue], outputDirectory: URL? = nil,
                    options: ExecutionOptions = ExecutionOptions(), kind: RunRecord.Kind = .workflow,
                    command: [String]? = nil, progress: any ProgressReporter = SilentProgress()) async throws -> WorkflowRun {
        if let outputDirectory { try OutputWriter.prepare(outputDirectory) }
        var record = RunRecord(
            id: RunRecord.newID(), kind: kind, name: plan.workflow.name, command: command,
            workflow: plan.workflow.document.canonicalText, params: params.mapValues { $0.tagged.canonicalText },
            status: .running, startedAt: Date(), endedAt: nil, medleyVersion: Medley.version,
            host: ProcessInfo.processInfo.hostName, pid: getpid(), inputs: [], models: [], outputs: [], nodes: [],
            error: nil, outputDirectory: outputDirectory?.path)
        try store.insertRun(record)
        let execution = Execution(engine: self, plan: plan, params: params, runID: record.id, options: options,
                                  progress: progress)
        let result: Execution.Result
        do {
            result = try await execution.run()
        } catch {
            let cancelled = error is CancellationError || (error as? MedleyError) == .cancelled
            record.status = cancelled ? .cancelled : .failed
            record.endedAt = Date()
            record.error = cancelled ? "cancelled" : (error as? MedleyError)?.message ?? "\(error)"
            try? store.updateRun(record)
            throw error
        }
        record.nodes = result.nodes
        record.inputs = result.inputs
        record.models = result.models
        var outputs: [String: WorkflowValue] = [:]
        for (name, link) in plan.workflow.outputs {
            if let value = result.outputs[link.node]?[link.output] { outputs[name] = value }
        }
        var failure = result.failure
        if let outputDirectory, failure == nil || !outputs.isEmpty {
            do {
                record.outputs = try OutputWriter.write(outputs, to: outputDirectory)
            } catch {
                failure = failure ?? error
                record.error = (error as? MedleyError)?.message ?? "\(error)"
            }
        }
        record.status = failure == nil ? .succeeded : .failed
        if record.error == nil, let failure {
            record.error = result.nodes.first { $0.status == .failed }?.error ?? (failure as? MedleyError)?.message ?? "\(failure)"
        }
        record.endedAt = Date()
        try store.updateRun(record)
        if let removed = try? store.evictCache(toFit: options.cacheLimitBytes) { artifacts.remove(removed) }
        return WorkflowRun(record: record, nodeOutputs: result.outputs, outputs: outputs, failure: failure)
    }
}
