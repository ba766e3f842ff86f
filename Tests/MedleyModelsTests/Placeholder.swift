import XCTest

final class PlaceholderMedleyModelsTests: XCTestCase {}
