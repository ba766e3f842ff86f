import XCTest

final class PlaceholderMedleyCLITests: XCTestCase {}
