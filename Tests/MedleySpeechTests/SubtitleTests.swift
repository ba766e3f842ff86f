import MedleyCore
import XCTest
@testable import MedleySpeech

final class SubtitleTests: XCTestCase {
    private let builder = SubtitleBuilder()

    private func segment(_ start: Double, _ end: Double, _ text: String) -> Segment {
        Segment(range: TimeRange(start: start, end: end), text: text)
    }

    /// The rules every cue list must keep: line length, line count, duration, order, no overlap.
    private func assertReadable(_ cues: [SubtitleCue], file: StaticString = #filePath, line: UInt = #line) {
        for (index, cue) in cues.enumerated() {
            XCTAssertLessThanOrEqual(cue.lines.count, 2, "cue \(index): \(cue.lines)", file: file, line: line)
            for text in cue.lines {
                XCTAssertLessThanOrEqual(text.count, 42, "cue \(index) line '\(text)'", file: file, line: line)
            }
            XCTAssertLessThanOrEqual(cue.end - cue.start, 7.0 + 1e-9, "cue \(index) too long", file: file, line: line)
            XCTAssertGreaterThan(cue.end, cue.start, file: file, line: line)
            if index + 1 < cues.count {
                XCTAssertLessThanOrEqual(cue.end, cues[index + 1].start, "cue \(index) overlaps", file: file, line: line)
            }
        }
    }

    func testShortSegmentIsOneCueOnOneLine() {
        let cues = builder.cues(for: [segment(0, 3, " Ever tried, ever failed.")])
        XCTAssertEqual(cues, [SubtitleCue(start: 0, end: 3, lines: ["Ever tried, ever failed."])])
    }

    func testLongSegmentSplitsAtSentenceEndsAndKeepsTheRules() {
        let text = " The committee met on Tuesday to review the budget for next year. After a long debate, "
            + "they agreed to fund the new library, the community garden and two extra buses for the school route."
        let cues = builder.cues(for: [segment(10, 24, text)])
        assertReadable(cues)
        XCTAssertGreaterThanOrEqual(cues.count, 3)
        // The first sentence ends a cue: no cue mixes its end with the next sentence's start.
        XCTAssertTrue(cues.contains { $0.text.hasSuffix("next year.") }, "\(cues.map(\.text))")
        // All words survive, in order.
        XCTAssertEqual(cues.map(\.text).joined(separator: " "), text.trimmingCharacters(in: .whitespaces))
        XCTAssertEqual(cues.first?.start, 10)
        XCTAssertEqual(cues.last?.end, 24)
    }

    func testTwoLinesAreBalanced() {
        let cues = builder.cues(for: [segment(0, 5, " Every model it uses carries a card with its license and checksum.")])
        XCTAssertEqual(cues.count, 1)
        XCTAssertEqual(cues[0].lines.count, 2)
        XCTAssertLessThanOrEqual(abs(cues[0].lines[0].count - cues[0].lines[1].count), 12)
    }

    func testLongDurationIsSplitEvenWhenTextIsShort() {
        let cues = builder.cues(for: [segment(0, 12, " Slowly, very slowly, the light came back.")])
        assertReadable(cues)
        XCTAssertEqual(cues.count, 2)
    }

    func testShortCueIsStretchedButNeverOverlapsTheNext() {
        let cues = builder.cues(for: [segment(0, 0.3, " Hi."), segment(0.6, 2, " How are you?"),
                                      segment(5, 5.2, " Fine.")])
        assertReadable(cues)
        XCTAssertEqual(cues[0].end, 0.6)  // stretched up to the next cue only
        XCTAssertEqual(cues[2].end, 6.0)  // stretched to one second
    }

    func testEmptyAndBlankSegmentsAreDropped() {
        XCTAssertEqual(builder.cues(for: [segment(0, 2, "   "), segment(3, 3, " zero length")]), [])
    }

    func testSRTAndVTTRendering() {
        let cues = [SubtitleCue(start: 0, end: 3, lines: ["Ever tried, ever failed."]),
                    SubtitleCue(start: 3661.5, end: 3663.25, lines: ["No matter,", "try again."])]
        XCTAssertEqual(SubtitleFormat.srt.render(cues), """
            1
            00:00:00,000 --> 00:00:03,000
            Ever tried, ever failed.

            2
            01:01:01,500 --> 01:01:03,250
            No matter,
            try again.

            """)
        XCTAssertEqual(SubtitleFormat.vtt.render(cues), """
            WEBVTT

            00:00:00.000 --> 00:00:03.000
            Ever tried, ever failed.

            01:01:01.500 --> 01:01:03.250
            No matter,
            try again.

            """)
    }
}
