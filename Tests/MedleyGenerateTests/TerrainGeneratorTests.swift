import Foundation
import MedleyCore
@testable import MedleyGenerate
import MedleyMedia
import MedleyModels
import XCTest

/// The terrain consistency model through the diffusion engine: seeds are reproducible, the heights are the package's
/// decoding of the model's output, difficulty changes roughness, the 16-bit PNG reads back to the same metres, and
/// every file is labelled. The parity with the package's own Python sampling is checked by bench/terrain.sh.
final class TerrainGeneratorTests: XCTestCase {
    struct Missing: Error, CustomStringConvertible { let description: String }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var shared: TerrainGenerator?

    /// One generator for the class, over the installed model.
    private func generator() throws -> TerrainGenerator {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        if let shared = Self.shared { return shared }
        do {
            let made = try TerrainGenerator(store: ModelStore(root: ModelStore.defaultRoot()))
            Self.shared = made
            return made
        } catch let error as MedleyError {
            throw Missing(description: "\(error.message) (install it: medley models install terrain-consistency-unet)")
        }
    }

    private func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medley-terrain-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.path
    }

    /// Mean slope (rise over run) with samples 0.1 m apart, from forward differences.
    private func meanSlope(_ terrain: Terrain) -> Double {
        var total = 0.0
        for y in 0..<(terrain.height - 1) {
            for x in 0..<(terrain.width - 1) {
                let here = Double(terrain.heights[y * terrain.width + x])
                let dx = Double(terrain.heights[y * terrain.width + x + 1]) - here
                let dy = Double(terrain.heights[(y + 1) * terrain.width + x]) - here
                total += (dx * dx + dy * dy).squareRoot() / TerrainRelief.sampleSpacing
            }
        }
        return total / Double((terrain.width - 1) * (terrain.height - 1))
    }

    /// Runs a tool from /usr/bin and returns its standard output.
    private func tool(_ name: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(name)")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(name) \(arguments.joined(separator: " ")) failed")
        return data
    }

    // MARK: - Seeds and decoding

    func testTheSameSeedGivesBitIdenticalHeights() throws {
        let terrains = try generator()
        let settings = TerrainSettings(difficulty: 60)
        let first = try terrains.generate(seed: GenerationSeed(7), settings: settings)
        let again = try terrains.generate(seed: GenerationSeed(7), settings: settings)
        XCTAssertEqual(first.heights, again.heights)
        XCTAssertEqual(first.heights.count, 128 * 128)
        let other = try terrains.generate(seed: GenerationSeed(8), settings: settings)
        XCTAssertNotEqual(first.heights, other.heights)
    }

    func testHeightsAreThePackagesDecodingOfTheModelOutput() throws {
        let terrain = try generator().generate(seed: GenerationSeed(signed: -3),
                                               settings: TerrainSettings(difficulty: 80))
        // The sampler started from the seed's documented noise stream.
        XCTAssertEqual(terrain.initialNoise, GaussianNoise.normals(count: 128 * 128, seed: GenerationSeed(signed: -3)))
        XCTAssertEqual(terrain.heights, TerrainHeights.metres(fromModel: terrain.modelOutput[...], zeroFloor: true))
        XCTAssertEqual(terrain.heights.min(), 0)
        let highest = try XCTUnwrap(terrain.heights.max())
        XCTAssertGreaterThan(highest, 0.1)
        XCTAssertLessThanOrEqual(Double(highest), TerrainHeights.heightRange)
        XCTAssertTrue(terrain.modelOutput.allSatisfy { $0.isFinite && abs($0) <= 1.001 })
    }

    func testHigherDifficultyGivesRougherGround() throws {
        let terrains = try generator()
        let seeds = [GenerationSeed(21), GenerationSeed(22)]
        let gentle = try terrains.generate(seeds: seeds, settings: TerrainSettings(difficulty: 1)).map(meanSlope)
        let rough = try terrains.generate(seeds: seeds, settings: TerrainSettings(difficulty: 100)).map(meanSlope)
        // The package's own maps: mean slope about 0.07 at difficulty 1 and 0.30 at 100.
        for (low, high) in zip(gentle, rough) { XCTAssertGreaterThan(high, 2 * low, "\(gentle) vs \(rough)") }
    }

    func testABatchGivesEachSeedItsOwnTerrain() throws {
        let terrains = try generator()
        let batch = try terrains.generate(seeds: [GenerationSeed(30), GenerationSeed(31)], settings: TerrainSettings())
        let alone = try terrains.generate(seed: GenerationSeed(31))
        XCTAssertEqual(batch[1].initialNoise, alone.initialNoise)
        let difference = zip(batch[1].heights, alone.heights).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(difference, 1e-4, "a batch of two must give seed 31's terrain within float rounding")
    }

    // MARK: - Steps and sizes

    func testMoreStepsRunEverySamplerAndChangeTheMap() throws {
        let terrains = try generator()
        let oneStep = try terrains.generate(seed: GenerationSeed(5), settings: TerrainSettings(difficulty: 40))
        for sampler in SamplerName.allCases {
            let settings = TerrainSettings(difficulty: 40, steps: 3, sampler: sampler)
            let multistep = try terrains.generate(seed: GenerationSeed(5), settings: settings)
            XCTAssertEqual(multistep.heights.count, oneStep.heights.count)
            XCTAssertTrue(multistep.heights.allSatisfy {
                $0.isFinite && $0 >= 0 && Double($0) <= TerrainHeights.heightRange
            })
            let change = zip(multistep.heights, oneStep.heights).map { abs($0 - $1) }.max() ?? 0
            XCTAssertGreaterThan(change, 1e-3, "\(sampler) with 3 steps gave the one-step map")
            if sampler == .consistency {
                // The consistency sampler draws fresh noise at every step: from the seed's stream, so it repeats.
                let again = try terrains.generate(seed: GenerationSeed(5), settings: settings)
                XCTAssertEqual(again.heights, multistep.heights, "multistep consistency sampling must be reproducible")
            }
        }
    }

    func testSmallerMapsAreResizedAndLargerOnesTiled() throws {
        let terrains = try generator()
        let small = try terrains.generate(seed: GenerationSeed(9), settings: TerrainSettings(width: 64, height: 48))
        XCTAssertEqual(small.settings.sizeMode, .resize)
        XCTAssertEqual(small.heights.count, 64 * 48)
        XCTAssertEqual(small.heights.min(), 0)
        XCTAssertEqual(small.canvasWidth, 128)
        let large = try terrains.generate(seed: GenerationSeed(9), settings: TerrainSettings(width: 160, height: 130))
        XCTAssertEqual(large.settings.sizeMode, .tile)
        XCTAssertEqual(large.heights.count, 160 * 130)
        XCTAssertEqual(large.initialNoise.count, 160 * 130)
        XCTAssertEqual(large.heights.min(), 0)
        XCTAssertTrue(large.heights.allSatisfy { $0.isFinite })
    }

    // MARK: - Files

    func testTheHeightmapPNGIsSixteenBitAndReadsBackToTheSameMetres() throws {
        let folder = try temporaryFolder()
        let path = folder + "/terrain.png"
        let (terrain, files) = try generator().writeTerrain(seed: GenerationSeed(12), settings: TerrainSettings(),
                                                            to: path)
        let format = String(decoding: try tool("ffprobe", [
            "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=pix_fmt,width,height",
            "-of", "csv=p=0", path,
        ]), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(format, "128,128,gray16be")
        let raw = [UInt8](try tool("ffmpeg", ["-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "gray16le",
                                              "-"]))
        XCTAssertEqual(raw.count, 128 * 128 * 2)
        let samples = (0..<(raw.count / 2)).map { UInt16(raw[2 * $0]) | UInt16(raw[2 * $0 + 1]) << 8 }
        XCTAssertEqual(samples, TerrainHeights.samples(terrain.heights))
        let metres = TerrainHeights.metres(fromSamples: samples)
        let error = zip(metres, terrain.heights).map { abs($0 - $1) }.max() ?? 1
        XCTAssertLessThanOrEqual(Double(error), TerrainHeights.heightRange / 65535 / 2 + 1e-6)
        // The preview is an RGB picture of at least 512 pixels.
        let preview = try ImageIO.read(path: try XCTUnwrap(files.preview?.output))
        XCTAssertEqual(preview.width, 512)
        XCTAssertEqual(preview.height, 512)
    }

    func testEveryFileCarriesItsProvenance() throws {
        let folder = try temporaryFolder()
        let path = folder + "/labelled.png"
        let settings = TerrainSettings(difficulty: 77, steps: 2, sampler: .euler)
        let seed = GenerationSeed(UInt64.max)
        let (_, files) = try generator().writeTerrain(seed: seed, settings: settings, to: path)
        let embedded = try XCTUnwrap(try ProvenanceLabel.read(from: Data(contentsOf: URL(fileURLWithPath: path)),
                                                              source: path))
        XCTAssertEqual(embedded.task, "generate.terrain")
        XCTAssertEqual(embedded.seed, seed)
        XCTAssertTrue(embedded.aiGenerated)
        XCTAssertEqual(embedded.actions.first?.action, "c2pa.created")
        XCTAssertEqual(embedded.models.first?.id, TerrainGenerator.modelID)
        XCTAssertEqual(embedded.models.first?.sha256,
                       "95be54b4a39d58320e187a7ec533351c957f16a00be58773c86074828ee67887")
        XCTAssertEqual(embedded.settings["difficulty"], .number(77))
        XCTAssertEqual(embedded.settings["steps"], .number(2))
        XCTAssertEqual(embedded.settings["sampler"], .string("euler"))
        XCTAssertEqual(embedded.settings["height_range_m"], .number(22.16864013671875))
        let record = try GenerationProvenance.decode(Data(contentsOf: URL(fileURLWithPath: files.heightmap.provenance)),
                                                     source: files.heightmap.provenance)
        XCTAssertEqual(record.outputSHA256, try Checksum.sha256(fileAt: path).sha256)
        let previewPath = try XCTUnwrap(files.preview?.provenance)
        let previewRecord = try GenerationProvenance.decode(Data(contentsOf: URL(fileURLWithPath: previewPath)),
                                                            source: previewPath)
        XCTAssertEqual(previewRecord.ingredients.first?.title, "labelled.png")
        XCTAssertEqual(previewRecord.settings["sun_azimuth_deg"], .number(315))
    }

    func testSeveralTerrainsGoIntoAFolderNamedBySeed() throws {
        let folder = try temporaryFolder() + "/maps"
        var seen: [GenerationSeed] = []
        try generator().writeTerrains(from: GenerationSeed(signed: -1), count: 2, settings: TerrainSettings(),
                                      into: folder, preview: false) { terrain, files in
            seen.append(terrain.seed)
            XCTAssertNil(files.preview)
            XCTAssertTrue(FileManager.default.fileExists(atPath: files.heightmap.output))
        }
        // -1 and the seed after it, which wraps to 0.
        XCTAssertEqual(seen, [GenerationSeed(UInt64.max), GenerationSeed(0)])
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/terrain-0.png"))
    }

    // MARK: - Bad input

    func testBadSettingsAndPathsAreRefusedWithClearErrors() throws {
        let terrains = try generator()
        func message(_ body: () throws -> Void) -> String {
            do {
                try body()
                return ""
            } catch let error as MedleyError {
                return error.message
            } catch {
                return "\(error)"
            }
        }
        func refusal(_ settings: TerrainSettings) -> String {
            message { _ = try terrains.generate(seed: GenerationSeed(1), settings: settings) }
        }
        XCTAssertTrue(refusal(TerrainSettings(steps: 0)).contains("steps 0"))
        XCTAssertTrue(refusal(TerrainSettings(difficulty: 0)).contains("difficulty 0"))
        XCTAssertTrue(refusal(TerrainSettings(difficulty: 101)).contains("difficulty 101"))
        XCTAssertTrue(refusal(TerrainSettings(width: 0)).contains("size"))
        XCTAssertTrue(refusal(TerrainSettings(width: 4096)).contains("size"))
        let missing = "/nonexistent-\(UUID())/t.png"
        XCTAssertTrue(message {
            _ = try terrains.writeTerrain(seed: GenerationSeed(1), settings: TerrainSettings(), to: missing)
        }.contains("does not exist"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
        let jpeg = try temporaryFolder() + "/t.jpg"
        XCTAssertTrue(message {
            _ = try terrains.writeTerrain(seed: GenerationSeed(1), settings: TerrainSettings(), to: jpeg)
        }.contains(".png"))
        XCTAssertTrue(message {
            try terrains.writeTerrains(from: GenerationSeed(1), count: 0, settings: TerrainSettings(), into: missing)
        }.contains("count"))
        // Any 64-bit seed works, negative and huge alike.
        for seed in [GenerationSeed(signed: Int64.min), GenerationSeed(UInt64.max)] {
            XCTAssertEqual(try terrains.generate(seed: seed).heights.count, 128 * 128)
        }
    }
}
