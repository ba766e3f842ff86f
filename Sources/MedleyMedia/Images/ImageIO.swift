import Foundation
import MedleyCore

/// Reads and writes still images (PNG, JPEG, WebP) through FFmpeg's image codecs.
///
/// Both functions are safe to call from any thread: each call owns its FFmpeg contexts.
public enum ImageIO {
    /// The JPEG and WebP quality used when none is given (1-100).
    public static let defaultQuality = 90

    /// Decodes the image at `path` to 8-bit pixels, upright.
    ///
    /// Reads PNG (8- and 16-bit, gray, palette, alpha), JPEG (baseline and progressive, gray, CMYK) and
    /// WebP, and any other single picture FFmpeg decodes. The result is ``Image/PixelFormat/gray8`` when the
    /// source is gray without alpha, ``Image/PixelFormat/rgba8`` when it has an alpha channel (a palette
    /// counts when one of its entries is not opaque), ``Image/PixelFormat/rgb8`` otherwise. JPEG has no
    /// alpha: CMYK is converted to RGB. A JPEG's EXIF orientation (all eight values) is applied. Rows are
    /// packed (`stride == width * bytesPerPixel`). For a multi-frame file (animated WebP, a video) the
    /// first frame is returned. Damaged data is an error, not a concealed (grey or smeared) picture.
    ///
    /// - Throws: `fileNotFound`, `isDirectory`, `emptyFile`, `unreadableMedia` (corrupt or not an image),
    ///   `noStream`, `unsupportedCodec`.
    public static func read(path: String) throws -> Image {
        try ImageReader(path: path).read()
    }

    /// Encodes `image` to `path`, choosing the format from the extension: `.png` (lossless, keeps alpha and
    /// gray), `.jpg`/`.jpeg` (4:2:0, full range; alpha is dropped), `.webp` (lossy, keeps alpha; needs
    /// FFmpeg's libwebp encoder).
    ///
    /// The file is written atomically: a partial file is never left at `path`.
    ///
    /// - Parameter quality: 1 (smallest) to 100 (best), for JPEG and WebP; ignored for PNG.
    /// - Throws: `invalidArgument` (unknown extension, bad quality, empty image), `unsupportedCodec` (no
    ///   encoder for the format in this FFmpeg), `writeFailed`.
    public static func write(_ image: Image, path: String, quality: Int = defaultQuality) throws {
        try ImageWriter(image: image, path: path, quality: quality).write()
    }

    /// The bytes ``write(_:path:quality:)`` would write to `path` (the format comes from its extension), for
    /// callers that add to the file before writing it (provenance labels).
    ///
    /// - Throws: as ``write(_:path:quality:)``, except `writeFailed` for the file itself.
    public static func encode(_ image: Image, forPath path: String, quality: Int = defaultQuality) throws -> Data {
        try ImageWriter(image: image, path: path, quality: quality).encoded()
    }
}
