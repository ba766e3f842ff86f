import ArgumentParser
import Foundation
import MedleyCore
import MedleyTasks
import MedleyWorkflow

/// Options of every command that runs through the workflow engine: where runs and the cache are kept.
struct EngineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The run-record and cache database (default: $MEDLEY_HOME/medley.sqlite or ~/.medley/medley.sqlite).",
                               valueName: "path"))
    var db: String?

    @Flag(help: "Compute every node again instead of using cached outputs (the fresh outputs replace them).")
    var noCache = false

    @Option(help: ArgumentHelp("Seconds any node may run before it is stopped (default: no limit).", valueName: "s"))
    var timeout: Double?

    @Option(help: ArgumentHelp("Trim the artifact cache to this many GiB after the run.", valueName: "gib"))
    var cacheLimit: Double?

    @OptionGroup var models: TaskModelOptions

    var databasePath: String {
        db.map { ($0 as NSString).expandingTildeInPath } ?? SQLiteWorkflowStore.defaultPath()
    }

    func validate() throws {
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if let cacheLimit, !(cacheLimit >= 0) { throw ValidationError("--cache-limit must be a number of GiB >= 0") }
    }

    func engine() throws -> WorkflowEngine {
        try WorkflowEngine.open(registry: MedleyTasks.registry, databasePath: databasePath, models: models.store,
                                policy: models.licensePolicy())
    }

    var executionOptions: ExecutionOptions {
        var options = ExecutionOptions(useCache: !noCache, defaultTimeout: timeout)
        if let cacheLimit { options.cacheLimitBytes = Int64(cacheLimit * Double(1 << 30)) }
        return options
    }
}
