import ArgumentParser
import Foundation
import MedleyModels

/// Options every task command shares: where the model store is (`--models`) and which license policy applies.
struct TaskModelOptions: ParsableArguments {
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp(
        "License policy checked before a model loads: any, commercial, osi-open, or a policy JSON file.",
        valueName: "policy"))
    var policy: String = "any"

    var store: ModelStore { storeOptions.store() }

    func licensePolicy() throws -> LicensePolicy {
        try LicensePolicy.named(policy)
    }
}
