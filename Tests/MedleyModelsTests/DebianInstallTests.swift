import Foundation
import MedleyCore
import XCTest
@testable import MedleyModels

/// Installing espeak-ng-data from the Debian package installed on the machine (`make setup` installs it).
final class DebianInstallTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = try TestSupport.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    func testEspeakDataInstallsFromDpkg() async throws {
        let store = ModelStore(root: root)
        let result = try await store.install(catalogId: "espeak-ng-data", fromDebianPackage: nil)
        XCTAssertEqual(result.outcome, .installed)
        let card = try ModelCatalog.card(id: "espeak-ng-data")
        XCTAssertEqual(result.bytesWritten, card.totalSize)

        let model = try store.resolve(id: "espeak-ng-data", policy: .commercial)
        XCTAssertTrue(FileManager.default.fileExists(atPath: try model.url(for: "espeak-ng-data/phontab").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: try model.url(for: "espeak-ng-data/lang/gmw/en-US").path))
        let copyright = try String(contentsOf: model.url(role: "license"), encoding: .utf8)
        XCTAssertTrue(copyright.contains("GNU General Public License"))

        let again = try await store.install(catalogId: "espeak-ng-data", fromDebianPackage: nil)
        XCTAssertEqual(again.outcome, .alreadyInstalled)
    }

    func testMissingDebianPackageSaysHowToInstallIt() async throws {
        let store = ModelStore(root: root)
        let error = await expectMedleyError {
            try await store.install(catalogId: "espeak-ng-data", fromDebianPackage: "medley-no-such-package")
        }
        XCTAssertTrue(error?.message.contains("apt-get install medley-no-such-package") == true, error?.message ?? "")
        XCTAssertEqual(store.installedIDs(), [])
    }

    func testWheelModelIsNotADebianModel() async {
        let store = ModelStore(root: root)
        let error = await expectMedleyError { try await store.install(catalogId: "silero-vad", fromDebianPackage: nil) }
        XCTAssertTrue(error?.message.contains("not a Debian package") == true, error?.message ?? "")
    }
}
