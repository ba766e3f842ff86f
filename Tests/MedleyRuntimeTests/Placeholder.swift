import XCTest

final class PlaceholderMedleyRuntimeTests: XCTestCase {}
