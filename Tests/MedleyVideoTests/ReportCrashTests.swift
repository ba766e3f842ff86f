import Foundation
import MedleyCore
@testable import MedleyVideo
import XCTest

/// A writer process killed (SIGKILL, no clean-up) after building the new folder and before swapping it in leaves
/// the existing report as it was.
///
/// The test runs this same test binary again as a child process, which writes a report over the folder and
/// kills itself at the last moment before the swap.
final class ReportCrashTests: XCTestCase {
    static let childVariable = "MEDLEY_REPORT_CRASH_CHILD"

    func testAKilledWriterLeavesTheOldReport() throws {
        guard ProcessInfo.processInfo.environment[Self.childVariable] == nil else { return }
        let work = try ReportTestSupport.temporaryFolder(self)
        let out = work + "/report"
        let first = try ReportWriter().write(ReportFixtures.video(), files: Self.files(), to: out)
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        process.arguments = ["MedleyVideoTests.ReportCrashTests/testChildWritesAndIsKilled"]
        process.environment = ProcessInfo.processInfo.environment.merging([Self.childVariable: out]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "the child was killed")
        XCTAssertEqual(process.terminationStatus, SIGKILL)

        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out + "/report.json")), before)
        let kept = try JSONDecoder().decode(AnalysisReport.self, from: before)
        XCTAssertEqual(kept, first)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: work).filter { $0.hasPrefix(".report.partial-") }
        XCTAssertEqual(leftovers.count, 1, "the killed writer's hidden folder stays, the report is untouched")
        // The next write succeeds as usual.
        var third = ReportFixtures.video()
        third.runID = "run-after-crash"
        try ReportWriter().write(third, files: Self.files(), to: out)
        XCTAssertTrue(String(decoding: try Data(contentsOf: URL(fileURLWithPath: out + "/report.json")), as: UTF8.self)
            .contains("run-after-crash"))
    }

    /// Only does something in the child process started by ``testAKilledWriterLeavesTheOldReport``.
    func testChildWritesAndIsKilled() throws {
        guard let out = ProcessInfo.processInfo.environment[Self.childVariable] else { return }
        var writer = ReportWriter()
        writer.beforeSwap = { _ in kill(getpid(), SIGKILL) }
        var report = ReportFixtures.video()
        report.runID = "run-killed"
        try writer.write(report, files: Self.files(), to: out)
        XCTFail("the process should have been killed")
    }

    private static func files() -> ReportFiles {
        var assets: [String: ReportAsset] = [:]
        for scene in ReportFixtures.video().scenes {
            if let file = scene.keyframe?.file { assets[file] = .data(Data(repeating: UInt8(scene.index), count: 4096)) }
        }
        assets[ReportLayout.contactSheet] = .data(Data(repeating: 9, count: 4096))
        return ReportFiles(vtt: "WEBVTT\n", assets: assets)
    }
}
