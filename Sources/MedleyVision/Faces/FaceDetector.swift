import Foundation
import MedleyCore
import MedleyMedia
import MedleyModels
import MedleyRuntime

/// Settings of face detection; the defaults are MediaPipe's face detection solution (`model_selection=0`).
public struct FaceDetectionSettings: Sendable, Equatable {
    /// Faces scoring lower are dropped (`min_detection_confidence`).
    public var minimumScore: Float = 0.5
    /// Detections overlapping more than this IoU merge (`min_suppression_threshold`).
    public var suppressionThreshold: Float = 0.3
    /// When set, the image is also searched in overlapping square tiles of this many pixels (plus the whole
    /// frame), so that faces too small for the 128-pixel model input in a large picture are found. Nil: the whole
    /// frame only, as MediaPipe does.
    public var tileSize: Int?
    /// The smallest ``tileSize``: the model's input side.
    public static let minimumTileSize = BlazeFaceDecoding.inputSize

    public init(minimumScore: Float = 0.5, suppressionThreshold: Float = 0.3, tileSize: Int? = nil) {
        self.minimumScore = minimumScore
        self.suppressionThreshold = suppressionThreshold
        self.tileSize = tileSize
    }
}

/// Finds faces with MediaPipe's BlazeFace short-range model (TFLite, run by OpenVINO), with MediaPipe's pre- and
/// post-processing: the image letterboxed to 128x128 with corners aligned, 896 anchors, box and six keypoints
/// decoded, weighted non-maximum suppression, coordinates mapped back to the image.
///
/// The model is made for faces within about 2 m of the camera, filling a good part of the frame; small faces in
/// large pictures need ``FaceDetectionSettings/tileSize``.
///
/// Thread-safe: one detector can serve several callers at once.
public final class FaceDetector: Sendable {
    public let settings: FaceDetectionSettings
    let model: CompiledModel

    /// Catalog id of the model.
    public static let modelID = "blazeface-short-range"
    /// Tiles overlap by this fraction of their size, so a face cut by one tile's edge is whole in the next.
    static let tileOverlap = 0.25

    /// A detector over the model file and its sha256 (the compile cache key).
    public init(modelPath: String, cacheKey: String, settings: FaceDetectionSettings = FaceDetectionSettings()) throws {
        try requireReadableFile(modelPath)
        guard settings.tileSize.map({ $0 >= BlazeFaceDecoding.inputSize }) ?? true else {
            throw MedleyError.invalidArgument(
                "the tile size must be at least \(BlazeFaceDecoding.inputSize) pixels, got \(settings.tileSize ?? 0)")
        }
        model = try Runtime.compiledModel(path: modelPath, cacheKey: cacheKey, settings: CompileSettings(precision: .f32))
        guard model.outputs.count == 2 else {
            throw MedleyError.invalidModel(id: Self.modelID, reason: "expected 2 outputs, found \(model.outputs.count)")
        }
        self.settings = settings
    }

    /// A detector over the catalog model in a store, after the license policy and the store's checks.
    public convenience init(store: ModelStore, policy: LicensePolicy = .any,
                            settings: FaceDetectionSettings = FaceDetectionSettings()) throws {
        let weights = try store.weights(of: Self.modelID, policy: policy)
        try self.init(modelPath: weights.path, cacheKey: weights.key, settings: settings)
    }

    /// The faces in an image, highest score first.
    public func detect(_ image: Image) throws -> FaceDetectionResult {
        guard image.width > 0, image.height > 0 else {
            return FaceDetectionResult(faces: [], width: image.width, height: image.height)
        }
        var detections = try detections(in: image, region: nil)
        if let tile = settings.tileSize, max(image.width, image.height) > tile {
            for region in Self.tiles(width: image.width, height: image.height, size: tile) {
                try Task.checkCancellation()
                detections += try self.detections(in: image, region: region)
            }
            detections = BlazeFaceDecoding.weightedSuppression(detections, threshold: settings.suppressionThreshold)
        }
        let faces = detections.map { d in
            Face(box: ImageRect(x: Self.round(Double(d.minX)), y: Self.round(Double(d.minY)),
                                width: Self.round(Double(d.maxX - d.minX)), height: Self.round(Double(d.maxY - d.minY))),
                 score: (Double(d.score) * 10_000).rounded() / 10_000,
                 keypoints: d.keypoints.map { ImagePoint(x: Self.round(Double($0.x)), y: Self.round(Double($0.y))) })
        }
        return FaceDetectionResult(faces: faces.sorted { $0.score > $1.score }, width: image.width, height: image.height)
    }

    /// The faces in an image file, in the file's pixels (a huge picture is read shrunk, with a warning).
    public func detect(path: String) throws -> (result: FaceDetectionResult, warnings: [String]) {
        let loaded = try ImageLoader.load(path: path)
        return (try detect(loaded), loaded.warnings)
    }

    /// The faces in a loaded picture, in the original file's pixels.
    public func detect(_ loaded: LoadedImage) throws -> FaceDetectionResult {
        var result = try detect(loaded.image)
        if loaded.scaleX != 1 || loaded.scaleY != 1 {
            result.width = loaded.originalWidth
            result.height = loaded.originalHeight
            result.faces = result.faces.map { face in
                Face(box: ImageRect(x: face.box.x * loaded.scaleX, y: face.box.y * loaded.scaleY,
                                    width: face.box.width * loaded.scaleX, height: face.box.height * loaded.scaleY),
                     score: face.score,
                     keypoints: face.keypoints.map { ImagePoint(x: $0.x * loaded.scaleX, y: $0.y * loaded.scaleY) })
            }
        }
        return result
    }

    /// The faces in the frames of a video, `framesPerSecond` frames per second of video. `onFrame` sees each
    /// sampled frame with its faces (for annotating).
    public func detect(videoPath path: String, framesPerSecond: Double,
                       progress: any ProgressReporter = SilentProgress(),
                       onFrame: (VideoFrame, FaceDetectionResult) throws -> Void = { _, _ in }) throws -> VideoFaceResult {
        var frames: [FrameFaces] = []
        var width = 0, height = 0
        try ImageLoader.sampleFrames(path: path, framesPerSecond: framesPerSecond, stage: "faces",
                                     progress: progress) { frame in
            let result = try detect(frame.image)
            width = result.width
            height = result.height
            frames.append(FrameFaces(time: (frame.time * 1000).rounded() / 1000, faces: result.faces))
            try onFrame(frame, result)
        }
        return VideoFaceResult(frames: frames, width: width, height: height)
    }

    // MARK: - Steps

    /// Detections (after suppression) in image pixels, from the whole image or a square region of it.
    func detections(in image: Image, region: ImageRect?) throws -> [BlazeFaceDecoding.Detection] {
        let source = try region.map {
            try image.cropped(x: Int($0.x), y: Int($0.y), width: Int($0.width), height: Int($0.height))
        } ?? image
        let size = BlazeFaceDecoding.inputSize
        let letterbox = try source.letterboxed(width: size, height: size, alignment: .corners, fill: 0)
        let input = letterbox.image.tensor(layout: .nhwc, channelOrder: .rgb, normalization: .symmetricUnit)
        let outputs = try model.run([input])
        guard outputs.count == 2 else { throw MedleyError.runtime("BlazeFace returned \(outputs.count) outputs") }
        // regressors [1,896,16] and classificators [1,896,1], told apart by their last dimension.
        let (regressors, logits) = outputs[0].shape.last == BlazeFaceDecoding.valuesPerAnchor
            ? (outputs[0], outputs[1]) : (outputs[1], outputs[0])
        guard regressors.elementCount == BlazeFaceDecoding.anchors.count * BlazeFaceDecoding.valuesPerAnchor,
              logits.elementCount == BlazeFaceDecoding.anchors.count,
              regressors.elementType == .f32, logits.elementType == .f32 else {
            throw MedleyError.invalidModel(
                id: Self.modelID, reason: "unexpected outputs \(outputs[0].shape) and \(outputs[1].shape)")
        }
        var detections = regressors.withUnsafeRawBytes { r in
            logits.withUnsafeRawBytes { l in
                BlazeFaceDecoding.decode(regressors: r.bindMemory(to: Float.self), logits: l.bindMemory(to: Float.self),
                                         minimumScore: settings.minimumScore)
            }
        }
        detections = BlazeFaceDecoding.weightedSuppression(detections, threshold: settings.suppressionThreshold)
        // Normalised input coordinates to image pixels: x * S + origin (the letterbox's corner-aligned mapping).
        let s = Float(letterbox.sourcePerOutput) * Float(size)
        let ox = Float(letterbox.origin.x) + Float(region?.x ?? 0), oy = Float(letterbox.origin.y) + Float(region?.y ?? 0)
        return detections.map { d in
            var mapped = d
            mapped.minX = d.minX * s + ox
            mapped.maxX = d.maxX * s + ox
            mapped.minY = d.minY * s + oy
            mapped.maxY = d.maxY * s + oy
            mapped.keypoints = d.keypoints.map { SIMD2($0.x * s + ox, $0.y * s + oy) }
            return mapped
        }
    }

    /// Overlapping square tiles covering the image.
    static func tiles(width: Int, height: Int, size: Int) -> [ImageRect] {
        let step = max(1, Int(Double(size) * (1 - tileOverlap)))
        func starts(_ length: Int) -> [Int] {
            guard length > size else { return [0] }
            var values = Array(stride(from: 0, to: length - size, by: step))
            values.append(length - size)
            return values
        }
        return starts(height).flatMap { y in
            starts(width).map { x in
                ImageRect(x: Double(x), y: Double(y), width: Double(min(size, width)), height: Double(min(size, height)))
            }
        }
    }

    static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
