import Foundation
import MedleyCore
@testable import MedleyGenerate
import MedleyMedia
import MedleyModels
import MedleyVision
import XCTest

/// MobileStyleGAN faces: one seed gives one face, truncation pulls towards the mean face, the outputs are faces a
/// detector finds and a safety classifier passes, and every file is labelled.
final class FaceGeneratorTests: XCTestCase {
    struct Missing: Error, CustomStringConvertible { let description: String }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: FaceGenerator?

    /// One generator for the whole class (compiling the synthesis network takes seconds), over the installed model.
    private func generator() throws -> FaceGenerator {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        if let shared = Self.shared { return shared }
        do {
            let made = try FaceGenerator(store: ModelStore(root: ModelStore.defaultRoot()))
            Self.shared = made
            return made
        } catch let error as MedleyError {
            throw Missing(description: "\(error.message) (install it: medley models install mobilestylegan-ffhq)")
        }
    }

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medley-faces-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    /// Mean absolute difference of two same-sized pictures, in 8-bit levels.
    private func meanDifference(_ a: Image, _ b: Image) -> Double {
        zip(a.pixels, b.pixels).reduce(0.0) { $0 + Double(abs(Int($1.0) - Int($1.1))) } / Double(a.pixels.count)
    }

    // MARK: - Seeds

    func testTheSameSeedGivesTheSamePixelsBitForBit() throws {
        let faces = try generator()
        let first = try faces.generate(seed: GenerationSeed(42))
        XCTAssertEqual(first.width, 1024)
        XCTAssertEqual(first.height, 1024)
        XCTAssertEqual(first.format, .rgb8)
        // A second generator reads the cached mean style: still the same bytes.
        let again = try FaceGenerator(store: ModelStore(root: ModelStore.defaultRoot()))
            .generate(seed: GenerationSeed(42))
        XCTAssertTrue(first == again, "seed 42 gave different pixels")
    }

    func testDifferentSeedsGiveDifferentFaces() throws {
        let faces = try generator()
        let one = try faces.generate(seed: GenerationSeed(1), size: 256)
        let two = try faces.generate(seed: GenerationSeed(2), size: 256)
        XCTAssertEqual(one.width, 256)
        XCTAssertGreaterThan(meanDifference(one, two), 10, "two seeds should give clearly different faces")
    }

    func testNegativeAndHugeSeedsAreTheSameSixtyFourBits() throws {
        let faces = try generator()
        let negative = try faces.style(seed: try GenerationSeed(parsing: "-1"))
        let huge = try faces.style(seed: try GenerationSeed(parsing: "18446744073709551615"))
        XCTAssertEqual(negative, huge)
        XCTAssertNotEqual(negative, try faces.style(seed: try GenerationSeed(parsing: "-2")))
        XCTAssertThrowsError(try GenerationSeed(parsing: "forty-two"))
        XCTAssertThrowsError(try GenerationSeed(parsing: "18446744073709551616"))
    }

    // MARK: - Truncation and the mean style

    func testTruncationZeroGivesTheMeanFaceWhateverTheSeed() throws {
        let faces = try generator()
        XCTAssertEqual(try faces.style(seed: GenerationSeed(7), truncation: 0), faces.meanStyle)
        let a = try faces.generate(seed: GenerationSeed(7), truncation: 0, size: 256)
        let b = try faces.generate(seed: GenerationSeed(signed: -123_456_789), truncation: 0, size: 256)
        XCTAssertTrue(a == b, "truncation 0 should give one face for every seed")
        // And truncation moves a face away from it, more at 1 than at 0.5.
        let half = try faces.generate(seed: GenerationSeed(7), truncation: 0.5, size: 256)
        let full = try faces.generate(seed: GenerationSeed(7), truncation: 1, size: 256)
        XCTAssertGreaterThan(meanDifference(a, full), meanDifference(a, half))
        XCTAssertGreaterThan(meanDifference(a, half), 1)
    }

    func testTheMeanStyleIsComputedOnceAndCached() throws {
        let folder = try temporaryFolder().appendingPathComponent("cache")
        let model = try ModelStore(root: ModelStore.defaultRoot()).resolve(id: FaceGenerator.modelID)
        let computed = try FaceGenerator(model: model, cacheFolder: folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(files.count, 1, "\(files)")
        let file = folder.appendingPathComponent(try XCTUnwrap(files.first))
        XCTAssertTrue(file.lastPathComponent.hasPrefix("style-mean-n4096-"), file.lastPathComponent)
        XCTAssertEqual(try Data(contentsOf: file).count, 512 * 4)
        // The shared generator's mean came from the store's cache, computed the same way.
        XCTAssertEqual(computed.meanStyle, try generator().meanStyle)
        // A mean of 4096 styles is not any one style, and it is finite.
        XCTAssertTrue(computed.meanStyle.allSatisfy(\.isFinite))
        XCTAssertNotEqual(computed.meanStyle, try computed.style(seed: GenerationSeed(0), truncation: 1))

        // The cache is read back rather than recomputed: a planted value comes back.
        var planted = computed.meanStyle
        planted[0] += 1
        XCTAssertTrue(MeanStyle.save(planted, to: file))
        XCTAssertEqual(try FaceGenerator(model: model, cacheFolder: folder).meanStyle, planted)
        // A truncated file is not trusted: recomputed and rewritten.
        try Data([1, 2, 3]).write(to: file)
        XCTAssertEqual(try FaceGenerator(model: model, cacheFolder: folder).meanStyle, computed.meanStyle)
        XCTAssertEqual(try Data(contentsOf: file).count, 512 * 4)
    }

    // MARK: - Interpolation

    func testInterpolationRunsFromOneSeedsFaceToTheOthers() throws {
        let faces = try generator()
        var frames: [Image] = []
        try faces.interpolate(from: GenerationSeed(3), to: GenerationSeed(4), frames: 3, size: 256) { index, frame in
            XCTAssertEqual(index, frames.count)
            frames.append(frame)
        }
        XCTAssertEqual(frames.count, 3)
        XCTAssertTrue(frames[0] == (try faces.generate(seed: GenerationSeed(3), size: 256)))
        XCTAssertTrue(frames[2] == (try faces.generate(seed: GenerationSeed(4), size: 256)))
        // The middle frame lies between the two, closer to each than they are to one another.
        let ends = meanDifference(frames[0], frames[2])
        XCTAssertLessThan(meanDifference(frames[0], frames[1]), ends)
        XCTAssertLessThan(meanDifference(frames[1], frames[2]), ends)
        XCTAssertThrowsError(
            try faces.interpolate(from: GenerationSeed(3), to: GenerationSeed(4), frames: 1) { _, _ in })
    }

    func testMorphVideoIsH264AndLabelled() throws {
        let path = try temporaryFolder().appendingPathComponent("morph.mp4").path
        let files = try generator().writeMorph(from: GenerationSeed(5), to: GenerationSeed(6), frames: 3, size: 256,
                                               to: path)
        let info = try MediaProbe.probe(path: path)
        XCTAssertEqual(info.firstStream(ofType: "video")?.codec, "h264")
        let tags = try MediaProbe.containerTags(path: path)
        XCTAssertEqual(tags["ai_generated"], "true")
        let embedded = try GenerationProvenance.decode(Data(try XCTUnwrap(tags["medley_provenance"]).utf8),
                                                       source: path)
        XCTAssertEqual(embedded.seed, GenerationSeed(5))
        XCTAssertEqual(embedded.settings["end_seed"], "6")
        let beside = try GenerationProvenance.decode(Data(contentsOf: URL(fileURLWithPath: files.provenance)),
                                                     source: files.provenance)
        XCTAssertEqual(beside.outputSHA256, try Checksum.sha256(fileAt: path).sha256)
        var count = 0
        let decoder = try VideoDecoder(path: path)
        while try decoder.nextFrame() != nil { count += 1 }
        XCTAssertEqual(count, 3)
    }

    // MARK: - Labels

    func testThePNGAndTheRecordBesideItCarryTheLabel() throws {
        let faces = try generator()
        let path = try temporaryFolder().appendingPathComponent("face.png").path
        let files = try faces.writeFace(seed: GenerationSeed(signed: -9), truncation: 0.6, size: 256, to: path)
        XCTAssertTrue(try ImageIO.read(path: path) == (try faces.generate(seed: GenerationSeed(signed: -9),
                                                                           truncation: 0.6, size: 256)))
        let embedded = try XCTUnwrap(try ProvenanceLabel.read(from: Data(contentsOf: URL(fileURLWithPath: path)),
                                                              source: path))
        let beside = try GenerationProvenance.decode(Data(contentsOf: URL(fileURLWithPath: files.provenance)),
                                                     source: files.provenance)
        for record in [embedded, beside] {
            XCTAssertTrue(record.aiGenerated)
            XCTAssertEqual(record.task, "generate.face")
            XCTAssertEqual(record.actions.first?.action, "c2pa.created")
            XCTAssertEqual(record.digitalSourceType, GenerationProvenance.trainedAlgorithmicMedia)
            XCTAssertEqual(record.seed, GenerationSeed(signed: -9))
            XCTAssertEqual(record.settings["truncation"], .number(0.6))
            XCTAssertEqual(record.settings["size"], .number(256))
            XCTAssertEqual(record.models.first?.id, "mobilestylegan-ffhq")
            XCTAssertEqual(record.models.first?.sha256,
                           "c7da15fa22d508c82e1c30dd6b4cdf67fe3ccdddaf85b310ee764dbf0c289645")
        }
        XCTAssertEqual(beside.outputSHA256, try Checksum.sha256(fileAt: path).sha256)
    }

    func testABatchGoesIntoANewFolderOneFilePerSeed() throws {
        let folder = try temporaryFolder().appendingPathComponent("batch").path
        var seeds: [GenerationSeed] = []
        try generator().writeFaces(from: GenerationSeed(UInt64.max), count: 2, size: 256, into: folder) { _, seed, _ in
            seeds.append(seed)
        }
        // The seeds wrap around at 2^64.
        XCTAssertEqual(seeds, [GenerationSeed(UInt64.max), GenerationSeed(0)])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), [
            "face-0.png", "face-0.provenance.json", "face-18446744073709551615.png",
            "face-18446744073709551615.provenance.json",
        ])
    }

    // MARK: - Bad input

    func testBadInputIsAClearErrorAndLeavesNothing() throws {
        let faces = try generator()
        let folder = try temporaryFolder()
        func assertInvalid(_ message: String, _ body: () throws -> Void) {
            XCTAssertThrowsError(try body()) { error in
                let text = (error as? MedleyError)?.message ?? "\(error)"
                XCTAssertTrue(text.contains(message), "\(text) should mention '\(message)'")
            }
        }
        for psi in [-0.1, 1.01, .nan, .infinity] {
            assertInvalid("outside [0, 1]") { _ = try faces.generate(seed: GenerationSeed(1), truncation: psi) }
        }
        for size in [0, 128, 300, 2048] {
            assertInvalid("not supported") { _ = try faces.generate(seed: GenerationSeed(1), size: size) }
        }
        assertInvalid("at least 1") {
            try faces.writeFaces(from: GenerationSeed(1), count: 0, into: folder.appendingPathComponent("none").path)
        }
        assertInvalid("does not exist") {
            try faces.writeFace(seed: GenerationSeed(1), to: folder.appendingPathComponent("missing/face.png").path)
        }
        assertInvalid("does not exist") {
            try faces.writeFaces(from: GenerationSeed(1), count: 2,
                                 into: folder.appendingPathComponent("missing/batch").path)
        }
        assertInvalid(".png") {
            try faces.writeFace(seed: GenerationSeed(1), to: folder.appendingPathComponent("f.txt").path)
        }
        assertInvalid(".mp4") {
            try faces.writeMorph(from: GenerationSeed(1), to: GenerationSeed(2), frames: 2,
                                 to: folder.appendingPathComponent("morph.png").path)
        }
        assertInvalid("at least 2 frames") {
            try faces.writeMorph(from: GenerationSeed(1), to: GenerationSeed(2), frames: 1,
                                 to: folder.appendingPathComponent("morph.mp4").path)
        }
        assertInvalid("finite values") { _ = try faces.image(style: [1, 2, 3]) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "no partial files")
    }

    // MARK: - Quality

    func testTheDetectorFindsOneFaceInEachAndTheSafetyScoreStaysLow() throws {
        let faces = try generator()
        let store = ModelStore(root: ModelStore.defaultRoot())
        let detector = try FaceDetector(store: store)
        let safety = try SafetyClassifier(store: store)
        for seed in 100..<106 {
            let face = try faces.generate(seed: GenerationSeed(UInt64(seed)), size: 256)
            XCTAssertEqual(try detector.detect(face).faces.count, 1, "seed \(seed)")
            XCTAssertLessThan(try safety.classify(face).score, 0.2, "seed \(seed)")
        }
    }
}
