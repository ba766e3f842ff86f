import Foundation
import MedleyCore
import MedleyMedia
@testable import MedleyGenerate
import MedleyVision
import XCTest

/// Person matting with MediaPipe's selfie segmentation through OpenVINO: issue 8's IoU check on a synthetic
/// composite, the backgrounds, video, and bad input.
final class PersonMattingTests: XCTestCase {
    private typealias Support = EditTestSupport

    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: PersonMatting?

    private func matting() throws -> PersonMatting {
        try Self.lock.withLock {
            if let made = Self.shared { return made }
            let made = try Support.require { try PersonMatting(store: Support.store) }
            Self.shared = made
            return made
        }
    }

    private var astronautPath: String { Support.fixture("vision/astronaut.png") }

    private func astronaut() throws -> Image { try ImageIO.read(path: astronautPath).opaqueRGB() }

    /// The person region of a mask: probability above one half.
    private func region(_ probabilities: [Float]) -> [Bool] { probabilities.map { $0 > 0.5 } }

    private func iou(_ a: [Bool], _ b: [Bool]) -> Double {
        var both = 0, either = 0
        for (x, y) in zip(a, b) {
            if x && y { both += 1 }
            if x || y { either += 1 }
        }
        return either == 0 ? 1 : Double(both) / Double(either)
    }

    // MARK: - Issue 8's accuracy check

    /// The ground truth is not a hand-drawn matte: it is MediaPipe's own mask of the original photo (through
    /// Medley, which equals MediaPipe's within 1e-4, bench/RESULTS.md), thresholded at 0.5. Those
    /// pixels are pasted onto backgrounds the person was never photographed on (a coffee cup, a flat green, a
    /// colour checkerboard), and the mask of each composite must find the same region again (IoU >= 0.85). So the
    /// test checks that the person is found by their own look, not by the scene around them. Sanity checks tie
    /// the region to the photo: the face (its hand-checked box, Tests/Fixtures/vision/README.md) is inside, the
    /// top right corner is not.
    func testPastedPersonIsFoundAgainOnOtherBackgrounds() throws {
        let matting = try matting()
        let photo = try astronaut()
        let known = region(try matting.probabilities(for: photo))
        let width = photo.width
        XCTAssertTrue(known[(80 + 49) * width + 180 + 44], "the face centre should be person")
        XCTAssertFalse(known[10 * width + width - 10], "the top right corner should be background")
        let share = Double(known.filter { $0 }.count) / Double(known.count)
        XCTAssertTrue((0.2...0.8).contains(share), "person share \(share)")

        let cup = try ImageIO.read(path: Support.fixture("vision/coffee.jpg")).opaqueRGB()
        let coffee = try MatteCompositor.cover(cup, width: width, height: photo.height)
        let green = Support.draw(width: width, height: photo.height) { _, _ in (0, 200, 60) }
        let checkers = Support.draw(width: width, height: photo.height) { x, y in
            (x / 32 + y / 32) % 2 == 0 ? (250, 220, 40) : (30, 60, 200)
        }
        for (name, background) in [("coffee", coffee), ("green", green), ("checkers", checkers)] {
            var composite = background
            for i in 0..<known.count where known[i] {
                for c in 0..<3 { composite.pixels[i * 3 + c] = photo.pixels[i * 3 + c] }
            }
            let found = region(try matting.probabilities(for: composite))
            let score = iou(found, known)
            XCTAssertGreaterThanOrEqual(score, 0.85, "IoU on the \(name) background")
        }
    }

    // MARK: - Outputs

    func testPictureWithoutBackgroundKeepsTheMaskAsAlpha() async throws {
        let output = Support.path("matte-alpha.png")
        let result = try await matting().matteFile(astronautPath, background: .transparent, output: output)
        XCTAssertEqual(result.model, .general)
        let written = try ImageIO.read(path: output)
        XCTAssertEqual(written.format, .rgba8)
        XCTAssertEqual(written.pixel(x: 224, y: 129)[3], 255, "face")
        XCTAssertEqual(written.pixel(x: 500, y: 10)[3], 0, "top right corner")
        XCTAssertEqual(Array(written.pixel(x: 224, y: 129).prefix(3)), try astronaut().pixel(x: 224, y: 129))
        let record = try GenerationProvenance.decode(
            Data(contentsOf: URL(fileURLWithPath: result.files.provenance)), source: result.files.provenance)
        XCTAssertEqual(record.task, "image.matte")
        XCTAssertEqual(record.models.first?.id, PersonMatting.modelID)
        XCTAssertEqual(record.ingredients.map(\.relationship), ["parentOf"])
    }

    func testColourAndBlurBackgrounds() throws {
        let matting = try matting()
        let photo = try astronaut()
        let alpha = try matting.alpha(for: photo)
        let green = try matting.matte(photo, background: try MatteBackground(parsing: "#00FF00"))
        let blurred = try matting.matte(photo, background: try MatteBackground(parsing: "blur"))
        var backgroundEdges = (photo: 0.0, blurred: 0.0)
        for y in 1..<photo.height {
            for x in 1..<photo.width {
                let i = y * photo.width + x
                if alpha[i] == 255 {
                    // The person is the photo's own pixels.
                    XCTAssertEqual(green.pixel(x: x, y: y), photo.pixel(x: x, y: y))
                    XCTAssertEqual(blurred.pixel(x: x, y: y), photo.pixel(x: x, y: y))
                } else if alpha[i] == 0 {
                    XCTAssertEqual(green.pixel(x: x, y: y), [0, 255, 0])
                    // Squared neighbour differences: blurring keeps a ramp's total rise but spreads it thin.
                    let sharp = Double(Int(photo.pixels[i * 3]) - Int(photo.pixels[(i - 1) * 3]))
                    let soft = Double(Int(blurred.pixels[i * 3]) - Int(blurred.pixels[(i - 1) * 3]))
                    backgroundEdges.photo += sharp * sharp
                    backgroundEdges.blurred += soft * soft
                }
            }
        }
        XCTAssertLessThan(backgroundEdges.blurred, backgroundEdges.photo / 3, "the background should be blurred")
        // Feathering: some pixels are between, and only near the edge.
        XCTAssertTrue(alpha.contains { $0 > 0 && $0 < 255 })
    }

    func testModelFollowsTheShape() throws {
        let settings = MattingSettings()
        XCTAssertEqual(settings.model(width: 1280, height: 720), .landscape)
        XCTAssertEqual(settings.model(width: 512, height: 512), .general)
        XCTAssertEqual(settings.model(width: 640, height: 480), .general)
        XCTAssertEqual(MattingSettings(model: .general).model(width: 1280, height: 720), .general)
    }

    func testVideoMasksAreSmoothedOverTime() throws {
        let matting = try matting()
        let photo = try astronaut()
        let empty = Support.draw(width: photo.width, height: photo.height) { _, _ in (0, 200, 60) }
        let state = try VideoMatteState(matting: matting, background: .color(red: 0, green: 0, blue: 255),
                                        model: .general, width: photo.width, height: photo.height)
        _ = try state.matte(photo)
        let second = try state.matte(empty)
        // The person left: the mask is half the previous one plus half of the new (near 0), so the face is still
        // about half person, a blend of green and blue.
        let withPerson = try matting.mask(for: photo, model: .general).values
        let without = try matting.mask(for: empty, model: .general).values
        let i = 64 * 256 + 112  // the face, in the 256x256 mask
        XCTAssertEqual(0.5 * withPerson[i] + 0.5 * without[i], 0.5, accuracy: 0.1)
        let face = second.pixel(x: 224, y: 129)
        XCTAssertTrue(face[1] > 40 && face[2] > 40, "\(face)")
    }

    func testVideoIsMattedWithItsAudio() async throws {
        let video = try Support.ffmpeg("matte-clip.mp4", [
            "-loop", "1", "-i", astronautPath, "-f", "lavfi", "-i", "sine=f=330:d=1",
            "-vf", "scale=256:256,crop=256:144", "-r", "10", "-t", "1", "-pix_fmt", "yuv420p", "-c:v", "libx264",
            "-c:a", "aac", "-shortest"])
        let output = Support.path("matte-clip-out.mp4")
        let result = try await matting().matteFile(video, background: .blur, output: output)
        XCTAssertEqual(result.frames, 10)
        XCTAssertEqual(result.model, .landscape)
        let info = try MediaProbe.probe(path: output)
        XCTAssertEqual(info.firstStream(ofType: "video")?.width, 256)
        XCTAssertNotNil(info.firstStream(ofType: "audio"))
        let record = try GenerationProvenance.decode(
            Data(contentsOf: URL(fileURLWithPath: result.files.provenance)), source: output)
        XCTAssertEqual(record.task, "video.matte")
    }

    // MARK: - Bad input

    func testInputThatIsNotAnImageIsAClearError() async throws {
        let text = Support.path("matte-not-an-image.png")
        try Data("no picture here\n".utf8).write(to: URL(fileURLWithPath: text))
        let matting = try matting()
        let error = await thrownError {
            try await matting.matteFile(text, background: .transparent, output: Support.path("never.png"))
        }
        guard case .unreadableMedia(let path, _)? = error as? MedleyError else {
            return XCTFail("expected unreadableMedia, got \(String(describing: error))")
        }
        XCTAssertEqual(path, text)
    }

    func testVideoWithoutAVideoStreamIsAClearError() async throws {
        let audio = try Support.ffmpeg("matte-audio-only.m4a", ["-f", "lavfi", "-i", "sine=d=0.5", "-c:a", "aac"])
        let matting = try matting()
        let error = await thrownError {
            try await matting.matteFile(audio, background: .blur, output: Support.path("never.mp4"))
        }
        guard case .noStream(let path, _)? = error as? MedleyError else {
            return XCTFail("expected noStream, got \(String(describing: error))")
        }
        XCTAssertEqual(path, audio)
    }

    func testBadColourTextIsAClearError() {
        for text in ["#12345G", "not-a-colour", "#1234", ""] {
            XCTAssertThrowsError(try MatteBackground(parsing: text), text) { error in
                let message = (error as? MedleyError)?.message ?? ""
                XCTAssertTrue(message.contains("is not 'blur', a colour"), message)
            }
        }
        XCTAssertEqual(try MatteBackground(parsing: "#0f0"), .color(red: 0, green: 255, blue: 0))
        XCTAssertEqual(try MatteBackground(parsing: "Grey"), .color(red: 128, green: 128, blue: 128))
        XCTAssertEqual(try MatteBackground(parsing: astronautPath), .image(path: astronautPath))
    }

    func testMissingOutputFolderAndVideoWithoutBackgroundAreClearErrors() async throws {
        let matting = try matting()
        let output = Support.path("no-such-folder/out.png")
        let missing = await thrownError {
            try await matting.matteFile(self.astronautPath, background: .blur, output: output)
        }
        guard case .writeFailed(let path, let reason)? = missing as? MedleyError else {
            return XCTFail("expected writeFailed, got \(String(describing: missing))")
        }
        XCTAssertEqual(path, output)
        XCTAssertTrue(reason.contains("does not exist"), reason)

        let video = try Support.ffmpeg("matte-plain.mp4", [
            "-f", "lavfi", "-i", "testsrc2=s=64x48:r=5:d=0.4", "-pix_fmt", "yuv420p", "-c:v", "libx264"])
        let transparent = await thrownError {
            try await matting.matteFile(video, background: .transparent, output: Support.path("never.mp4"))
        }
        XCTAssertTrue(((transparent as? MedleyError)?.message ?? "").contains("no alpha channel"),
                      String(describing: transparent))
    }

    /// The error `body` throws, or nil.
    private func thrownError<T>(_ body: () async throws -> T) async -> (any Error)? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error
        }
    }
}
