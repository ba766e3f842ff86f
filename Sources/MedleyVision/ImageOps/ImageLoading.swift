import MedleyCore
import MedleyMedia

/// A picture read for analysis, possibly shrunk to bound memory, with what is needed to report results in the
/// file's own coordinates.
public struct LoadedImage: Sendable {
    /// The decoded picture (upright; at most ``ImageLoader/defaultMaxPixels`` pixels unless told otherwise).
    public var image: Image
    /// The file's picture size, upright, before any shrinking.
    public var originalWidth: Int
    public var originalHeight: Int
    /// Things the caller should tell the user (the image was shrunk).
    public var warnings: [String]

    /// A loaded picture and the size of the file's own picture.
    public init(image: Image, originalWidth: Int, originalHeight: Int, warnings: [String] = []) {
        self.image = image
        self.originalWidth = originalWidth
        self.originalHeight = originalHeight
        self.warnings = warnings
    }

    /// Original pixels per decoded pixel along x and y (1 unless shrunk).
    public var scaleX: Double { Double(originalWidth) / Double(max(1, image.width)) }
    public var scaleY: Double { Double(originalHeight) / Double(max(1, image.height)) }
}

/// Reads still images and samples video frames for the vision tasks.
public enum ImageLoader {
    /// Pictures with more pixels than this are decoded shrunk (keeping the aspect ratio) with a warning: 50
    /// megapixels covers 48 MP phone photos at full size and keeps a decoded RGB picture under 150 MB. Medley's
    /// own choice; every model here works on far smaller inputs (PP-OCR caps the long side at 2000 px).
    public static let defaultMaxPixels = 50_000_000

    /// True when FFmpeg reads `path` as a single still picture (PNG, JPEG, WebP, BMP, TIFF...) rather than as a
    /// video or an animation.
    ///
    /// - Throws: `fileNotFound`, `isDirectory`, `emptyFile`, `unreadableMedia`.
    public static func isStillImage(path: String) throws -> Bool {
        let info = try MediaProbe.probe(path: path)
        guard info.firstStream(ofType: "video") != nil else {
            throw MedleyError.noStream(path: path, kind: "image or video")
        }
        // FFmpeg's still-image demuxers: `image2` (by extension) and the `*_pipe` ones (by content).
        return info.format == "image2" || info.format.hasSuffix("_pipe")
    }

    /// Decodes the image at `path`, upright (EXIF orientation applied).
    ///
    /// A picture larger than `maxPixels` is decoded shrunk to fit (FFmpeg's decoder still holds one frame of the
    /// file's size in its own pixel format; Medley's copies are of the shrunk size), and a warning says so. The
    /// shrunk path goes through the video decoder, so it returns RGB and ignores EXIF orientation.
    ///
    /// - Throws: `fileNotFound`, `isDirectory`, `emptyFile`, `unreadableMedia` (not an image), `noStream`,
    ///   `unsupportedCodec`, `invalidArgument` (a non-positive `maxPixels`).
    public static func load(path: String, maxPixels: Int = defaultMaxPixels) throws -> LoadedImage {
        guard maxPixels > 0 else {
            throw MedleyError.invalidArgument("the pixel limit must be positive, got \(maxPixels)")
        }
        try requireReadableFile(path)
        // Large PNGs stream through Medley's own reader: FFmpeg would hold the whole frame (and refuses pictures
        // over about 268 megapixels).
        if let size = LargePNGReader.size(path: path), size.width * size.height > maxPixels {
            let image = try LargePNGReader.read(path: path, maxPixels: maxPixels)
            return LoadedImage(image: image, originalWidth: size.width, originalHeight: size.height,
                               warnings: [shrinkWarning(path, size.width, size.height, image, maxPixels)])
        }
        let info = try MediaProbe.probe(path: path)
        if let stream = info.firstStream(ofType: "video"), let width = stream.width, let height = stream.height,
           width > 0, height > 0, width * height > maxPixels {
            let factor = (Double(maxPixels) / Double(width * height)).squareRoot()
            let targetWidth = max(1, Int(Double(width) * factor)), targetHeight = max(1, Int(Double(height) * factor))
            let decoder = try VideoDecoder(path: path, options: VideoDecodeOptions(
                width: targetWidth, height: targetHeight, keepAspectRatio: true, threadCount: 1))
            guard let frame = try decoder.nextFrame() else {
                throw MedleyError.unreadableMedia(path: path, reason: "no picture could be decoded")
            }
            return LoadedImage(image: frame.image, originalWidth: width, originalHeight: height,
                               warnings: [shrinkWarning(path, width, height, frame.image, maxPixels)])
        }
        let image = try ImageIO.read(path: path)
        return LoadedImage(image: image, originalWidth: image.width, originalHeight: image.height)
    }

    /// Calls `body` with frames of the video at `path`, `framesPerSecond` of them per second of video (the first
    /// frame at or after each tick), each shrunk to at most `maxPixels`. Checks for cancellation between frames
    /// and reports progress in seconds of video.
    ///
    /// - Throws: what ``MedleyMedia/VideoDecoder`` throws, `invalidArgument` for a non-positive rate,
    ///   `CancellationError`, and whatever `body` throws.
    public static func sampleFrames(
        path: String, framesPerSecond: Double, maxPixels: Int = defaultMaxPixels, stage: String,
        progress: any ProgressReporter = SilentProgress(), body: (VideoFrame) throws -> Void
    ) throws {
        guard framesPerSecond > 0, framesPerSecond.isFinite else {
            throw MedleyError.invalidArgument("frames per second must be a positive number, got \(framesPerSecond)")
        }
        guard maxPixels > 0 else {
            throw MedleyError.invalidArgument("the pixel limit must be positive, got \(maxPixels)")
        }
        var options = VideoDecodeOptions(frameRate: framesPerSecond)
        let probe = try VideoDecoder(path: path)
        if probe.width * probe.height > maxPixels {
            let factor = (Double(maxPixels) / Double(probe.width * probe.height)).squareRoot()
            options.width = max(1, Int(Double(probe.width) * factor))
            options.height = max(1, Int(Double(probe.height) * factor))
        }
        let decoder = try VideoDecoder(path: path, options: options)
        while let frame = try decoder.nextFrame() {
            if Task.isCancelled { throw CancellationError() }
            try body(frame)
            progress.report(ProgressEvent(stage: stage, completed: frame.time, total: decoder.duration, unit: "s"))
        }
    }

    private static func shrinkWarning(_ path: String, _ width: Int, _ height: Int, _ image: Image, _ limit: Int) -> String {
        "\(path) is \(width)x\(height) (\(megapixels(width * height)) MP); decoded shrunk to \(image.width)x\(image.height) "
            + "to bound memory (limit \(megapixels(limit)) MP); results are in the original's coordinates"
    }

    private static func megapixels(_ pixels: Int) -> String {
        String(Double(pixels / 100_000) / 10)
    }
}
