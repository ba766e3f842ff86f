import MedleyCore
@testable import MedleyVision
import XCTest

final class ImageOpsTests: XCTestCase {}
