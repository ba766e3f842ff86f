import XCTest
@testable import MedleySpeech

final class SpeechChunkPlannerTests: XCTestCase {
    private func span(_ start: Double, _ end: Double) -> SpeechSpan { SpeechSpan(start: start, end: end) }

    func testSpansJoinUntilThirtySecondsThenCutAtThePause() {
        let planner = SpeechChunkPlanner(maxDuration: 30, padding: 0)
        let spans = [span(1, 8), span(9, 20), span(21, 29), span(31, 40), span(45, 50)]
        XCTAssertEqual(planner.chunks(for: spans, duration: 60), [span(1, 29), span(31, 50)])
    }

    func testPaddingWidensWithoutOverlapOrLeavingTheInput() {
        let planner = SpeechChunkPlanner(maxDuration: 10, padding: 0.4)
        let spans = [span(0.1, 5), span(5.5, 9.5), span(9.8, 11.8)]
        // 0..5.4 + 5.1..9.9 fit in 10 s; the third span starts a chunk no earlier than the previous one's end.
        XCTAssertEqual(planner.chunks(for: spans, duration: 12), [span(0, 9.9), span(9.9, 12)])
    }

    func testLongSpanIsCutAtTheLimitAndEmptySpansAreIgnored() {
        let planner = SpeechChunkPlanner(maxDuration: 30, padding: 0)
        XCTAssertEqual(planner.chunks(for: [span(2, 2), span(3, 50), span(51, 52)], duration: 60),
                       [span(3, 33), span(33, 52)])
        XCTAssertEqual(planner.chunks(for: [span(0, 95)], duration: 95),
                       [span(0, 30), span(30, 60), span(60, 90), span(90, 95)])
        XCTAssertEqual(planner.chunks(for: [], duration: 60), [])
    }
}
