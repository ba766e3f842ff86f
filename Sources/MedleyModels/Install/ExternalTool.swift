import Foundation
import MedleyCore

/// What a finished external tool left behind.
struct ToolResult {
    var exitCode: Int32
    var output: String
    var errorOutput: String

    /// The last non-empty line of stderr (tools put the reason there), or the exit code.
    var errorText: String {
        let last = errorOutput.split(separator: "\n").last.map(String.init)?.trimmingCharacters(in: .whitespaces)
        return (last?.isEmpty == false ? last : nil) ?? "exit code \(exitCode)"
    }
}

/// Runs a tool found on `PATH` (`arguments[0]`) and waits for it, collecting its stdout and stderr.
///
/// Output goes through temporary files rather than pipes so that a chatty tool (pip) cannot fill a pipe and
/// block while we wait for it.
///
/// - Throws: ``MedleyError/invalidArgument(_:)`` when the tool cannot be started (not installed).
func runTool(_ arguments: [String], what: String) throws -> ToolResult {
    let scratch = FileManager.default.temporaryDirectory
        .appendingPathComponent("medley-tool-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
    else {
        throw MedleyError.writeFailed(path: scratch.path, reason: "cannot create files for the output of \(what)")
    }
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    defer {
        try? outHandle.close()
        try? errHandle.close()
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = outHandle
    process.standardError = errHandle
    do {
        try process.run()
    } catch {
        throw MedleyError.invalidArgument("cannot run \(what) (\(error.localizedDescription)); is it installed?")
    }
    process.waitUntilExit()
    let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let errorOutput = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    // /usr/bin/env exits with 127 when the tool itself is not found.
    if process.terminationStatus == 127, errorOutput.contains("No such file") {
        throw MedleyError.invalidArgument("cannot run \(what): \(arguments[0]) is not installed")
    }
    return ToolResult(exitCode: process.terminationStatus, output: output, errorOutput: errorOutput)
}
