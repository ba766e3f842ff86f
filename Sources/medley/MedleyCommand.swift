import ArgumentParser
import Foundation
import MedleyCore
import MedleyDSP
import MedleyMedia

/// The `medley` command line: a thin layer over the Medley libraries. Subcommands parse arguments, call one
/// library API and print its result; they hold no media or model logic of their own.
@main
struct MedleyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medley",
        abstract: "Open multimedia AI on your own machine: listen, speak, measure, read and look.",
        version: Medley.version,
        subcommands: CommandRegistry.all
    )

    /// Runs a subcommand and turns every error into one line on stderr and the documented exit code:
    /// 0 success, 1 user error (bad input, bad arguments), 2 internal error.
    static func main() async {
        // OpenBLAS's workers would spin ~0.1 s of CPU at start-up, waiting for BLAS work most commands never give.
        BLAS.stopIdleThreads()
        // Errors reach the user as one line each; FFmpeg's own chatter only when asked for.
        MediaLibraries.setLogLevel(ProcessInfo.processInfo.environment["MEDLEY_FFMPEG_LOG"] == nil ? .quiet : .warnings)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as MedleyError {
            Terminal.printError(error.message)
            Foundation.exit(error.isUserError ? 1 : 2)
        } catch let error as CancellationError {
            _ = error
            Terminal.printError("cancelled")
            Foundation.exit(130)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error) // --help, --version: ArgumentParser prints them
            }
            let text = fullMessage(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
            if code == ExitCode(2) || code == .failure {
                FileHandle.standardError.write(Data((text + "\n").utf8))
                Foundation.exit(code.rawValue)
            }
            // Usage errors (ArgumentParser uses 64): one line plus the usage hint, exit code 1.
            FileHandle.standardError.write(Data((text + "\n").utf8))
            Foundation.exit(1)
        }
    }
}
