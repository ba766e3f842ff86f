import ArgumentParser
import Foundation
import MedleyModels

/// Options every task command shares: where the model store is and which license policy applies.
struct TaskModelOptions: ParsableArguments {
    @Option(name: .customLong("models"), help: ArgumentHelp(
        "Model store folder (default: $MEDLEY_MODELS or ~/.medley/models).", valueName: "dir"))
    var modelsDirectory: String?

    @Option(help: ArgumentHelp(
        "License policy checked before a model loads: any, commercial, osi-open, or a policy JSON file.",
        valueName: "policy"))
    var policy: String = "any"

    var store: ModelStore {
        ModelStore(root: modelsDirectory.map { URL(fileURLWithPath: $0) } ?? ModelStore.defaultRoot())
    }

    func licensePolicy() throws -> LicensePolicy {
        try LicensePolicy.named(policy)
    }
}
