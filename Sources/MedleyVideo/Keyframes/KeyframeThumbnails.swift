import Foundation
import MedleyCore
import MedleyMedia

/// Saves keyframes as small JPEG (or PNG) pictures.
public enum KeyframeThumbnails {
    /// Default thumbnail width in pixels.
    public static let defaultWidth = ContactSheet.defaultThumbnailWidth

    /// Writes one thumbnail per keyframe into `directory` (created when missing) as `scene-0001.jpg`,
    /// `scene-0002.jpg`, ... (numbered by scene from 1), `width` pixels wide with the aspect ratio kept.
    /// Returns the paths written, in keyframe order.
    ///
    /// - Throws: `writeFailed` naming the folder or file that cannot be written.
    @discardableResult
    public static func save(_ keyframes: [Keyframe], directory: String, width: Int = defaultWidth,
                            fileExtension: String = "jpg", quality: Int = ImageIO.defaultQuality) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw MedleyError.writeFailed(path: directory, reason: "cannot create the folder")
        }
        var paths: [String] = []
        for keyframe in keyframes {
            let number = String(keyframe.sceneIndex + 1)
            let name = "scene-" + String(repeating: "0", count: max(0, 4 - number.count)) + number + "." + fileExtension
            let path = (directory as NSString).appendingPathComponent(name)
            try ImageIO.write(try thumbnail(of: keyframe, width: width), path: path, quality: quality)
            paths.append(path)
        }
        return paths
    }

    /// The keyframe's picture scaled to `width` pixels wide (aspect ratio kept; never enlarged).
    public static func thumbnail(of keyframe: Keyframe, width: Int = defaultWidth) throws -> Image {
        let image = keyframe.image
        guard width >= 1 else { throw MedleyError.invalidArgument("thumbnail width must be positive, got \(width)") }
        guard image.width > width else { return image }
        let height = max(1, Int((Double(image.height) * Double(width) / Double(image.width)).rounded()))
        return try ContactSheet.fitted(image, width: width, height: height)
    }
}
