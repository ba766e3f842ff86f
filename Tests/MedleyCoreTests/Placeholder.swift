import XCTest

final class PlaceholderMedleyCoreTests: XCTestCase {}
