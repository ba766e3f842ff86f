import Foundation
@testable import MedleyVideo
import XCTest

/// The page's markup: escaping, the variants (video, audio only, silent video, no input), self-containment.
final class ReportHTMLTests: XCTestCase {
    private let vtt = "WEBVTT\n\n00:00:00.400 --> 00:00:01.900\nWelcome </script><script>alert(2)</script>\n"

    func testTextFromTheDataIsEscaped() {
        var report = ReportFixtures.video(file: "a\"><img src=x onerror=alert(3)>.mp4")
        report.warnings = ["<iframe src=\"https://example.com\"></iframe>"]
        report.skipped = [.init(stage: "<b>ocr</b>", reason: "model 'x' & <i>y</i> missing")]
        report.models[0].source = "javascript:<script>alert(4)</script>"
        let html = ReportHTML.render(report, subtitles: vtt)
        XCTAssertFalse(html.contains("<script>alert"), "no script from the data becomes markup")
        XCTAssertEqual(html.components(separatedBy: "<script>").count - 1, 2, "only the page's two scripts")
        XCTAssertTrue(html.contains("And &lt;script&gt;alert(1)&lt;/script&gt; stays text &amp; safe."))
        XCTAssertTrue(html.contains("MEDLEY &lt;b&gt;2026&lt;/b&gt;"))
        XCTAssertTrue(html.contains("&lt;iframe src=&quot;https://example.com&quot;&gt;&lt;/iframe&gt;"))
        XCTAssertTrue(html.contains("<strong>&lt;b&gt;ocr&lt;/b&gt;</strong>: model &#39;x&#39; &amp; &lt;i&gt;y&lt;/i&gt;"))
        XCTAssertFalse(html.contains("<img src=x"))
        XCTAssertFalse(html.contains("<iframe"))
        // The embedded subtitles cannot close the script element.
        XCTAssertTrue(html.contains("\\u003C/script\\u003E\\u003Cscript\\u003Ealert(2)"))
        // The file name is percent-encoded in the player's source.
        XCTAssertTrue(html.contains("src=\"a%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%283%29%3E.mp4\""))
    }

    func testEscapeFunctions() {
        XCTAssertEqual(HTMLText.escape("<a href=\"x\">Tom & 'Jerry'</a>"),
                       "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        XCTAssertEqual(HTMLText.escape("naïve 日本 🎬"), "naïve 日本 🎬")
        XCTAssertEqual(HTMLText.javaScriptString("a\"b\\c\n</script>\u{2028}"),
                       "\"a\\\"b\\\\c\\n\\u003C/script\\u003E\\u2028\"")
        XCTAssertEqual(HTMLText.urlPath("keyframes/scene 1#?.jpg"), "keyframes/scene%201%23%3F.jpg")
        XCTAssertEqual(HTMLText.urlPath("vidéo.mp4"), "vid%C3%A9o.mp4")
    }

    func testVideoPage() {
        let html = ReportHTML.render(ReportFixtures.video(), subtitles: vtt)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(html.contains("<video id=\"media\" controls preload=\"metadata\" src=\"clip.mp4\" aria-label=\"Video: clip.mp4\">"))
        XCTAssertTrue(html.contains("<track id=\"subtitles\" kind=\"subtitles\" src=\"transcript.vtt\" "
            + "data-file=\"transcript.vtt\" srclang=\"en\" label=\"English\" default>"))
        XCTAssertTrue(html.contains("id=\"scenes\""))
        XCTAssertEqual(html.components(separatedBy: "<li class=\"scene\"").count - 1, 3)
        XCTAssertEqual(html.components(separatedBy: "<li class=\"segment\"").count - 1, 3)
        XCTAssertTrue(html.contains("alt=\"Keyframe of scene 2 at 00:03, showing the text “MEDLEY &lt;b&gt;2026&lt;/b&gt;”\""))
        XCTAssertTrue(html.contains("data-seek=\"4.0\" aria-label=\"Play from 00:04\""))
        XCTAssertTrue(html.contains("<ol class=\"segments\" id=\"segments\" lang=\"en\">"))
        XCTAssertTrue(html.contains("-23.1"))
        XCTAssertTrue(html.contains("no steady beat"))
        XCTAssertTrue(html.contains("class=\"face-box\""))
        XCTAssertTrue(html.contains("likely safe") && html.contains("uncertain"))
        // Provenance: the short checksum shown, the full one in the title.
        let model = ReportFixtures.models()[1]
        XCTAssertTrue(html.contains("title=\"\(model.sha256)\">\(ReportNumberFormat.shortHash(model.sha256))"))
        XCTAssertTrue(html.contains("2 files"))
        XCTAssertTrue(html.contains("<li>the language was given, not detected</li>"))
        XCTAssertFalse(html.contains("Skipped</h3>"))
    }

    func testPageIsSelfContained() {
        let html = ReportHTML.render(ReportFixtures.video(), subtitles: vtt)
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "no external resources")
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("<script src"))
        XCTAssertTrue(html.contains("Content-Security-Policy"))
        XCTAssertTrue(html.contains("<style>") && html.contains("</style>"))
    }

    func testAudioOnlyPage() {
        let html = ReportHTML.render(ReportFixtures.audioOnly(), subtitles: vtt)
        XCTAssertTrue(html.contains("<audio id=\"media\" controls preload=\"metadata\" src=\"talk.m4a\" aria-label=\"Audio: talk.m4a\">"))
        XCTAssertFalse(html.contains("<video"))
        XCTAssertFalse(html.contains("<track"))
        XCTAssertFalse(html.contains("id=\"scenes\""))
        XCTAssertFalse(html.contains("href=\"#scenes\""))
        XCTAssertTrue(html.contains("Audio only: the input has no video stream."))
        XCTAssertTrue(html.contains("<strong>vision</strong>: the input has no video stream"))
        XCTAssertEqual(html.components(separatedBy: "<li class=\"segment\"").count - 1, 3)
    }

    func testSilentVideoPageSaysWhyThereIsNoTranscript() {
        let html = ReportHTML.render(ReportFixtures.silentVideo())
        XCTAssertFalse(html.contains("id=\"transcript\""))
        XCTAssertFalse(html.contains("<track"))
        XCTAssertTrue(html.contains("id=\"transcript-missing\""))
        XCTAssertTrue(html.contains("<h2 id=\"transcript-missing-title\">No transcript</h2>\n<p>The input has no audio stream.</p>"))
        XCTAssertTrue(html.contains("No audio figures: The input has no audio stream."))
        XCTAssertTrue(html.contains("id=\"scenes\""))
    }

    func testSpeechWithoutSegments() {
        var report = ReportFixtures.video()
        report.speech = .init(language: nil, speechSegments: [], text: "", segments: [])
        let html = ReportHTML.render(report)
        XCTAssertTrue(html.contains("No speech was recognised in the audio."))
        XCTAssertFalse(html.contains("id=\"transcript-search\""))
    }

    func testWithoutTheInputThereIsNoPlayerAndNoSeekButtons() {
        var report = ReportFixtures.video()
        report.input.file = nil
        let html = ReportHTML.render(report, subtitles: vtt)
        XCTAssertFalse(html.contains("<video"))
        XCTAssertFalse(html.contains("data-seek=\""))
        XCTAssertTrue(html.contains("The input is not in this folder"))
        XCTAssertTrue(html.contains("<span class=\"time\">00:02</span>"))
    }

    func testNoScenesSaysWhy() {
        var report = ReportFixtures.video()
        report.scenes = []
        report.contactSheet = nil
        report.skipped = [.init(stage: ReportStage.vision, reason: "model 'blazeface' is not installed")]
        let html = ReportHTML.render(report)
        XCTAssertTrue(html.contains("No scenes: Model &#39;blazeface&#39; is not installed."))
    }

    func testNumberFormats() {
        XCTAssertEqual(ReportNumberFormat.fixed(-0.01, 1), "0.0")
        XCTAssertEqual(ReportNumberFormat.fixed(nil, 1), "—")
        XCTAssertEqual(ReportNumberFormat.fixed(.infinity, 1), "—")
        XCTAssertEqual(ReportNumberFormat.duration(0.42), "0.42 s")
        XCTAssertEqual(ReportNumberFormat.duration(125), "2 min 05 s")
        XCTAssertEqual(ReportNumberFormat.duration(3725), "1 h 02 min")
        XCTAssertEqual(ReportNumberFormat.kilohertz(22_050), "22.05 kHz")
        XCTAssertEqual(ReportNumberFormat.bytes(123_456), "123 KB")
        XCTAssertEqual(ReportNumberFormat.shortHash(String(repeating: "ab", count: 32)), "abababab…abab")
    }
}
