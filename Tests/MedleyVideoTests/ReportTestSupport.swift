import Foundation
import XCTest

/// Temporary folders and command-line tools for the report tests.
enum ReportTestSupport {
    /// A fresh, empty folder under the system's temporary folder; removed by the test's teardown block.
    static func temporaryFolder(_ test: XCTestCase, _ name: String = #function) throws -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let path = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("medley-report-tests-\(ProcessInfo.processInfo.processIdentifier)-\(safe)").path
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Runs a tool; returns its exit status and its standard output and error together.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Runs `ffmpeg -v error -nostdin -y <arguments>` and fails with its output when it fails.
    static func ffmpeg(_ arguments: [String]) throws {
        let result = try run("/usr/bin/ffmpeg", ["-v", "error", "-nostdin", "-y"] + arguments)
        guard result.status == 0 else {
            throw NSError(domain: "ReportTests", code: Int(result.status),
                          userInfo: [NSLocalizedDescriptionKey: "ffmpeg \(arguments.joined(separator: " ")): \(result.output)"])
        }
    }

    /// The repository's root (this file is Tests/MedleyVideoTests/ReportTestSupport.swift).
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}
