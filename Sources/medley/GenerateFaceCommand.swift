import ArgumentParser
import Foundation
import MedleyCore
import MedleyGenerate
import MedleyWorkflow

/// `medley generate face`: faces of people who do not exist (MobileStyleGAN), one picture, a folder of them, or a
/// morph video between two seeds.
struct GenerateFaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "face",
        abstract: "Generate faces of people who do not exist (MobileStyleGAN, FFHQ), labelled as AI-generated.",
        discussion: """
            One seed gives one face, the same pixels every time on the same machine. Without --seed a random seed \
            is drawn and printed. -o names the picture, or an existing folder that receives face-<seed>.png. \
            With --count K the faces of seeds N, N+1, ... N+K-1 go into the folder -o as \
            face-<seed>.png (the folder is created; its parent must exist). With --interpolate A,B the faces of \
            seeds A and B are morphed into an H.264 video at 25 fps (-o ending in .mp4 or .mkv). Every output \
            carries its provenance label inside the file and in OUT.provenance.json beside it.
            """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "The seed: any 64-bit integer (negative too, or 0x hex); default: random, printed.", valueName: "n"))
    var seed: String?

    @Option(help: "How many faces (seeds n, n+1, ...); with more than one, -o is a folder.")
    var count = 1

    @Option(help: ArgumentHelp(
        "Truncation psi in [0, 1]: lower gives more typical, cleaner faces, 0 the average face.", valueName: "psi"))
    var truncation = FaceGenerator.defaultTruncation

    @Option(help: ArgumentHelp("Picture size: 256, 512 or 1024 pixels.", valueName: "pixels"))
    var size = FaceGenerator.nativeSize

    @Option(help: ArgumentHelp("Morph between two seeds into a video (with -o OUT.mp4).", valueName: "seed1,seed2"))
    var interpolate: String?

    @Option(help: "Frames of the morph video (25 per second).")
    var frames = 50

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Output: a .png/.jpg/.webp file, a folder with --count > 1, a .mp4/.mkv with --interpolate.",
        valueName: "out"))
    var output: String

    @Flag(help: "Print JSON on stdout: the files written and their seeds.")
    var json = false

    @OptionGroup var models: TaskModelOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1, got \(count)") }
        guard truncation.isFinite, (0...1).contains(truncation) else {
            throw ValidationError("--truncation must be in [0, 1], got \(truncation)")
        }
        guard FaceGenerator.supportedSizes.contains(size) else {
            throw ValidationError("--size must be 256, 512 or 1024, got \(size)")
        }
        if let seed { _ = try parsedSeed(seed) }
        if let interpolate {
            _ = try seedPair(interpolate)
            guard seed == nil, count == 1 else {
                throw ValidationError("--interpolate takes its two seeds itself; leave out --seed and --count")
            }
            guard frames >= 2 else { throw ValidationError("--frames must be at least 2, got \(frames)") }
        }
    }

    /// One written file, for `--json`.
    struct Written: Encodable {
        var path: String
        var provenance: String
        var seed: String
        var endSeed: String?

        enum CodingKeys: String, CodingKey {
            case path, provenance, seed
            case endSeed = "end_seed"
        }
    }

    func run() async throws {
        // The seed is drawn here, not inside the work, so that the run record holds it too.
        let first = try seed.map(parsedSeed) ?? GenerationSeed.random()
        var settings: [String: JSONValue] = [
            "truncation": .number(truncation), "size": .number(Double(size)), "count": .number(Double(count)),
        ]
        if let interpolate {
            settings["interpolate"] = .string(interpolate)
            settings["frames"] = .number(Double(frames))
        } else {
            settings["seed"] = .string(first.description)
        }
        try await recordedTask(FaceGenerator.task, settings: settings, inputs: [:], models: [FaceGenerator.modelID],
                               store: models.store) {
            let written = try await perform(first: first)
            return ((), written.map(\.path))
        }
    }

    private func perform(first: GenerationSeed) async throws -> [Written] {
        let output = self.output, truncation = self.truncation, size = self.size, count = self.count
        var isDirectory: ObjCBool = false
        let existingFolder = FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
            && isDirectory.boolValue
        let kind: FaceGenerator.OutputKind =
            interpolate != nil ? .video : count > 1 || existingFolder ? .folder : .picture
        // A bad output path fails here, before the model is loaded.
        try FaceGenerator.checkOutput(output, as: kind)
        let generator = try FaceGenerator(store: models.store, policy: models.licensePolicy())
        var written: [Written] = []
        switch kind {
        case .video:
            let (start, end) = try seedPair(interpolate ?? "")
            let frames = self.frames
            let bar = ProgressBar()
            let files = try await runCancellable {
                try generator.writeMorph(from: start, to: end, frames: frames, truncation: truncation, size: size,
                                         to: output, progress: bar)
            }
            bar.finish()
            written.append(Written(path: files.output, provenance: files.provenance, seed: start.description,
                                   endSeed: end.description))
        case .picture:
            let files = try await runCancellable {
                try generator.writeFace(seed: first, truncation: truncation, size: size, to: output)
            }
            written.append(Written(path: files.output, provenance: files.provenance, seed: first.description))
        case .folder:
            let bar = ProgressBar()
            written = try await runCancellable {
                var files: [Written] = []
                try generator.writeFaces(from: first, count: count, truncation: truncation, size: size,
                                         into: output, progress: bar) { _, seed, written in
                    files.append(Written(path: written.output, provenance: written.provenance, seed: seed.description))
                }
                return files
            }
            bar.finish()
        }
        if json {
            try Terminal.printJSON(written)
        } else {
            for file in written {
                let seeds = file.endSeed.map { "seeds \(file.seed) -> \($0)" } ?? "seed \(file.seed)"
                print("\(file.path)  (\(seeds); provenance: \(file.provenance))")
            }
        }
        return written
    }

    private func parsedSeed(_ text: String) throws -> GenerationSeed {
        do {
            return try GenerationSeed(parsing: text)
        } catch let error as MedleyError {
            throw ValidationError("--seed: \(error.message)")
        }
    }

    private func seedPair(_ text: String) throws -> (GenerationSeed, GenerationSeed) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw ValidationError("--interpolate takes two seeds separated by a comma (e.g. 7,42), got '\(text)'")
        }
        do {
            return (try GenerationSeed(parsing: String(parts[0])), try GenerationSeed(parsing: String(parts[1])))
        } catch let error as MedleyError {
            throw ValidationError("--interpolate: \(error.message)")
        }
    }
}
