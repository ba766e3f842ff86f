import Foundation
import MedleyCore
import MedleyMedia
@testable import MedleyVideo
import XCTest

/// Builds real report folders (a generated video, keyframes written by MedleyMedia, a real WebVTT file) with
/// ``ReportWriter`` and checks their pages in headless Chromium with `scripts/check-report-ui.py`.
///
/// Skipped when Chromium or its driver is not installed (`scripts/setup.sh` installs both, and Selenium).
/// Set `MEDLEY_REPORT_KEEP=DIR` to keep each report folder and its screenshot as `DIR/<variant>/` and
/// `DIR/<variant>.png` (variants: video, audio-only, silent-video).
final class ReportBrowserTests: XCTestCase {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"

    /// Three cues that match ``ReportFixtures/segments``, with the markup of the third kept as text (escaped).
    static let vtt = """
        WEBVTT

        00:00:00.400 --> 00:00:01.900
        Welcome to the Medley demo.

        00:00:02.100 --> 00:00:03.800
        Here the picture changes.

        00:00:04.000 --> 00:00:05.800
        And &lt;script&gt;alert(1)&lt;/script&gt; stays text &amp; safe.

        """

    override func setUpWithError() throws {
        for tool in [Self.chromium, Self.chromedriver] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("\(tool) is not installed (Debian packages chromium and chromium-driver; run scripts/setup.sh)")
        }
    }

    func testVideoReportInBrowser() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let clip = work + "/clip.mp4"
        // Three 2 s shots that look different, so the thumbnails and the contact sheet show three scenes.
        try ReportTestSupport.ffmpeg([
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2",
            "-f", "lavfi", "-i", "smptehdbars=size=320x180:rate=25:duration=2",
            "-f", "lavfi", "-i", "mandelbrot=size=320x180:rate=25,trim=duration=2",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=6:sample_rate=48000",
            "-filter_complex", "[0:v][1:v][2:v]concat=n=3:v=1:a=0,format=yuv420p[v]",
            "-map", "[v]", "-map", "3:a", "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", "-ac", "2",
            "-shortest", clip,
        ])
        var report = ReportFixtures.video()
        var assets: [String: ReportAsset] = [:]
        var frames: [Image] = []
        for scene in report.scenes {
            guard let keyframe = scene.keyframe else { continue }
            let png = work + "/frame-\(scene.index).png"
            try ReportTestSupport.ffmpeg(["-ss", String(keyframe.time), "-i", clip, "-frames:v", "1", png])
            let image = try ImageIO.read(path: png)
            frames.append(image)
            assets[keyframe.file] = .image(image, quality: 85)
        }
        assets[ReportLayout.contactSheet] = .image(Self.contactSheet(frames), quality: 85)
        report.input.sourcePath = clip
        let written = try ReportWriter().write(
            report, files: ReportFiles(input: clip, srt: "1\n00:00:00,400 --> 00:00:01,900\nWelcome\n", vtt: Self.vtt,
                                       assets: assets),
            to: work + "/report")
        XCTAssertEqual(written.input.placement, .hardLink)
        XCTAssertEqual(written.input.file, "clip.mp4")
        try checkInBrowser(work + "/report", variant: "video")
    }

    func testAudioOnlyReportInBrowser() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let talk = work + "/talk.m4a"
        try ReportTestSupport.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=330:duration=6:sample_rate=48000",
                                      "-c:a", "aac", talk])
        var report = ReportFixtures.audioOnly()
        report.input.sourcePath = talk
        try ReportWriter().write(report, files: ReportFiles(input: talk, vtt: Self.vtt), to: work + "/report")
        try checkInBrowser(work + "/report", variant: "audio-only")
    }

    func testSilentVideoReportInBrowser() throws {
        let work = try ReportTestSupport.temporaryFolder(self)
        let clip = work + "/silent.mp4"
        try ReportTestSupport.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=6",
                                      "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast", clip])
        var report = ReportFixtures.silentVideo()
        report.input.sourcePath = clip
        var assets: [String: ReportAsset] = [:]
        let frame = Image(width: 160, height: 90, format: .rgb8,
                          pixels: [UInt8](repeating: 0, count: 160 * 90 * 3).enumerated().map { UInt8($0.offset % 251) })
        for scene in report.scenes { if let file = scene.keyframe?.file { assets[file] = .image(frame, quality: 80) } }
        assets[ReportLayout.contactSheet] = .image(frame, quality: 80)
        try ReportWriter().write(report, files: ReportFiles(input: clip, assets: assets), to: work + "/report")
        try checkInBrowser(work + "/report", variant: "silent-video")
    }

    /// Runs the browser check; fails with its output unless it passes.
    private func checkInBrowser(_ folder: String, variant: String) throws {
        let script = ReportTestSupport.repositoryRoot + "/scripts/check-report-ui.py"
        let screenshot = folder + ".png"
        let result = try ReportTestSupport.run("/usr/bin/env", ["python3", script, folder, screenshot])
        XCTAssertEqual(result.status, 0, "check-report-ui.py failed:\n\(result.output)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: screenshot), "no screenshot was saved")
        if let keep = ProcessInfo.processInfo.environment["MEDLEY_REPORT_KEEP"] {
            let files = FileManager.default
            try files.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try? files.removeItem(atPath: keep + "/" + variant)
            try? files.removeItem(atPath: keep + "/" + variant + ".png")
            try files.copyItem(atPath: folder, toPath: keep + "/" + variant)
            try files.copyItem(atPath: screenshot, toPath: keep + "/" + variant + ".png")
        }
    }

    /// The frames side by side, as the keyframe stage's contact sheet would be.
    private static func contactSheet(_ frames: [Image]) -> Image {
        let width = frames.reduce(0) { $0 + $1.width }, height = frames.map(\.height).max() ?? 1
        var pixels = [UInt8](repeating: 255, count: max(1, width) * height * 3)
        var x0 = 0
        for frame in frames where frame.format == .rgb8 {
            for y in 0..<frame.height {
                let source = frame.offset(x: 0, y: y), target = (y * width + x0) * 3
                pixels.replaceSubrange(target..<(target + frame.width * 3),
                                       with: frame.pixels[source..<(source + frame.width * 3)])
            }
            x0 += frame.width
        }
        return Image(width: max(1, width), height: height, format: .rgb8, pixels: pixels)
    }
}
