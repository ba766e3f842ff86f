import MedleyCore
import XCTest

/// The seeded bit generator behind every seed Medley records: pinned values, so a change shows.
final class RandomBitsTests: XCTestCase {
    /// The first outputs for two seeds, from an independent Python implementation of SplitMix64 seeding and
    /// xoshiro256** (Blackman and Vigna's reference algorithm).
    func testPinnedOutputs() {
        var zero = RandomBits(seed: 0)
        XCTAssertEqual((0..<3).map { _ in zero.next() }, [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0])
        var ones = RandomBits(seed: .max)
        XCTAssertEqual((0..<3).map { _ in ones.next() }, [0x8F55_20D5_2A7E_AD08, 0xC476_A018_CAA1_802D, 0x81DE_31C0_D260_469E])
    }

    func testSplitMixAdvancesItsState() {
        var state: UInt64 = 0
        let first = RandomBits.splitMix(&state)
        XCTAssertEqual(state, 0x9E37_79B9_7F4A_7C15)
        XCTAssertNotEqual(first, RandomBits.splitMix(&state))
    }
}
