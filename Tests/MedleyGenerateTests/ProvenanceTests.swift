import Foundation
import MedleyCore
@testable import MedleyGenerate
import MedleyMedia
import MedleyModels
import XCTest

/// The label every generated output carries: inside the file and beside it, readable by other tools.
final class ProvenanceTests: XCTestCase {
    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medley-provenance-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    private func gradient(width: Int, height: Int) -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let o = (y * width + x) * 3
                pixels[o] = UInt8(x * 255 / max(1, width - 1))
                pixels[o + 1] = UInt8(y * 255 / max(1, height - 1))
                pixels[o + 2] = 128
            }
        }
        return Image(width: width, height: height, format: .rgb8, pixels: pixels)
    }

    private func record() -> GenerationProvenance {
        .created(
            task: "generate.test",
            models: [ProvenanceModel(id: "test-model", version: "1.0", sha256: String(repeating: "ab", count: 32),
                                     license: "MIT")],
            seed: GenerationSeed(signed: -1), settings: ["steps": 4, "sampler": "euler", "tiled": false])
    }

    /// Runs a tool from PATH; nil when it is not installed.
    private func tool(_ arguments: [String]) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    func testPNGCarriesTheLabelAndTheRecordBesideIt() throws {
        let path = try temporaryFolder().appendingPathComponent("made.png").path
        let files = try GeneratedMedia.writeImage(gradient(width: 40, height: 30), to: path, provenance: record())
        XCTAssertEqual(files.provenance, (path as NSString).deletingPathExtension + ".provenance.json")

        // Still a valid picture, same pixels.
        XCTAssertEqual(try ImageIO.read(path: path), gradient(width: 40, height: 30))
        // The embedded record.
        let embedded = try XCTUnwrap(try ProvenanceLabel.read(from: Data(contentsOf: URL(fileURLWithPath: path)),
                                                              source: path))
        XCTAssertEqual(embedded.seed, GenerationSeed(UInt64.max))
        XCTAssertEqual(embedded.task, "generate.test")
        XCTAssertTrue(embedded.aiGenerated)
        XCTAssertEqual(embedded.digitalSourceType, GenerationProvenance.trainedAlgorithmicMedia)
        XCTAssertEqual(embedded.actions.first?.action, "c2pa.created")
        XCTAssertEqual(embedded.settings["sampler"], "euler")
        XCTAssertNil(embedded.outputSHA256)
        // The record beside the file, with the file's checksum.
        let beside = try GenerationProvenance.decode(Data(contentsOf: URL(fileURLWithPath: files.provenance)),
                                                     source: files.provenance)
        XCTAssertEqual(beside.outputSHA256, try Checksum.sha256(fileAt: path).sha256)
        XCTAssertEqual(beside.title, "made.png")
        XCTAssertEqual(beside.format, "image/png")

        // ImageMagick (installed by `make setup`) checks chunk CRCs and reads the comment.
        let comment = try XCTUnwrap(try tool(["identify", "-format", "%[comment]", path]), "identify failed")
        XCTAssertTrue(comment.hasPrefix("AI-generated content made by Medley"), comment)
        XCTAssertTrue(comment.contains("seed 18446744073709551615"), comment)
        // The XMP packet sits in its iTXt chunk (ImageMagick 6 here does not export it from PNG, so read the chunk).
        let xmp = try XCTUnwrap(ProvenanceLabel.pngText(in: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))),
                                                        keyword: "XML:com.adobe.xmp"))
        XCTAssertTrue(xmp.contains("Iptc4xmpExt:DigitalSourceType=\"\(GenerationProvenance.trainedAlgorithmicMedia)\""))
    }

    func testJPEGCarriesTheLabel() throws {
        let path = try temporaryFolder().appendingPathComponent("made.jpg").path
        try GeneratedMedia.writeImage(gradient(width: 64, height: 48), to: path, provenance: record())
        let decoded = try ImageIO.read(path: path)
        XCTAssertEqual(decoded.width, 64)
        let embedded = try XCTUnwrap(try ProvenanceLabel.read(from: Data(contentsOf: URL(fileURLWithPath: path)),
                                                              source: path))
        XCTAssertEqual(embedded.models.first?.id, "test-model")
        // The APP1 XMP segment is there for photo tools.
        let bytes = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        XCTAssertTrue(bytes.contains(ProvenanceLabel.xmpNamespace), "no XMP segment")
        XCTAssertTrue(bytes.contains("Iptc4xmpExt:DigitalSourceType"), "no digital source type in the XMP")
    }

    func testAMissingOutputFolderIsAClearErrorAndLeavesNothing() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("nowhere/made.png").path
        XCTAssertThrowsError(try GeneratedMedia.writeImage(gradient(width: 8, height: 8), to: path,
                                                           provenance: record())) { error in
            XCTAssertTrue((error as? MedleyError)?.message.contains("does not exist") == true, "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [])
    }

    func testVideoTagsAndAudioSurviveTheWriter() throws {
        let folder = try temporaryFolder()
        let audio = folder.appendingPathComponent("tone.wav").path
        let tone = AudioBuffer(samples: (0..<16_000).map { Float(sin(Double($0) * 0.1) * 0.3) }, sampleRate: 16_000)
        try AudioWriter.write(tone, to: audio)
        let path = folder.appendingPathComponent("clip.mp4").path
        let provenance = record()
        // An odd size is padded to even for 4:2:0.
        let writer = try VideoWriter(path: path, width: 33, height: 17, frameRate: 25,
                                     metadata: try GeneratedMedia.videoTags(for: provenance))
        for index in 0..<10 {
            var frame = gradient(width: 33, height: 17)
            frame.pixels[0] = UInt8(index * 20)
            try writer.append(frame)
        }
        try writer.finish(audioFrom: audio)
        try GeneratedMedia.writeRecord(provenance, for: path)

        let info = try MediaProbe.probe(path: path)
        XCTAssertEqual(info.streams.filter { $0.type == "video" }.count, 1)
        XCTAssertEqual(info.streams.filter { $0.type == "audio" }.count, 1)
        XCTAssertEqual(info.firstStream(ofType: "video")?.codec, "h264")
        let tags = try MediaProbe.containerTags(path: path)
        XCTAssertEqual(tags["ai_generated"], "true")
        XCTAssertEqual(tags["digital_source_type"], GenerationProvenance.trainedAlgorithmicMedia)
        let json = try XCTUnwrap(tags["medley_provenance"])
        XCTAssertEqual(try GenerationProvenance.decode(Data(json.utf8), source: path).task, "generate.test")
        XCTAssertTrue(tags["comment"]?.hasPrefix("AI-generated") == true)

        var frames = 0
        let decoder = try VideoDecoder(path: path)
        while let frame = try decoder.nextFrame() {
            XCTAssertEqual(frame.image.width, 34)
            frames += 1
        }
        XCTAssertEqual(frames, 10)
    }

    func testAWriterWithoutFramesLeavesNoFile() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("empty.mp4").path
        let writer = try VideoWriter(path: path, width: 16, height: 16, frameRate: 25)
        XCTAssertThrowsError(try writer.finish())
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertThrowsError(try VideoWriter(path: folder.appendingPathComponent("x.avi").path, width: 16,
                                             height: 16, frameRate: 25))
        XCTAssertThrowsError(try VideoWriter(path: folder.appendingPathComponent("no/x.mp4").path, width: 16,
                                             height: 16, frameRate: 25))
    }
}

/// The documented seed-to-noise mapping.
final class GaussianNoiseTests: XCTestCase {
    func testSeedsParseInBothRanges() throws {
        XCTAssertEqual(try GenerationSeed(parsing: "-1"), GenerationSeed(UInt64.max))
        XCTAssertEqual(try GenerationSeed(parsing: "18446744073709551615"), GenerationSeed(UInt64.max))
        XCTAssertEqual(try GenerationSeed(parsing: "-9223372036854775808").bits, 1 << 63)
        XCTAssertEqual(try GenerationSeed(parsing: "0x10").bits, 16)
        for bad in ["", "1.5", "seven", "18446744073709551616", "-9223372036854775809"] {
            XCTAssertThrowsError(try GenerationSeed(parsing: bad), bad)
        }
        XCTAssertEqual(GenerationSeed(UInt64.max).advanced(by: 1), GenerationSeed(0))
    }

    func testTheStreamIsStandardNormalAndRepeatable() {
        let values = GaussianNoise.normals(count: 200_000, seed: GenerationSeed(42))
        XCTAssertEqual(values, GaussianNoise.normals(count: 200_000, seed: GenerationSeed(42)))
        XCTAssertNotEqual(Array(values.prefix(8)), GaussianNoise.normals(count: 8, seed: GenerationSeed(43)))
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
        XCTAssertEqual(mean, 0, accuracy: 0.01)
        XCTAssertEqual(variance, 1, accuracy: 0.01)
        XCTAssertTrue(values.allSatisfy(\.isFinite))
    }

    /// The first values of seed 0, pinned: a change here changes every generated output for a given seed, which
    /// breaks the promise that a seed reproduces a picture. (Computed independently with Python from the
    /// documented algorithm.)
    func testSeedZeroIsPinned() {
        let values = GaussianNoise.normals(count: 4, seed: GenerationSeed(0))
        let expected: [Float] = Self.seedZeroReference
        for (value, reference) in zip(values, expected) { XCTAssertEqual(value, reference, accuracy: 1e-6) }
    }

    static let seedZeroReference: [Float] = [-0.014106797, -1.0085864725, -1.8458950877, 1.0669282079]
}
