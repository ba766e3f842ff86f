import Foundation
import MedleyCore

/// Makes a card's converted files in the staging folder of an install (see ``SourceConversion``): writes the
/// built-in converter script, checks that Python can import the package it needs (at the pinned version), runs
/// the script once per step, each in its own process, and checks every output against the card.
///
/// Python is `$MEDLEY_PYTHON` when set (a virtual environment's interpreter), else `python3` on `PATH`.
struct ModelConversion {
    let card: ModelCard
    let conversion: SourceConversion

    /// The Python interpreter the converters run with.
    static var python: String {
        let custom = ProcessInfo.processInfo.environment["MEDLEY_PYTHON"] ?? ""
        return custom.isEmpty ? "python3" : custom
    }

    /// Runs every step; returns the bytes of the files it made.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` with the one pip command to run when Python or its package is
    ///   missing or of another version; ``MedleyError/invalidModel(id:reason:)`` when the converter fails or its
    ///   output differs from the card.
    func run(in staging: URL) throws -> Int64 {
        guard let script = BuiltInConverters.script(named: (conversion.converter as NSString).lastPathComponent) else {
            throw MedleyError.invalidModel(
                id: card.id, reason: "needs converter \(conversion.converter), which this Medley does not have")
        }
        let scriptURL = staging.appendingPathComponent(conversion.converter)
        do {
            try FileManager.default.createDirectory(
                at: scriptURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(script.utf8).write(to: scriptURL)
        } catch {
            throw MedleyError.writeFailed(path: scriptURL.path, reason: error.localizedDescription)
        }
        var written = try check(conversion.converter, in: staging, origin: "Medley's built-in converter")
        try requirePythonPackage()
        for step in conversion.steps {
            try Task.checkCancellation()
            guard let first = step.outputs.first else { continue }
            let input = staging.appendingPathComponent(step.input).path
            let output = staging.appendingPathComponent(first).path
            let result = try runTool(
                [Self.python, scriptURL.path, input, output], what: "the converter of '\(card.id)'")
            guard result.exitCode == 0 else {
                throw MedleyError.invalidModel(
                    id: card.id, reason: "converting \(step.input) failed: \(result.errorText)")
            }
            for path in step.outputs {
                written += try check(path, in: staging, origin: "converted from \(step.input)")
            }
        }
        return written
    }

    /// The one line that tells what to install: Python's package at the card's version.
    private var installHint: String {
        "install it with `\(Self.python) -m pip install \(conversion.requirement)`"
    }

    /// Checks that the interpreter imports the package at the pinned version (another version writes other bytes).
    private func requirePythonPackage() throws {
        let parts = conversion.requirement.components(separatedBy: "==")
        let module = parts[0].replacingOccurrences(of: "-", with: "_")
        let probe = "import \(module), sys; sys.stdout.write(getattr(\(module), '__version__', '?'))"
        let result: ToolResult
        do {
            result = try runTool([Self.python, "-c", probe], what: Self.python)
        } catch {
            throw MedleyError.invalidArgument(
                "model '\(card.id)' is converted to OpenVINO IR at install time with Python, but \(Self.python) "
                    + "cannot be run; install Python 3 and then \(conversion.requirement) (`python3 -m pip install "
                    + "\(conversion.requirement)`)")
        }
        guard result.exitCode == 0 else {
            throw MedleyError.invalidArgument(
                "model '\(card.id)' is converted to OpenVINO IR at install time, but \(Self.python) cannot import "
                    + "\(module); \(installHint)")
        }
        let version = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        if parts.count == 2, !(version == parts[1] || version.hasPrefix(parts[1] + "-")) {
            throw MedleyError.invalidArgument(
                "model '\(card.id)' is converted with \(conversion.requirement), but \(Self.python) has \(module) "
                    + "\(version), whose output differs from the pinned checksums; \(installHint)")
        }
    }

    /// Checks a made file against the card; returns its size.
    private func check(_ path: String, in staging: URL, origin: String) throws -> Int64 {
        guard let expected = card.file(path) else {
            throw MedleyError.invalidModel(
                id: card.id, reason: "the conversion makes \(path), which the card does not list")
        }
        let url = staging.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MedleyError.invalidModel(id: card.id, reason: "the converter did not write \(path)")
        }
        let actual = try Checksum.sha256(fileAt: url.path)
        guard actual.sha256 == expected.sha256, actual.size == expected.size else {
            throw MedleyError.invalidModel(
                id: card.id,
                reason: "file \(path) (\(origin)) has sha256 \(actual.sha256) and \(actual.size) bytes but the card "
                    + "says \(expected.sha256) and \(expected.size); refusing to install: the conversion did not "
                    + "reproduce the pinned output (another \(conversion.requirement.components(separatedBy: "==")[0]) "
                    + "version?)")
        }
        return actual.size
    }
}
