import Foundation
import MedleyCore
import MedleyModels
import MedleyTasks
import MedleyWorkflow

/// Runs a task command's work and records it as a run in the run database (`medley runs list` shows it), with the
/// task named as in the node registry. When the database cannot be opened the work still runs, with a warning;
/// `MEDLEY_RECORD=0` turns recording off.
func recordedTask<T: Sendable>(
    _ task: String, settings: [String: JSONValue] = [:], inputs: [String: String], models: [String] = [],
    store: ModelStore = ModelStore(root: ModelStore.defaultRoot()),
    _ body: () async throws -> (result: T, outputs: [String])
) async throws -> T {
    if ProcessInfo.processInfo.environment["MEDLEY_RECORD"] == "0" { return try await body().result }
    let engine: WorkflowEngine
    do {
        engine = try WorkflowEngine.open(registry: MedleyTasks.registry, databasePath: SQLiteWorkflowStore.defaultPath(),
                                         models: store)
    } catch {
        Terminal.printWarning("this run is not recorded: \((error as? MedleyError)?.message ?? "\(error)")")
        return try await body().result
    }
    return try await engine.recordCommand(task: task, command: CommandLine.arguments, settings: settings,
                                          inputs: inputs, models: models, body)
}
