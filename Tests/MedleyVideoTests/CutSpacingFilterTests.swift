@testable import MedleyVideo
import XCTest

/// PySceneDetect 0.6.4+ FlashFilter semantics (notes/audio-and-scenes.md, §4).
final class CutSpacingFilterTests: XCTestCase {
    func run(_ mode: SceneDetectionOptions.FlashFilterMode, above: Set<Int>, frames: Int = 300) -> [Int] {
        var filter = CutSpacingFilter(mode: mode, length: 15)
        return (0..<frames).compactMap { filter.filter(index: $0, above: above.contains($0)) }
    }

    func testBusyFramesNearTheStartAreDropped() {
        XCTAssertEqual(run(.merge, above: [3, 10]), [])
        XCTAssertEqual(run(.suppress, above: [3, 10]), [])
    }

    func testSuppressCutsEveryMinimumLengthInABusyRun() {
        XCTAssertEqual(run(.suppress, above: Set(100...160)), [100, 115, 130, 145, 160])
    }

    func testMergeEmitsTheRunStartAndItsEnd() {
        // The run's first frame is a cut; the rest of the run is merged into one cut at its last busy frame,
        // emitted once 15 calm frames have passed. A run that lasts to the end of the video gives no second cut.
        XCTAssertEqual(run(.merge, above: Set(100...160)), [100, 160])
        XCTAssertEqual(run(.merge, above: Set(100...299)), [100])
        // Well-spaced cuts pass unchanged.
        XCTAssertEqual(run(.merge, above: [50, 100, 150]), [50, 100, 150])
    }
}
