import Foundation
import MedleyCore
import MedleyMedia
import MedleyVideo
import MedleyWorkflow

/// `video.scenes`: the cuts between shots.
struct ScenesNode: NodeType {
    let name = "video.scenes"
    let version = 3 // 2: the damage counts are part of the output; 3: reference-frame scan, deblocking skipped
    let summary = "Find scene cuts (content, adaptive or threshold detector, PySceneDetect's rules and defaults)."
    let inputs = [
        InputSpec("video", .video, help: "The video."),
        InputSpec("detector", .string, default: "content",
                  constraint: .oneOf(SceneDetectionOptions.Detector.allCases.map(\.rawValue)), help: "Which detector."),
        InputSpec("threshold", .number, optional: true, constraint: .range(0, 255), help: "Detector threshold (default: the detector's)."),
        InputSpec("min_scene_len", .number, default: 15, constraint: .range(1, 100_000), help: "Shortest scene, in frames."),
    ]
    let outputs = [OutputSpec("scenes", .table, help: "{\"fps\", \"scenes\": [{\"start\", \"end\", \"start_frame\", \"end_frame\"}], \"cuts\", \"damaged_frames\", \"decode_errors\"}.")]

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        var options = SceneDetectionOptions()
        options.detector = SceneDetectionOptions.Detector(rawValue: try inputs.string("detector")) ?? .content
        options.threshold = try inputs.optionalNumber("threshold")
        options.minimumSceneLength = try inputs.integer("min_scene_len")
        let scenes = try await SceneDetector(options: options).detect(path: inputs.path("video"), progress: context.progress)
        // The scene list's JSON is `medley scenes --json`'s; the damage counts ride along for the report.
        var json = try JSONValue(encoding: scenes).objectValue ?? [:]
        json["damaged_frames"] = .number(Double(scenes.damagedFrames))
        json["decode_errors"] = .number(Double(scenes.decodeErrors))
        return ["scenes": .json(.object(json))]
    }
}

/// `video.keyframes`: the sharpest frame of each scene's middle half, as pictures.
struct KeyframesNode: NodeType {
    let name = "video.keyframes"
    let version = 2 // 2: frames written as they are found; the contact sheet is made from the thumbnails
    let summary = "Pick one keyframe per scene (the sharpest in its middle half): full-size frames, thumbnails, a contact sheet."
    let inputs = [
        InputSpec("video", .video, help: "The video."),
        InputSpec("scenes", .table, help: "Scenes from video.scenes."),
        InputSpec("thumbnail_width", .number, default: 320, constraint: .range(16, 4096), help: "Thumbnail width, px."),
    ]
    let outputs = [
        OutputSpec("frames", .images, help: "One full-size JPEG per scene (scene-000.jpg, ...), upright."),
        OutputSpec("thumbnails", .images, help: "The same frames, thumbnail-sized."),
        OutputSpec("contact_sheet", .image, help: "All thumbnails in a grid, labelled with scene start times."),
        OutputSpec("keyframes", .table, help: "[{\"scene\", \"time\", \"frame\", \"sharpness\"}] per keyframe."),
    ]

    /// Full-size keyframes are JPEG at this quality: small enough to cache, close enough to the frame for OCR.
    static let frameQuality = 95

    /// The contact sheet shows at most this many keyframes, evenly spread over the scenes (a long film can have
    /// hundreds; the thumbnails of all of them are in `thumbnails`).
    static let contactSheetLimit = 60

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let scenes = try inputs.decode("scenes", as: SceneList.self)
        let width = try inputs.integer("thumbnail_width")
        var frames: [WorkflowValue] = [], thumbnails: [WorkflowValue] = [], rows: [JSONValue] = []
        var small: [Keyframe] = [] // thumbnail-sized keyframes for the contact sheet; full frames go to disk at once
        try await KeyframeExtractor().extract(path: inputs.path("video"), scenes: scenes, progress: context.progress) { keyframe in
            let name = URL(fileURLWithPath: ReportLayout.keyframe(scene: keyframe.sceneIndex)).lastPathComponent
            let framePath = context.outputPath("frame-" + name)
            try ImageIO.write(keyframe.image, path: framePath, quality: Self.frameQuality)
            frames.append(.file(FileValue(path: framePath, name: name)))
            let thumbnail = try KeyframeThumbnails.thumbnail(of: keyframe, width: width)
            let thumbnailPath = context.outputPath(name)
            try ImageIO.write(thumbnail, path: thumbnailPath)
            thumbnails.append(.file(FileValue(path: thumbnailPath, name: name)))
            rows.append(.object(["scene": .number(Double(keyframe.sceneIndex)), "time": .number(keyframe.time),
                                 "frame": .number(Double(keyframe.frame)), "sharpness": .number(keyframe.sharpness)]))
            small.append(Keyframe(sceneIndex: keyframe.sceneIndex, time: keyframe.time, frame: keyframe.frame,
                                  sharpness: keyframe.sharpness, image: thumbnail))
        }
        guard !small.isEmpty else {
            throw MedleyError.invalidArgument("node '\(inputs.nodeID)': no frame could be decoded for any scene")
        }
        if small.count > Self.contactSheetLimit {
            let step = Double(small.count) / Double(Self.contactSheetLimit)
            small = (0..<Self.contactSheetLimit).map { small[Int(Double($0) * step)] }
        }
        let keyframes = small
        let sheetName = URL(fileURLWithPath: ReportLayout.contactSheet).lastPathComponent
        let sheetPath = context.outputPath(sheetName)
        let starts = scenes.scenes.map(\.start)
        try ImageIO.write(try ContactSheet.render(keyframes, thumbnailWidth: width, sceneStarts: starts), path: sheetPath)
        return [
            "frames": .list(frames), "thumbnails": .list(thumbnails),
            "contact_sheet": .file(FileValue(path: sheetPath, name: sheetName)), "keyframes": .json(.array(rows)),
        ]
    }
}
