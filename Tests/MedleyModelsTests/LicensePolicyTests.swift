import Foundation
import MedleyCore
import XCTest
@testable import MedleyModels

/// License and openness policies, checked before a model loads.
final class LicensePolicyTests: XCTestCase {
    private var root: URL!
    private var source: URL!

    override func setUpWithError() throws {
        root = try TestSupport.temporaryDirectory()
        source = try TestSupport.temporaryDirectory("source")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
        try? FileManager.default.removeItem(at: source)
    }

    /// A user model under CC-BY-NC-4.0 loads under `any` and is refused under `commercial`, naming model,
    /// license and rule.
    func testCommercialPolicyRefusesANonCommercialUserModel() async throws {
        let files = ["nc.onnx": Data("non-commercial weights".utf8)]
        try TestSupport.write(files, into: source)
        let store = ModelStore(root: root)
        try await store.install(card: try TestSupport.userCard(id: "nc-model", files: files), fromDirectory: source)

        XCTAssertNoThrow(try store.resolve(id: "nc-model"))
        XCTAssertNoThrow(try store.resolve(id: "nc-model", policy: .any))
        XCTAssertThrowsError(try store.resolve(id: "nc-model", policy: .commercial)) { error in
            guard case MedleyError.policyDenied(let id, let license, let rule) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(id, "nc-model")
            XCTAssertEqual(license, "CC-BY-NC-4.0")
            XCTAssertTrue(rule.hasPrefix("commercial:"), rule)
            XCTAssertTrue(rule.contains("non-commercial"), rule)
            let message = (error as? MedleyError)?.message ?? ""
            XCTAssertTrue(message.contains("nc-model") && message.contains("CC-BY-NC-4.0"), message)
        }
    }

    /// The policy is checked before the files: a denied model with a damaged file reports the policy.
    func testPolicyIsCheckedBeforeTheQuickCheck() async throws {
        let files = ["nc.onnx": Data("weights".utf8)]
        try TestSupport.write(files, into: source)
        let store = ModelStore(root: root)
        try await store.install(card: try TestSupport.userCard(id: "nc-model", files: files), fromDirectory: source)
        try FileManager.default.removeItem(at: store.directory(for: "nc-model").appendingPathComponent("nc.onnx"))
        XCTAssertThrowsError(try store.resolve(id: "nc-model", policy: .commercial)) { error in
            guard case MedleyError.policyDenied = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try store.resolve(id: "nc-model")) { error in
            guard case MedleyError.modelCorrupt = error else { return XCTFail("\(error)") }
        }
    }

    func testCommercialAllowsPermissiveAndCopyleftOnly() {
        let policy = LicensePolicy.commercial
        XCTAssertTrue(policy.evaluate(ModelCatalog.sileroVAD).allowed)
        XCTAssertTrue(policy.evaluate(ModelCatalog.espeakNGData).allowed)
        for category in [LicenseCategory.nonCommercial, .restrictedUse, .unknown] {
            var card = ModelCatalog.sileroVAD
            card.license.category = category
            let decision = policy.evaluate(card)
            XCTAssertFalse(decision.allowed, category.rawValue)
            XCTAssertTrue(decision.rule?.contains(category.rawValue) == true, decision.rule ?? "")
        }
    }

    func testOSIOpenRequiresAvailableCodeAndParameters() {
        let policy = LicensePolicy.osiOpen
        XCTAssertTrue(policy.evaluate(ModelCatalog.piperJoe).allowed)
        XCTAssertTrue(policy.evaluate(ModelCatalog.espeakNGData).allowed)
        XCTAssertTrue(policy.evaluate(ModelCatalog.ppocrDetector).allowed)

        let whisper = policy.evaluate(ModelCatalog.whisperBase)
        XCTAssertFalse(whisper.allowed)
        XCTAssertEqual(whisper.rule, "osi-open: OSI openness of the code is partial, it must be available")

        let silero = policy.evaluate(ModelCatalog.sileroVAD)
        XCTAssertFalse(silero.allowed)
        XCTAssertTrue(silero.rule?.contains("unknown") == true, silero.rule ?? "")

        var nonCommercial = ModelCatalog.piperJoe
        nonCommercial.license.category = .nonCommercial
        XCTAssertFalse(policy.evaluate(nonCommercial).allowed)
    }

    func testPolicyFile() throws {
        let url = source.appendingPathComponent("team-policy.json")
        try Data(#"{"name": "team", "allowed_categories": ["permissive"], "denied_models": ["open-nsfw"]}"#.utf8)
            .write(to: url)
        let policy = try LicensePolicy.named(url.path)
        XCTAssertEqual(policy.name, "team")
        XCTAssertTrue(policy.evaluate(ModelCatalog.sileroVAD).allowed)
        XCTAssertEqual(
            policy.evaluate(ModelCatalog.openNSFW).rule, "team: model 'open-nsfw' is on the denied_models list")
        XCTAssertEqual(
            policy.evaluate(ModelCatalog.espeakNGData).rule,
            "team: license category copyleft is not allowed (allowed: permissive)")

        // Without a name the file name is used; without allowed_categories everything is allowed.
        let unnamed = source.appendingPathComponent("deny-silero.json")
        try Data(#"{"denied_models": ["silero-vad"]}"#.utf8).write(to: unnamed)
        let denySilero = try LicensePolicy.load(from: unnamed)
        XCTAssertEqual(denySilero.name, "deny-silero")
        XCTAssertFalse(denySilero.evaluate(ModelCatalog.sileroVAD).allowed)
        XCTAssertTrue(denySilero.evaluate(ModelCatalog.espeakNGData).allowed)
    }

    func testBadPolicyNamesAndFiles() throws {
        XCTAssertEqual(try LicensePolicy.named("osi-open"), .osiOpen)
        XCTAssertThrowsError(try LicensePolicy.named("lenient")) { error in
            XCTAssertTrue("\(error)".contains("any, commercial, osi-open"), "\(error)")
        }
        let broken = source.appendingPathComponent("broken.json")
        try Data(#"{"allowed_categories": ["free-ish"]}"#.utf8).write(to: broken)
        XCTAssertThrowsError(try LicensePolicy.named(broken.path)) { error in
            XCTAssertTrue("\(error)".contains("broken.json"), "\(error)")
            XCTAssertTrue("\(error)".contains("allowed_categories"), "\(error)")
        }
    }
}
