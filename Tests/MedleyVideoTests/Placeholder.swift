import XCTest

final class PlaceholderMedleyVideoTests: XCTestCase {}
