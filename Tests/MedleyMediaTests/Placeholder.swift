import XCTest

final class PlaceholderMedleyMediaTests: XCTestCase {}
