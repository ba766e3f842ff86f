import XCTest

final class PlaceholderMedleySpeechTests: XCTestCase {}
