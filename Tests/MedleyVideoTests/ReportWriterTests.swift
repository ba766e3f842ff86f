import Foundation
import MedleyCore
@testable import MedleyVideo
import XCTest

/// The report folder: its files, atomic replacement, and the folders it must refuse to touch.
final class ReportWriterTests: XCTestCase {
    private let vtt = "WEBVTT\n\n00:00:00.400 --> 00:00:01.900\nWelcome to the Medley demo.\n"
    private let srt = "1\n00:00:00,400 --> 00:00:01,900\nWelcome to the Medley demo.\n"

    /// A small input file and the assets the video fixture names.
    private func inputs(in work: String) throws -> (input: String, files: ReportFiles) {
        let input = work + "/clip.mp4"
        try Data("not really a video, but bytes".utf8).write(to: URL(fileURLWithPath: input))
        var assets: [String: ReportAsset] = [:]
        for scene in ReportFixtures.video().scenes {
            if let file = scene.keyframe?.file { assets[file] = .data(Data("jpeg \(scene.index)".utf8)) }
        }
        assets[ReportLayout.contactSheet] = .data(Data("sheet".utf8))
        return (input, ReportFiles(input: input, srt: srt, vtt: vtt, assets: assets))
    }

    private func text(_ path: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self) }
    }

    private func siblings(of folder: String) -> [String] {
        let parent = URL(fileURLWithPath: folder).deletingLastPathComponent().path
        return ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).filter { $0.hasPrefix(".") }
    }

    private func assertMessage(_ expression: @autoclosure () throws -> Any, contains parts: [String],
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            guard let error = error as? MedleyError else { return XCTFail("not a MedleyError: \(error)", file: file, line: line) }
            XCTAssertFalse(error.message.contains("\n"), "one line: \(error.message)", file: file, line: line)
            for part in parts {
                XCTAssertTrue(error.message.contains(part), "'\(error.message)' lacks '\(part)'", file: file, line: line)
            }
        }
    }

    func testWritesTheFolder() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let (input, files) = try inputs(in: work)
        let out = work + "/report"
        let written = try ReportWriter().write(ReportFixtures.video(), files: files, to: out)
        let names = Set(try FileManager.default.subpathsOfDirectory(atPath: out))
        XCTAssertEqual(names, ["report.json", "index.html", "clip.mp4", "transcript.txt", "transcript.srt",
                               "transcript.vtt", "keyframes", "keyframes/scene-000.jpg", "keyframes/scene-001.jpg",
                               "keyframes/scene-002.jpg", "keyframes/contact-sheet.jpg"])
        XCTAssertEqual(written.input.file, "clip.mp4")
        XCTAssertEqual(written.input.placement, .hardLink)
        let inode = { (path: String) in try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int }
        XCTAssertEqual(try inode(out + "/clip.mp4"), try inode(input), "a hard link")
        XCTAssertEqual(text(out + "/transcript.vtt"), vtt)
        XCTAssertEqual(text(out + "/transcript.srt"), srt)
        XCTAssertEqual(text(out + "/transcript.txt"), TranscriptText.render(ReportFixtures.segments))
        XCTAssertEqual(text(out + "/keyframes/scene-001.jpg"), "jpeg 1")
        let decoded = try JSONDecoder().decode(AnalysisReport.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
        XCTAssertEqual(decoded, written)
        XCTAssertEqual(text(out + "/index.html"), ReportHTML.render(written, subtitles: vtt))
        XCTAssertEqual(siblings(of: out), [], "no temporary folder left")
    }

    func testTranscriptFilesFollowWhatWasGiven() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        var (_, files) = try inputs(in: work)
        files.srt = nil
        files.vtt = nil
        let written = try ReportWriter().write(ReportFixtures.video(), files: files, to: work + "/report")
        XCTAssertEqual(written.speech?.files, AnalysisReport.TranscriptFiles(txt: "transcript.txt", srt: nil, vtt: nil))
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/report/transcript.vtt"))
        XCTAssertFalse(text(work + "/report/index.html")?.contains("<track") ?? true)
    }

    func testReplacesAnExistingReport() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let (_, files) = try inputs(in: work)
        let out = work + "/report"
        try ReportWriter().write(ReportFixtures.video(), files: files, to: out)
        try Data("stale".utf8).write(to: URL(fileURLWithPath: out + "/stale.txt"))
        var second = ReportFixtures.video()
        second.runID = "run-43"
        try ReportWriter().write(second, files: files, to: out)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/stale.txt"), "the old folder is gone")
        XCTAssertTrue(text(out + "/report.json")?.contains("run-43") ?? false)
        XCTAssertEqual(siblings(of: out), [], "neither the old nor the temporary folder is left")
    }

    func testAFailureBeforeTheSwapLeavesTheOldReportIntact() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let (_, files) = try inputs(in: work)
        let out = work + "/report"
        try ReportWriter().write(ReportFixtures.video(), files: files, to: out)
        let before = text(out + "/report.json")
        var writer = ReportWriter()
        writer.beforeSwap = { temporary in
            // The new folder is complete here; the process "dies" before it is swapped in.
            XCTAssertTrue(FileManager.default.fileExists(atPath: temporary + "/report.json"))
            throw MedleyError.cancelled
        }
        var second = ReportFixtures.video()
        second.runID = "run-99"
        XCTAssertThrowsError(try writer.write(second, files: files, to: out))
        XCTAssertEqual(text(out + "/report.json"), before)
        XCTAssertEqual(siblings(of: out), [])
    }

    func testAFailedAssetLeavesNothing() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        var (_, files) = try inputs(in: work)
        files.assets["keyframes/scene-000.jpg"] = .file(work + "/missing.jpg")
        let out = work + "/report"
        assertMessage(try ReportWriter().write(ReportFixtures.video(), files: files, to: out),
                      contains: [work + "/missing.jpg", "no such file"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(siblings(of: out), [])
    }

    func testRefusesANonEmptyFolderThatIsNotAReport() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let (_, files) = try inputs(in: work)
        let out = work + "/holiday-photos"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: URL(fileURLWithPath: out + "/photo.jpg"))
        assertMessage(try ReportWriter().write(ReportFixtures.video(), files: files, to: out),
                      contains: [out, "not a Medley report", "report.json", "choose another output folder"])
        XCTAssertEqual(text(out + "/photo.jpg"), "precious")
        XCTAssertEqual(siblings(of: out), [])
    }

    func testUsesAnEmptyFolder() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let (_, files) = try inputs(in: work)
        let out = work + "/empty"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try ReportWriter().write(ReportFixtures.video(), files: files, to: out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/report.json"))
    }

    func testALinkedOutputFolderIsReplacedWhereItPoints() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let (_, files) = try inputs(in: work)
        try FileManager.default.createDirectory(atPath: work + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: work + "/link", withDestinationPath: work + "/real")
        try ReportWriter().write(ReportFixtures.video(), files: files, to: work + "/link")
        try ReportWriter().write(ReportFixtures.video(), files: files, to: work + "/link")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: work + "/link"), work + "/real")
        XCTAssertTrue(FileManager.default.fileExists(atPath: work + "/real/report.json"))
    }

    func testRefusesAFile() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let (input, files) = try inputs(in: work)
        assertMessage(try ReportWriter().write(ReportFixtures.video(), files: files, to: input),
                      contains: [input, "is a file"])
        XCTAssertEqual(text(input), "not really a video, but bytes")
    }

    func testMissingParentIsAClearError() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let (_, files) = try inputs(in: work)
        assertMessage(try ReportWriter().write(ReportFixtures.video(), files: files, to: work + "/no/such/report"),
                      contains: [work + "/no/such/report", "parent folder \(work)/no/such does not exist"])
    }

    func testUnwritableParentIsAClearError() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let (_, files) = try inputs(in: work)
        var parent = work + "/locked"
        if getuid() == 0 {
            // Root writes anywhere permissions allow nothing; use a folder no one may write.
            parent = "/proc/sys"
            guard access(parent, W_OK) != 0 else { throw XCTSkip("running as root and /proc/sys is writable") }
        } else {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            chmod(parent, 0o555)
            addTeardownBlock { chmod(parent, 0o755) }
        }
        assertMessage(try ReportWriter().write(ReportFixtures.video(), files: files, to: parent + "/report"),
                      contains: [parent + "/report", "not writable"])
    }

    func testReportMustNameOnlyGivenFiles() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        var (_, files) = try inputs(in: work)
        files.assets["keyframes/scene-001.jpg"] = nil
        assertMessage(try ReportWriter().write(ReportFixtures.video(), files: files, to: work + "/report"),
                      contains: ["scene 1's keyframe", "keyframes/scene-001.jpg", "ReportFiles.assets"])
    }

    func testUnsafeAssetPathsAreRefused() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        for path in ["../escape.jpg", "/etc/passwd", "keyframes//a.jpg", "./a.jpg", ""] {
            var (_, files) = try inputs(in: work)
            files.assets[path] = .data(Data())
            assertMessage(try ReportWriter().write(ReportFixtures.video(), files: files, to: work + "/report"),
                          contains: ["'\(path)'", "relative path"])
        }
        var (_, files) = try inputs(in: work)
        files.assets["index.html"] = .data(Data("<p>mine</p>".utf8))
        assertMessage(try ReportWriter().write(ReportFixtures.video(), files: files, to: work + "/report"),
                      contains: ["index.html", "own files"])
    }

    func testInputWithAReservedNameIsRenamed() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        var (_, files) = try inputs(in: work)
        let odd = work + "/index.html"
        try Data("media".utf8).write(to: URL(fileURLWithPath: odd))
        files.input = odd
        let written = try ReportWriter().write(ReportFixtures.video(), files: files, to: work + "/report")
        XCTAssertEqual(written.input.file, "input-index.html")
        XCTAssertEqual(text(work + "/report/input-index.html"), "media")
    }

    func testPlacementFallsBackToSymlinkAndCopy() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let (input, files) = try inputs(in: work)
        let symlinked = try ReportWriter(inputPlacements: [.symbolicLink]).write(
            ReportFixtures.video(), files: files, to: work + "/linked")
        XCTAssertEqual(symlinked.input.placement, .symbolicLink)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: work + "/linked/clip.mp4"),
                       URL(fileURLWithPath: input).resolvingSymlinksInPath().path)
        let copied = try ReportWriter(inputPlacements: [.copy]).write(ReportFixtures.video(), files: files, to: work + "/copied")
        XCTAssertEqual(copied.input.placement, .copy)
        XCTAssertEqual(text(work + "/copied/clip.mp4"), text(input))
        // The input missing is the input's own clear error.
        var missing = files
        missing.input = work + "/gone.mp4"
        assertMessage(try ReportWriter().write(ReportFixtures.video(), files: missing, to: work + "/r"),
                      contains: [work + "/gone.mp4", "no such file"])
    }

    func testWithoutInputTheReportSaysSo() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        var (_, files) = try inputs(in: work)
        files.input = nil
        let written = try ReportWriter().write(ReportFixtures.video(), files: files, to: work + "/report")
        XCTAssertNil(written.input.file)
        XCTAssertNil(written.input.placement)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/report/clip.mp4"))
    }
}
