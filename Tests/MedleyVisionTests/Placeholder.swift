import XCTest

final class PlaceholderMedleyVisionTests: XCTestCase {}
