import MedleyCore
import MedleyVision

/// A grid of keyframe thumbnails, each labelled with its scene's start time, in one image.
public enum ContactSheet {
    /// Default thumbnail width in pixels (a common preview size, e.g. YouTube's medium thumbnail is 320 px).
    public static let defaultThumbnailWidth = 320
    /// Default number of columns.
    public static let defaultColumns = 4
    /// Space between and around thumbnails, in pixels.
    static let margin = 8
    /// The sheet's background.
    static let background = DrawColor(red: 24, green: 24, blue: 24)
    /// The bitmap font is 6 x 10 pixels; drawn at twice that size the label stays legible on a 320 px tile.
    static let labelScale = 2

    /// Renders `keyframes` in rows of `columns`, each `thumbnailWidth` wide; the cell height follows the first
    /// keyframe's aspect ratio and other pictures are fitted inside their cell. Each tile is labelled with the
    /// time of its keyframe's scene start given in `sceneStarts` (by ``Keyframe/sceneIndex``), or the
    /// keyframe's own time when that is not given.
    ///
    /// The sheet is `columns * thumbnailWidth + (columns + 1) * 8` pixels wide and
    /// `rows * cellHeight + (rows + 1) * 8` high, with `rows = ceil(count / columns)`.
    ///
    /// - Throws: `invalidArgument` when there are no keyframes or a size is not positive.
    public static func render(_ keyframes: [Keyframe], columns: Int = defaultColumns,
                              thumbnailWidth: Int = defaultThumbnailWidth, sceneStarts: [Double]? = nil) throws -> Image {
        guard let first = keyframes.first else {
            throw MedleyError.invalidArgument("a contact sheet needs at least one keyframe")
        }
        guard columns >= 1, thumbnailWidth >= 1 else {
            throw MedleyError.invalidArgument("contact sheet columns and thumbnail width must be positive")
        }
        let cellHeight = max(1, Int((Double(thumbnailWidth) * Double(first.image.height)
                                     / Double(max(1, first.image.width))).rounded()))
        let usedColumns = min(columns, keyframes.count)
        let rows = (keyframes.count + columns - 1) / columns
        let sheetWidth = usedColumns * thumbnailWidth + (usedColumns + 1) * margin
        let sheetHeight = rows * cellHeight + (rows + 1) * margin
        var sheet = Image(width: sheetWidth, height: sheetHeight, format: .rgb8)
        sheet.fillRectangle(ImageRect(x: 0, y: 0, width: Double(sheetWidth), height: Double(sheetHeight)),
                            color: background)
        for (position, keyframe) in keyframes.enumerated() {
            let left = margin + (position % columns) * (thumbnailWidth + margin)
            let top = margin + (position / columns) * (cellHeight + margin)
            let tile = try fitted(keyframe.image, width: thumbnailWidth, height: cellHeight)
            paste(tile, into: &sheet, left: left + (thumbnailWidth - tile.width) / 2,
                  top: top + (cellHeight - tile.height) / 2)
            let start = sceneStarts.flatMap { keyframe.sceneIndex < $0.count ? $0[keyframe.sceneIndex] : nil }
            let label = timeLabel(start ?? keyframe.time)
            let textHeight = Image.textSize(label, scale: labelScale).height
            sheet.drawText(label, at: ImagePoint(x: Double(left + 2 * labelScale), y: Double(top + cellHeight - textHeight)),
                           color: .white, background: .black, scale: labelScale)
        }
        return sheet
    }

    /// `m:ss.s` below an hour, `h:mm:ss` above.
    public static func timeLabel(_ seconds: Double) -> String {
        let tenths = Int((max(0, seconds) * 10).rounded(.down))
        let totalSeconds = tenths / 10
        if totalSeconds >= 3600 {
            return "\(totalSeconds / 3600):" + twoDigits(totalSeconds / 60 % 60) + ":" + twoDigits(totalSeconds % 60)
        }
        return "\(totalSeconds / 60):" + twoDigits(totalSeconds % 60) + ".\(tenths % 10)"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `image` shrunk (area averaging) to fit inside `width` x `height`, keeping its aspect ratio.
    static func fitted(_ image: Image, width: Int, height: Int) throws -> Image {
        let scale = min(Double(width) / Double(max(1, image.width)), Double(height) / Double(max(1, image.height)))
        let w = max(1, min(width, Int((Double(image.width) * scale).rounded())))
        let h = max(1, min(height, Int((Double(image.height) * scale).rounded())))
        return try image.converted(to: .rgb8).resized(width: w, height: h, method: .area)
    }

    private static func paste(_ tile: Image, into sheet: inout Image, left: Int, top: Int) {
        let rowBytes = tile.width * 3
        for y in 0..<tile.height where top + y >= 0 && top + y < sheet.height {
            let source = y * tile.stride
            let destination = (top + y) * sheet.stride + left * 3
            guard left >= 0, left + tile.width <= sheet.width else { continue }
            sheet.pixels.replaceSubrange(destination..<(destination + rowBytes),
                                         with: tile.pixels[source..<(source + rowBytes)])
        }
    }
}
