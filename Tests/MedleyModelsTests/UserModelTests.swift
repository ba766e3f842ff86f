import Foundation
import MedleyCore
import XCTest
@testable import MedleyModels

/// User models with user-written cards, files assembled from parts, and atomic replacement.
final class UserModelTests: XCTestCase {
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

    func testInstallWithExplicitFiles() async throws {
        let files = ["weights.onnx": Data("weights v1".utf8), "sub/config.json": Data("{}".utf8)]
        try TestSupport.write(["a": files["weights.onnx"]!, "b": files["sub/config.json"]!], into: source)
        let card = try TestSupport.userCard(id: "mine", files: files)
        let store = ModelStore(root: root)
        let result = try await store.install(
            card: card,
            files: ["weights.onnx": source.appendingPathComponent("a"), "sub/config.json": source.appendingPathComponent("b")])
        XCTAssertEqual(result.outcome, .installed)
        let model = try store.resolve(id: "mine")
        XCTAssertEqual(try Data(contentsOf: model.url(for: "sub/config.json")), Data("{}".utf8))
    }

    /// A failed install of a new version leaves the installed version as it was.
    func testFailedReplacementKeepsTheGoodInstall() async throws {
        let store = ModelStore(root: root)
        let v1 = ["m.bin": Data("version one".utf8)]
        try TestSupport.write(v1, into: source)
        try await store.install(card: try TestSupport.userCard(id: "demo", files: v1), fromDirectory: source)

        var v2 = try TestSupport.userCard(id: "demo", files: ["m.bin": Data("version two".utf8)])
        v2.version = "2"
        // The folder still holds version one's bytes, which do not match version two's card.
        let error = await expectMedleyError { try await store.install(card: v2, fromDirectory: self.source) }
        XCTAssertTrue(error?.message.contains("m.bin") == true, error?.message ?? "")
        XCTAssertEqual(try store.card(id: "demo").version, "1")
        XCTAssertNoThrow(try store.resolve(id: "demo"))
        XCTAssertEqual(TestSupport.contents(of: root), [".lock", "demo"])

        try TestSupport.write(["m.bin": Data("version two".utf8)], into: source)
        let result = try await store.install(card: v2, fromDirectory: source)
        XCTAssertEqual(result.outcome, .replaced)
        XCTAssertEqual(try store.card(id: "demo").version, "2")
        XCTAssertEqual(TestSupport.contents(of: root), [".lock", "demo"])
    }

    /// A store file assembled from parts: the parts are checked one by one and the joined file as a whole.
    func testFileAssembledFromParts() async throws {
        let part1 = Data(repeating: 1, count: 3000)
        let part2 = Data(repeating: 2, count: 1234)
        try TestSupport.write(["pieces/a.part1": part1, "pieces/a.part2": part2], into: source)
        var card = try TestSupport.userCard(id: "joined", files: ["a.bin": part1 + part2])
        card.source = ModelSource(kind: .directory, files: [
            SourceFile(path: "a.bin", from: [
                SourcePart(path: "pieces/a.part1", sha256: try TestSupport.sha256(part1), size: 3000),
                SourcePart(path: "pieces/a.part2", sha256: try TestSupport.sha256(part2), size: 1234),
            ]),
        ])
        let store = ModelStore(root: root)
        try await store.install(card: card, fromDirectory: source)
        XCTAssertEqual(try Data(contentsOf: store.resolve(id: "joined").url(for: "a.bin")), part1 + part2)

        // A bad second part is named as such.
        try FileManager.default.removeItem(at: root)
        try TestSupport.write(["pieces/a.part2": Data(repeating: 3, count: 1234)], into: source)
        let error = await expectMedleyError { try await store.install(card: card, fromDirectory: self.source) }
        XCTAssertTrue(error?.message.contains("part 2 of 2 of file a.bin") == true, error?.message ?? "")
        XCTAssertEqual(ModelStore(root: root).installedIDs(), [])
    }

    func testInvalidUserCardIsRefusedBeforeCopying() async throws {
        var card = try TestSupport.userCard(id: "bad", files: ["m.bin": Data([1])])
        card.files[0].path = "/etc/passwd"
        let store = ModelStore(root: root)
        let error = await expectMedleyError { try await store.install(card: card, fromDirectory: self.source) }
        XCTAssertTrue(error?.message.contains("/etc/passwd") == true, error?.message ?? "")
    }
}
