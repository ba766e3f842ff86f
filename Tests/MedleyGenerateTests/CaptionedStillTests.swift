import Foundation
import MedleyCore
@testable import MedleyGenerate
import MedleyMedia
import MedleyModels
import XCTest

/// The avatar card (a still picture, a caption, a voice) and reading provenance back.
final class CaptionedStillTests: XCTestCase {
    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medley-card-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    private func picture(_ size: Int) -> Image {
        var image = Image(width: size, height: size, format: .rgb8)
        for index in stride(from: 0, to: image.pixels.count, by: 3) {
            image.pixels[index] = 200
            image.pixels[index + 1] = UInt8((index / 3) % size)
            image.pixels[index + 2] = 90
        }
        return image
    }

    /// A 1.5 s tone tagged the way `medley speak` tags its speech.
    private func speech(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("voice.m4a").path
        let tone = AudioBuffer(samples: (0..<24_000).map { Float(sin(Double($0) * 0.2) * 0.2) }, sampleRate: 16_000)
        try AudioWriter.write(tone, to: path, metadata: [
            "synthesis_model": "piper-en_US-joe-medium 1.0.0", "synthesis_model_sha256": String(repeating: "c", count: 64),
            "ai_generated": "true",
        ])
        return path
    }

    func testTheCardHoldsThePictureForTheSpeechWithItsCaptionAndModels() throws {
        let folder = try temporaryFolder()
        let imagePath = folder.appendingPathComponent("face.png").path
        let face = GenerationProvenance.created(
            task: "generate.face", models: [ProvenanceModel(id: "mobilestylegan-ffhq", version: "2021.7.21.1",
                                                            sha256: "ab", license: "Apache-2.0")],
            seed: GenerationSeed(7), settings: [:])
        try GeneratedMedia.writeImage(picture(128), to: imagePath, provenance: face)
        let audio = try speech(in: folder)
        let output = folder.appendingPathComponent("card.mp4").path
        let files = try CaptionedStill.write(image: try ImageIO.read(path: imagePath), imagePath: imagePath,
                                             audioPath: audio, caption: "Hello, I do not exist. This face was generated.",
                                             to: output)

        let info = try MediaProbe.probe(path: output)
        let video = try XCTUnwrap(info.firstStream(ofType: "video"))
        XCTAssertEqual(video.width, 128)
        XCTAssertGreaterThan(video.height ?? 0, 128, "the caption bar adds rows under the picture")
        XCTAssertNotNil(info.firstStream(ofType: "audio"))
        XCTAssertEqual(info.duration ?? 0, 2.0, accuracy: 0.15, "1.5 s of speech and 0.5 s of tail")

        let inspection = try ProvenanceReader.inspect(path: output)
        XCTAssertEqual(inspection.integrity, .unchanged)
        XCTAssertEqual(inspection.recordPath, files.provenance)
        let record = try XCTUnwrap(inspection.record)
        XCTAssertEqual(Set(record.allModels.map(\.id)), ["mobilestylegan-ffhq", "piper-en_US-joe-medium"])
        XCTAssertEqual(record.allModels.first { $0.id == "piper-en_US-joe-medium" }?.license, "MIT")
        XCTAssertTrue(record.summary.contains("mobilestylegan-ffhq"), record.summary)
        XCTAssertEqual(record.ingredients.map(\.title), ["face.png", "voice.m4a"])
        XCTAssertEqual(inspection.embedded?.task, "video.captioned_still")
    }

    func testAudioWithoutSoundIsRefused() throws {
        let folder = try temporaryFolder()
        let picturePath = folder.appendingPathComponent("still.png").path
        try ImageIO.write(picture(32), path: picturePath)
        XCTAssertThrowsError(try CaptionedStill.write(image: picture(32), imagePath: nil, audioPath: picturePath,
                                                      caption: nil, to: folder.appendingPathComponent("x.mp4").path))
        { error in
            guard case .noStream = error as? MedleyError else { return XCTFail("\(error)") }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.mp4").path))
    }

    func testSpeechModelsAreReadFromTagsOrFromAWAVComment() {
        let tags = ["synthesis_model": "piper-en_US-joe-medium 1.0.0", "synthesis_model_sha256": "58af"]
        XCTAssertEqual(CaptionedStill.speechModel(tags: tags),
                       ProvenanceModel(id: "piper-en_US-joe-medium", version: "1.0.0", sha256: "58af", license: "MIT"))
        let wav = ["comment": "AI-generated speech ...\nai_generated: true\nsynthesis_model: espeak-ng-data 1.51\n"]
        XCTAssertEqual(CaptionedStill.speechModel(tags: wav)?.id, "espeak-ng-data")
        XCTAssertEqual(CaptionedStill.speechModel(tags: wav)?.license, "GPL-3.0-or-later")
        XCTAssertNil(CaptionedStill.speechModel(tags: ["comment": "a recording"]))
    }

    func testCaptionsWrapAtWords() {
        XCTAssertEqual(CaptionedStill.wrap("one two three four", width: 9), ["one two", "three", "four"])
        XCTAssertEqual(CaptionedStill.wrap("abcdefghij", width: 4), ["abcd", "efgh", "ij"])
        XCTAssertEqual(CaptionedStill.wrap("   ", width: 4), [])
    }

    func testTheReaderTellsUnchangedModifiedLabelOnlyAndNone() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("made.png").path
        let record = GenerationProvenance.created(task: "generate.test", models: [], seed: GenerationSeed(1), settings: [:])
        try GeneratedMedia.writeImage(picture(16), to: path, provenance: record)
        XCTAssertEqual(try ProvenanceReader.inspect(path: path).integrity, .unchanged)

        // Editing the bytes (here: appending) is caught by the checksum in the record beside the file.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        XCTAssertEqual(try ProvenanceReader.inspect(path: path).integrity, .modified)

        // Without the record beside it, the label inside still says what made it.
        try FileManager.default.removeItem(atPath: GenerationProvenance.recordPath(for: path))
        let labelOnly = try ProvenanceReader.inspect(path: path)
        XCTAssertEqual(labelOnly.integrity, .labelOnly)
        XCTAssertEqual(labelOnly.best?.seed, GenerationSeed(1))

        let plain = folder.appendingPathComponent("plain.png").path
        try ImageIO.write(picture(16), path: plain)
        XCTAssertEqual(try ProvenanceReader.inspect(path: plain).integrity, .none)
        XCTAssertThrowsError(try ProvenanceReader.inspect(path: folder.appendingPathComponent("missing.png").path))
    }
}
