import Foundation
import MedleyCore
import MedleyMedia
import MedleyModels

/// The files of one written terrain.
public struct TerrainFiles: Sendable, Equatable {
    /// The 16-bit greyscale heightmap PNG and its record.
    public var heightmap: GeneratedFiles
    /// The shaded-relief preview PNG and its record.
    public var preview: GeneratedFiles?
}

/// Writes terrains: the heightmap as a 16-bit greyscale PNG (`v / 65535 * 22.16864013671875` metres) and a
/// shaded-relief preview `OUT.preview.png`, both labelled as AI-generated with their provenance records.
public enum TerrainWriter {
    /// The task name in provenance records.
    public static let task = "generate.terrain"
    /// How a reader gets metres back from a heightmap sample; recorded in every record.
    public static let heightEncoding = "metres = sample / 65535 * 22.16864013671875 (0 is the lowest point)"

    /// `OUT.preview.png` for a heightmap `OUT.png`.
    public static func previewPath(for path: String) -> String {
        (path as NSString).deletingPathExtension + ".preview.png"
    }

    /// The settings a record of `terrain` holds: what shaped it and how to read its samples.
    public static func provenanceSettings(for terrain: Terrain) -> [String: ProvenanceValue] {
        let settings = terrain.settings
        var values: [String: ProvenanceValue] = [
            "difficulty": .number(Double(settings.difficulty)),
            "difficulty_label": .number(Double(TerrainGenerator.label(difficulty: settings.difficulty))),
            "steps": .number(Double(settings.steps)),
            "sampler": .string(settings.sampler.rawValue),
            "schedule": .string(settings.schedule.description),
            "sigma_max": .number(TerrainGenerator.sigmaMax),
            "sigma_min": .number(TerrainGenerator.sigmaMin),
            "width": .number(Double(settings.width)),
            "height": .number(Double(settings.height)),
            "size_mode": .string(settings.sizeMode.rawValue),
            "noise": .string("GaussianNoise(seed), \(terrain.canvasHeight)x\(terrain.canvasWidth) canvas, row-major"),
            "height_range_m": .number(TerrainHeights.heightRange),
            "height_encoding": .string(heightEncoding),
            "sample_spacing_m": .number(TerrainRelief.sampleSpacing),
            "max_height_m": .number(Double(terrain.heights.max() ?? 0)),
        ]
        if settings.sizeMode == .tile { values["tile_overlap"] = .number(Double(settings.tileOverlap)) }
        return values
    }

    /// Writes `terrain` to `path` (a `.png`) and, with `preview`, its relief beside it.
    ///
    /// - Throws: `invalidArgument` for a path that does not end in `.png`; `writeFailed` naming the path when its
    ///   folder does not exist or the write fails.
    @discardableResult
    public static func write(_ terrain: Terrain, to path: String, model: ProvenanceModel, preview: Bool = true)
        throws -> TerrainFiles
    {
        guard (path as NSString).pathExtension.lowercased() == "png" else {
            throw MedleyError.invalidArgument(
                "\(path): a heightmap is written as a 16-bit PNG; give a path ending in .png")
        }
        try GeneratedMedia.requireOutputFolder(of: path)
        let settings = provenanceSettings(for: terrain)
        let png = try ImageIO.encodeGray16PNG(width: terrain.width, height: terrain.height,
                                              samples: TerrainHeights.samples(terrain.heights))
        let heightmap = try GeneratedMedia.writePNG(
            png, to: path,
            provenance: .created(task: task, models: [model], seed: terrain.seed, settings: settings))
        guard preview else { return TerrainFiles(heightmap: heightmap, preview: nil) }

        var previewSettings = settings
        previewSettings["rendering"] = .string("shaded relief: hillshade (Horn slopes) x hypsometric colour ramp")
        previewSettings["sun_azimuth_deg"] = .number(TerrainRelief.sunAzimuthDegrees)
        previewSettings["sun_altitude_deg"] = .number(TerrainRelief.sunAltitudeDegrees)
        previewSettings["vertical_exaggeration"] = .number(TerrainRelief.verticalExaggeration)
        previewSettings["preview_scale"] = .number(Double(TerrainRelief.scale(width: terrain.width,
                                                                              height: terrain.height)))
        let relief = try TerrainRelief.render(heights: terrain.heights, width: terrain.width, height: terrain.height)
        let previewFiles = try GeneratedMedia.writeImage(
            relief, to: previewPath(for: path),
            provenance: .created(task: task, models: [model], seed: terrain.seed, settings: previewSettings,
                                 ingredients: [try ProvenanceIngredient.file(path, relationship: "parentOf")]))
        return TerrainFiles(heightmap: heightmap, preview: previewFiles)
    }
}
