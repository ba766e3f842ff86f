import Foundation
import MedleyCore
import MedleyMedia
import MedleyModels
import MedleyRuntime

/// Settings of the OCR pipeline; the defaults are RapidOCR 1.4.4's `config.yaml`.
public struct OCRSettings: Sendable, Equatable {
    /// DB post-processing of the text detector.
    public var detection = TextDetectionSettings()
    /// Run the 0/180° direction classifier on each line (`use_cls`).
    public var classifyAngle = true
    /// A line is turned when the classifier says "180" with more than this probability (`cls_thresh`).
    public var angleThreshold: Float = 0.9
    /// Lines read with a lower confidence are dropped (`text_score`).
    public var minimumConfidence: Float = 0.5
    /// Images with a longer side are shrunk to it first (`max_side_len`).
    public var maxSideLength = 2000
    /// Images with a shorter side are enlarged to it first (`min_side_len`).
    public var minSideLength = 30
    /// Images this low or lower get black bars above and below before detection (`min_height`).
    public var minHeight = 30
    /// ... and so do images wider than this many times their height (`width_height_ratio`).
    public var maxAspectRatio = 8
    /// Lines recognised per model call, sorted by aspect ratio and padded to the widest of the group
    /// (`rec_batch_num`). The padding changes what the model reads (mostly word spaces): 6 gives RapidOCR's
    /// results; 1 reads each line at its own width.
    public var recognitionBatchSize = TextRecognizer.batchSize

    public init() {}
}

/// Reads text in images and video frames with PP-OCRv4 (detector, direction classifier, recogniser), following
/// RapidOCR 1.4.4 step by step so that the same image gives the same lines (notes/vision-models.md, section 2).
///
/// ```swift
/// let ocr = try OCREngine(store: ModelStore(root: ModelStore.defaultRoot()))
/// let result = try ocr.read(path: "screenshot.png")
/// for line in result.lines { print(line.text, line.confidence) }
/// ```
///
/// Lines come in RapidOCR's order: by the top-left corner's y, then x, with neighbours whose tops are within
/// 10 px swapped into left-to-right order. That groups lines on the same row; it is not a full layout analysis
/// (side-by-side columns interleave).
///
/// Thread-safe: one engine can serve several callers at once (each call borrows its own inference requests).
public final class OCREngine: Sendable {
    public let settings: OCRSettings
    let detector: TextDetector
    let classifier: TextAngleClassifier
    let recognizer: TextRecognizer

    /// Catalog ids of the three models.
    public static let detectorModelID = "ppocr-v4-det"
    public static let classifierModelID = "ppocr-mobile-v2-cls"
    public static let recognizerModelID = "ppocr-v4-rec"
    /// RapidOCR pads flat images with rows of this many times the width over the aspect limit (`_get_padding_h`).
    static let paddingFactor = 2

    /// An engine over model files: the three ONNX files and their sha256 (the compile cache keys).
    ///
    /// - Throws: `fileNotFound` and friends for a missing file, `invalidModel` when the recogniser has no
    ///   `character` metadata, `runtime` when OpenVINO cannot compile a model.
    public init(detectorPath: String, detectorKey: String, classifierPath: String, classifierKey: String,
                recognizerPath: String, recognizerKey: String, settings: OCRSettings = OCRSettings()) throws {
        for path in [detectorPath, classifierPath, recognizerPath] { try requireReadableFile(path) }
        let metadata = try ONNXMetadata.read(path: recognizerPath)
        guard let characters = metadata["character"], !characters.isEmpty else {
            throw MedleyError.invalidModel(
                id: Self.recognizerModelID,
                reason: "\(recognizerPath) has no 'character' metadata (keys: \(metadata.keys.sorted()))")
        }
        let compile = CompileSettings(precision: .f32)
        detector = TextDetector(
            model: try Runtime.compiledModel(path: detectorPath, cacheKey: detectorKey, settings: compile),
            settings: settings.detection)
        classifier = TextAngleClassifier(
            model: try Runtime.compiledModel(path: classifierPath, cacheKey: classifierKey, settings: compile),
            threshold: settings.angleThreshold)
        recognizer = TextRecognizer(
            model: try Runtime.compiledModel(path: recognizerPath, cacheKey: recognizerKey, settings: compile),
            decoder: CTCDecoder(characterList: characters), batchSize: max(1, settings.recognitionBatchSize))
        self.settings = settings
    }

    /// An engine over the catalog models in a store, after the license policy and the store's checks.
    public convenience init(store: ModelStore, policy: LicensePolicy = .any, settings: OCRSettings = OCRSettings())
        throws {
        let detector = try store.weights(of: Self.detectorModelID, policy: policy)
        let classifier = try store.weights(of: Self.classifierModelID, policy: policy)
        let recognizer = try store.weights(of: Self.recognizerModelID, policy: policy)
        try self.init(detectorPath: detector.path, detectorKey: detector.key, classifierPath: classifier.path,
                      classifierKey: classifier.key, recognizerPath: recognizer.path, recognizerKey: recognizer.key,
                      settings: settings)
    }

    // MARK: - Reading

    /// The text in an image already in memory. An image without text gives no lines (not an error).
    public func read(_ image: Image) throws -> OCRResult {
        let rawWidth = image.width, rawHeight = image.height
        guard rawWidth > 0, rawHeight > 0 else { return OCRResult(lines: [], width: rawWidth, height: rawHeight) }
        let (scaled, ratioX, ratioY) = try guardedSize(Self.rapidOCRInput(image))
        // Flat strips get black bars above and below so that the detector sees enough context.
        var padTop = 0
        var working = scaled
        if scaled.height <= settings.minHeight
            || Double(scaled.width) / Double(scaled.height) > Double(settings.maxAspectRatio) {
            let target = max(scaled.width / settings.maxAspectRatio, settings.minHeight) * Self.paddingFactor
            padTop = abs(target - scaled.height) / 2
            working = scaled.padded(top: padTop, bottom: padTop)
        }
        let boxes = LineOrder.sorted(try detector.detect(working))
        var kept: [[SIMD2<Float>]] = []
        var crops: [Image] = []
        for box in boxes {
            guard let crop = working.perspectiveCrop(box) else { continue }
            kept.append(box)
            crops.append(crop)
        }
        if settings.classifyAngle && !crops.isEmpty { crops = try classifier.orient(crops) }
        let texts = crops.isEmpty ? [] : try recognizer.recognize(crops)
        var lines: [TextLine] = []
        for (box, read) in zip(kept, texts) where read.confidence >= settings.minimumConfidence {
            let corners = box.map { corner -> ImagePoint in
                let x = min(max(Double(corner.x) * ratioX, 0), Double(rawWidth))
                let y = min(max((Double(corner.y) - Double(padTop)) * ratioY, 0), Double(rawHeight))
                return ImagePoint(x: (x * 100).rounded() / 100, y: (y * 100).rounded() / 100)
            }
            lines.append(TextLine(text: read.text, confidence: (Double(read.confidence) * 1_000_000).rounded() / 1_000_000,
                                  box: ImageQuad(topLeft: corners[0], topRight: corners[1], bottomRight: corners[2],
                                                 bottomLeft: corners[3])))
        }
        return OCRResult(lines: lines, width: rawWidth, height: rawHeight)
    }

    /// The text in an image file, with boxes in the file's pixels. Pictures too large to decode in full are read
    /// shrunk (see ``ImageLoader/load(path:maxPixels:)``); its warning is returned alongside.
    public func read(path: String) throws -> (result: OCRResult, warnings: [String]) {
        let loaded = try ImageLoader.load(path: path)
        return (try read(loaded), loaded.warnings)
    }

    /// The text in a loaded picture, with boxes in the original file's pixels.
    public func read(_ loaded: LoadedImage) throws -> OCRResult {
        Self.rescaled(try read(loaded.image), by: loaded)
    }

    /// The text in the frames of a video, `framesPerSecond` frames per second of video.
    public func read(videoPath path: String, framesPerSecond: Double,
                     progress: any ProgressReporter = SilentProgress()) throws -> VideoOCRResult {
        var frames: [FrameText] = []
        var width = 0, height = 0
        try ImageLoader.sampleFrames(path: path, framesPerSecond: framesPerSecond, stage: "ocr",
                                     progress: progress) { frame in
            let result = try read(frame.image)
            width = result.width
            height = result.height
            frames.append(FrameText(time: (frame.time * 1000).rounded() / 1000, lines: result.lines))
        }
        return VideoOCRResult(frames: frames, width: width, height: height)
    }

    // MARK: - Steps

    /// RapidOCR's reading of a file: 3 colour channels (grey stays grey here, which is the same to every step),
    /// and RGBA with its quirk: transparent pixels set to black, then the whole picture inverted, except when that
    /// leaves all black, where 255 - alpha is added instead (notes/vision-models.md, section 2.1).
    static func rapidOCRInput(_ image: Image) -> Image {
        let packed = image.packed()
        guard packed.format == .rgba8 else { return packed }
        let count = packed.width * packed.height
        var rgb = [UInt8](repeating: 0, count: count * 3)
        var anyLight = false
        for i in 0..<count where packed.pixels[i * 4 + 3] != 0 {
            for c in 0..<3 {
                rgb[i * 3 + c] = packed.pixels[i * 4 + c]
                if packed.pixels[i * 4 + c] != 0 { anyLight = true }
            }
        }
        for i in 0..<count {
            let alpha = packed.pixels[i * 4 + 3]
            for c in 0..<3 {
                rgb[i * 3 + c] = anyLight ? 255 - rgb[i * 3 + c] : UInt8(min(255, Int(rgb[i * 3 + c]) + 255 - Int(alpha)))
            }
        }
        return Image(width: packed.width, height: packed.height, format: .rgb8, pixels: rgb)
    }

    /// RapidOCR's size guards: the long side shrunk to `maxSideLength`, then the short side raised to
    /// `minSideLength`, both to multiples of 32. Returns the image and the original pixels per working pixel.
    func guardedSize(_ image: Image) throws -> (Image, Double, Double) {
        var current = image
        var ratioX = 1.0, ratioY = 1.0
        func resize(by ratio: Double) throws {
            let width = max(TextDetector.sizeMultiple, TextDetector.roundToMultiple(Int(Double(current.width) * ratio)))
            let height = max(TextDetector.sizeMultiple,
                             TextDetector.roundToMultiple(Int(Double(current.height) * ratio)))
            ratioX *= Double(current.width) / Double(width)
            ratioY *= Double(current.height) / Double(height)
            current = try current.resized(width: width, height: height, method: .bilinear)
        }
        let longSide = max(current.width, current.height)
        if longSide > settings.maxSideLength { try resize(by: Double(settings.maxSideLength) / Double(longSide)) }
        let shortSide = min(current.width, current.height)
        if shortSide < settings.minSideLength { try resize(by: Double(settings.minSideLength) / Double(shortSide)) }
        return (current, ratioX, ratioY)
    }

    /// A result for a shrunk picture moved back to the file's pixels.
    static func rescaled(_ result: OCRResult, by loaded: LoadedImage) -> OCRResult {
        guard loaded.scaleX != 1 || loaded.scaleY != 1 else { return result }
        var copy = result
        copy.width = loaded.originalWidth
        copy.height = loaded.originalHeight
        copy.lines = result.lines.map { line in
            var line = line
            let scale = { (p: ImagePoint) in
                ImagePoint(x: (p.x * loaded.scaleX * 100).rounded() / 100, y: (p.y * loaded.scaleY * 100).rounded() / 100)
            }
            line.box = ImageQuad(topLeft: scale(line.box.topLeft), topRight: scale(line.box.topRight),
                                 bottomRight: scale(line.box.bottomRight), bottomLeft: scale(line.box.bottomLeft))
            return line
        }
        return copy
    }
}

/// RapidOCR's `sorted_boxes`: by the top-left corner's (y, x); then, walking down the list, a box whose top is
/// within 10 px of the one before it and further left is bubbled in front of it.
enum LineOrder {
    /// Tops closer than this are on one row (RapidOCR's constant).
    static let rowTolerance: Float = 10

    static func sorted(_ boxes: [[SIMD2<Float>]]) -> [[SIMD2<Float>]] {
        var result = boxes.enumerated().sorted {
            let a = $0.element[0], b = $1.element[0]
            if a.y != b.y { return a.y < b.y }
            if a.x != b.x { return a.x < b.x }
            return $0.offset < $1.offset
        }.map(\.element)
        guard result.count > 1 else { return result }
        for i in 0..<(result.count - 1) {
            var j = i
            while j >= 0 {
                if abs(result[j + 1][0].y - result[j][0].y) < rowTolerance && result[j + 1][0].x < result[j][0].x {
                    result.swapAt(j, j + 1)
                    j -= 1
                } else {
                    break
                }
            }
        }
        return result
    }
}

extension ModelStore {
    /// The weights file of an installed model and its sha256, after the license policy and the store's checks.
    func weights(of id: String, policy: LicensePolicy) throws -> (path: String, key: String) {
        let model = try resolve(id: id, policy: policy)
        guard let weights = model.card.file(role: "weights") else {
            throw MedleyError.invalidModel(id: id, reason: "its card lists no file with role 'weights'")
        }
        return (try model.url(role: "weights").path, weights.sha256)
    }
}
