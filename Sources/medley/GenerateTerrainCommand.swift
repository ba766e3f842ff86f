import ArgumentParser
import Foundation
import MedleyCore
import MedleyGenerate
import MedleyWorkflow

/// `medley generate terrain`: heightmaps for robot-simulation terrain from the adaptive-terrain-diffusion
/// consistency model, through Medley's diffusion sampler.
struct GenerateTerrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terrain",
        abstract: "Generate terrain heightmaps (consistency diffusion, difficulty 1-100), labelled as AI-generated.",
        discussion: """
            Writes a 16-bit greyscale PNG whose samples are heights: metres = sample / 65535 * 22.16864013671875 \
            (0 is the lowest point), and a shaded-relief preview OUT.preview.png (sun from the north-west, 45 \
            degrees up). Samples are meant 0.1 m apart (the package's simulator default). One step (the default) \
            is the model's own one-step sampling; more steps run the chosen sampler (consistency multistep, Euler \
            or DDIM) over a Karras schedule from sigma 80 to 0.002, but this model was distilled for one step and \
            its multistep maps drift into tall spikes: use them to try the sampler, not for terrain. Sizes other than 128 are resized (smaller) or \
            tiled with overlap (larger), as the package does. With --count K the terrains of seeds N ... N+K-1 go \
            into the folder -o as terrain-<seed>.png. --noise-out, --denoised-out and --heights-out write the exact \
            float32 noise, model output and heights as NumPy .npy files, for checks against other implementations.
            """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "The seed: any 64-bit integer (negative too, or 0x hex); default: random, printed.", valueName: "n"))
    var seed: String?

    @Option(help: ArgumentHelp("Model evaluations: 1 (the model's one-step sampling) to 1000.", valueName: "n"))
    var steps = 1

    @Option(help: ArgumentHelp("Difficulty from 1 (gentle) to 100 (rough).", valueName: "d"))
    var difficulty = TerrainSettings.defaultDifficulty

    @Option(help: ArgumentHelp("Sampler for more than one step: consistency, euler or ddim.", valueName: "name"))
    var sampler = SamplerName.consistency.rawValue

    @Option(help: ArgumentHelp("Noise levels of a multistep run: karras or linear.", valueName: "name"))
    var schedule = "karras"

    @Option(help: ArgumentHelp("Map size: N or WxH samples, up to 2048 a side.", valueName: "size"))
    var size = "\(TerrainGenerator.nativeSize)"

    @Option(help: "How many terrains (seeds n, n+1, ...); with more than one, -o is a folder.")
    var count = 1

    @Flag(help: "Do not write the shaded-relief preview.")
    var noPreview = false

    @Option(help: ArgumentHelp("Write the initial noise, float32 [K,1,H,W], as a .npy file.", valueName: "file"))
    var noiseOut: String?

    @Option(help: ArgumentHelp("Write the model-space output, float32 [K,1,H,W], as a .npy file.", valueName: "file"))
    var denoisedOut: String?

    @Option(help: ArgumentHelp("Write the heights in metres, float32 [K,H,W], as a .npy file.", valueName: "file"))
    var heightsOut: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Output: a .png file, or a folder with --count > 1.",
                                                    valueName: "out"))
    var output: String

    @Flag(help: "Print JSON on stdout: the files written, their seeds and the timings.")
    var json = false

    @OptionGroup var models: TaskModelOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
        if let seed { _ = try parsed { try GenerationSeed(parsing: seed) } }
        _ = try settings()
    }

    /// One written terrain, for `--json`.
    struct Written: Encodable {
        var path: String
        var preview: String?
        var provenance: String
        var seed: String
        var maxHeightMetres: Double

        enum CodingKeys: String, CodingKey {
            case path, preview, provenance, seed
            case maxHeightMetres = "max_height_m"
        }
    }

    /// The `--json` report.
    struct Report: Encodable {
        var files: [Written]
        var difficulty: Int
        var steps: Int
        var sampler: String
        var width: Int
        var height: Int
        var heightRangeMetres: Double
        var loadSeconds: Double
        var samplingSeconds: Double

        enum CodingKeys: String, CodingKey {
            case files, difficulty, steps, sampler, width, height
            case heightRangeMetres = "height_range_m"
            case loadSeconds = "load_seconds"
            case samplingSeconds = "sampling_seconds"
        }
    }

    func run() async throws {
        let first = try seed.map { text in try parsed { try GenerationSeed(parsing: text) } } ?? GenerationSeed.random()
        let settings = try settings()
        if settings.steps > 1 {
            Terminal.printWarning(
                "the terrain model was distilled for one step; with \(settings.steps) steps its maps drift into tall "
                    + "spikes (see docs/generation.md)")
        }
        let recorded: [String: JSONValue] = [
            "seed": .string(first.description), "count": .number(Double(count)),
            "difficulty": .number(Double(settings.difficulty)), "steps": .number(Double(settings.steps)),
            "sampler": .string(settings.sampler.rawValue), "schedule": .string(settings.schedule.description),
            "width": .number(Double(settings.width)), "height": .number(Double(settings.height)),
        ]
        try await recordedTask(TerrainWriter.task, settings: recorded, inputs: [:], models: [TerrainGenerator.modelID],
                               store: models.store) {
            let report = try await perform(first: first, settings: settings)
            return ((), report.files.map(\.path))
        }
    }

    private func perform(first: GenerationSeed, settings: TerrainSettings) async throws -> Report {
        let loadStart = Date()
        let generator = try TerrainGenerator(store: models.store, policy: models.licensePolicy())
        try generator.prepare(count: count, settings: settings)
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let output = self.output, count = self.count, preview = !noPreview
        let bar = ProgressBar()
        let (written, terrains, samplingSeconds) = try await runCancellable {
            var written: [Written] = []
            var terrains: [Terrain] = []
            func record(_ terrain: Terrain, _ files: TerrainFiles) {
                written.append(Written(path: files.heightmap.output, preview: files.preview?.output,
                                       provenance: files.heightmap.provenance, seed: terrain.seed.description,
                                       maxHeightMetres: Double(terrain.heights.max() ?? 0)))
                terrains.append(terrain)
            }
            if count == 1 {
                let began = Date()
                let (terrain, files) = try generator.writeTerrain(seed: first, settings: settings, to: output,
                                                                  preview: preview, progress: bar)
                record(terrain, files)
                return (written, terrains, Date().timeIntervalSince(began))
            }
            let seconds = try generator.writeTerrains(from: first, count: count, settings: settings, into: output,
                                                      preview: preview, progress: bar) { record($0, $1) }
            return (written, terrains, seconds)
        }
        bar.finish()
        try writeArrays(terrains)
        let report = Report(files: written, difficulty: settings.difficulty, steps: settings.steps,
                            sampler: settings.sampler.rawValue, width: settings.width, height: settings.height,
                            heightRangeMetres: TerrainHeights.heightRange, loadSeconds: loadSeconds,
                            samplingSeconds: samplingSeconds)
        if json {
            try Terminal.printJSON(report)
        } else {
            for file in written {
                let highest = String(format: "%.2f", file.maxHeightMetres)
                print("\(file.path)  (seed \(file.seed), highest point \(highest) m"
                      + (file.preview.map { "; preview \($0)" } ?? "") + ")")
            }
        }
        return report
    }

    /// The `--noise-out`, `--denoised-out` and `--heights-out` files, every terrain in seed order.
    private func writeArrays(_ terrains: [Terrain]) throws {
        guard let sample = terrains.first else { return }
        let canvas = [terrains.count, 1, sample.canvasHeight, sample.canvasWidth]
        if let noiseOut {
            try NumpyArrayFile.write(terrains.flatMap(\.initialNoise), shape: canvas, to: noiseOut)
        }
        if let denoisedOut {
            try NumpyArrayFile.write(terrains.flatMap(\.modelOutput), shape: canvas, to: denoisedOut)
        }
        if let heightsOut {
            try NumpyArrayFile.write(terrains.flatMap(\.heights), shape: [terrains.count, sample.height, sample.width],
                                     to: heightsOut)
        }
    }

    /// The settings of the options.
    private func settings() throws -> TerrainSettings {
        guard let samplerName = SamplerName(rawValue: sampler.lowercased()) else {
            throw ValidationError("--sampler must be consistency, euler or ddim, got '\(sampler)'")
        }
        let (width, height) = try parsedSize(size)
        let settings = TerrainSettings(
            difficulty: difficulty, steps: steps, sampler: samplerName,
            schedule: try parsed { try NoiseSchedule(parsing: schedule) }, width: width, height: height)
        try parsed { try settings.validate() }
        return settings
    }

    private func parsedSize(_ text: String) throws -> (Int, Int) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let width = Int(parts[0]), let height = Int(parts.last ?? "") else {
            throw ValidationError("--size must be N or WxH (e.g. 128 or 256x192), got '\(text)'")
        }
        return (width, height)
    }

    /// `body`'s value, with a ``MedleyError`` turned into a usage error (exit code 1 with the usage line).
    private func parsed<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as MedleyError {
            throw ValidationError(error.message)
        }
    }
}
