import Foundation
import MedleyCore

extension TerrainGenerator {
    /// The file name of the terrain of `seed` in a folder of several.
    public static func fileName(seed: GenerationSeed) -> String { "terrain-\(seed).png" }

    /// Generates the terrain of `seed` and writes it to `path` (a `.png`), with its preview unless `preview` is
    /// false. The output folder is checked before any sampling.
    ///
    /// - Throws: as ``generate(seeds:settings:progress:)`` and ``TerrainWriter/write(_:to:model:preview:)``.
    public func writeTerrain(seed: GenerationSeed, settings: TerrainSettings, to path: String, preview: Bool = true,
                             progress: any ProgressReporter = SilentProgress()) throws -> (Terrain, TerrainFiles) {
        try settings.validate()
        guard (path as NSString).pathExtension.lowercased() == "png" else {
            throw MedleyError.invalidArgument(
                "\(path): a heightmap is written as a 16-bit PNG; give a path ending in .png")
        }
        try GeneratedMedia.requireOutputFolder(of: path)
        let terrain = try generate(seed: seed, settings: settings, progress: progress)
        return (terrain, try TerrainWriter.write(terrain, to: path, model: ProvenanceModel(card: card),
                                                 preview: preview))
    }

    /// Generates the terrains of seeds `first`, `first + 1`, ... (`count` of them) in batches of the model's batch
    /// size and writes each into `folder` as `terrain-<seed>.png` as soon as its batch is done. The folder is
    /// created; its parent must exist. `written` sees every terrain and its files, in seed order. Returns the
    /// seconds spent sampling (model and sampler, without encoding and writing).
    ///
    /// - Throws: `invalidArgument` for a count below 1; `writeFailed` when the folder cannot be made; as
    ///   ``writeTerrain(seed:settings:to:preview:progress:)``.
    @discardableResult
    public func writeTerrains(
        from first: GenerationSeed, count: Int, settings: TerrainSettings, into folder: String, preview: Bool = true,
        progress: any ProgressReporter = SilentProgress(),
        written: (Terrain, TerrainFiles) throws -> Void = { _, _ in }
    ) throws -> Double {
        try settings.validate()
        guard count >= 1 else { throw MedleyError.invalidArgument("--count must be at least 1, got \(count)") }
        try GeneratedMedia.requireOutputFolder(of: folder)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        } catch CocoaError.fileWriteFileExists {
            // An existing folder is fine.
        } catch {
            var isDirectory: ObjCBool = false
            if !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) {
                throw MedleyError.writeFailed(
                    path: folder, reason: "cannot create the folder: \(error.localizedDescription)")
            }
        }
        let model = ProvenanceModel(card: card)
        var samplingSeconds = 0.0
        var start = 0
        while start < count {
            let seeds = (start..<min(start + denoiser.maximumBatch, count)).map { first.advanced(by: $0) }
            let began = Date()
            let terrains = try generate(seeds: seeds, settings: settings)
            samplingSeconds += Date().timeIntervalSince(began)
            for terrain in terrains {
                let path = (folder as NSString).appendingPathComponent(Self.fileName(seed: terrain.seed))
                try written(terrain, try TerrainWriter.write(terrain, to: path, model: model, preview: preview))
            }
            start += seeds.count
            progress.report(ProgressEvent(stage: "terrain", completed: Double(start), total: Double(count),
                                          unit: "maps"))
        }
        return samplingSeconds
    }
}
