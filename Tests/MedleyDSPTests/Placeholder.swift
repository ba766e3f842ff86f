import XCTest

final class PlaceholderMedleyDSPTests: XCTestCase {}
