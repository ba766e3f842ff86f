import ArgumentParser
import MedleyCore

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print Medley's version and the version and license of every linked native library."
    )

    func run() throws {
        print("medley \(Medley.version)")
    }
}
