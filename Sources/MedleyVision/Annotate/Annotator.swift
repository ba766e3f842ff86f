import Foundation
import MedleyCore

/// Draws analysis results into a copy of the picture they came from, for `--annotate`: text boxes with their
/// text, face boxes with keypoints and scores.
///
/// Results may be in a larger frame than the picture (a huge file read shrunk): coordinates are scaled from the
/// result's size to the picture's. The output is RGB.
public enum Annotator {
    /// Line width in pixels for pictures up to about 1000 px; larger pictures get proportionally thicker lines.
    static let baseThickness = 2
    /// Label colours for text boxes and faces.
    static let textColor = DrawColor.green
    static let faceColor = DrawColor.red
    static let keypointColor = DrawColor.yellow

    /// `image` with every text line's box outlined and its text written above it.
    public static func draw(_ result: OCRResult, on image: Image) -> Image {
        var canvas = image.converted(to: .rgb8)
        let scale = Scale(from: (result.width, result.height), to: canvas)
        let thickness = lineThickness(for: canvas)
        for line in result.lines {
            let corners = line.box.corners.map(scale.apply)
            canvas.drawPolygon(corners, color: textColor, thickness: thickness)
            label(&canvas, line.text, above: corners.map(\.y).min() ?? 0, left: corners.map(\.x).min() ?? 0,
                  color: textColor, thickness: thickness)
        }
        return canvas
    }

    /// `image` with every face's box, keypoints and score drawn.
    public static func draw(_ faces: [Face], on image: Image, sourceWidth: Int, sourceHeight: Int) -> Image {
        var canvas = image.converted(to: .rgb8)
        let scale = Scale(from: (sourceWidth, sourceHeight), to: canvas)
        let thickness = lineThickness(for: canvas)
        for face in faces {
            let topLeft = scale.apply(ImagePoint(x: face.box.x, y: face.box.y))
            let bottomRight = scale.apply(ImagePoint(x: face.box.maxX, y: face.box.maxY))
            canvas.drawRectangle(ImageRect(corner: topLeft, bottomRight), color: faceColor, thickness: thickness)
            for point in face.keypoints {
                canvas.fillCircle(center: scale.apply(point), radius: Double(thickness) * 1.5, color: keypointColor)
            }
            label(&canvas, String(format: "face %.2f", face.score), above: topLeft.y, left: topLeft.x,
                  color: faceColor, thickness: thickness)
        }
        return canvas
    }

    /// Writes `text` in a box just above `above` (or inside the picture when there is no room).
    private static func label(_ canvas: inout Image, _ text: String, above top: Double, left: Double,
                              color: DrawColor, thickness: Int) {
        let fontScale = max(1, thickness / 2)
        let size = Image.textSize(text, scale: fontScale)
        let y = top - Double(size.height) - Double(thickness) >= 0 ? top - Double(size.height) - Double(thickness)
            : top + Double(thickness)
        canvas.drawText(text, at: ImagePoint(x: max(0, left), y: y), color: .black, background: color,
                        scale: fontScale)
    }

    static func lineThickness(for image: Image) -> Int {
        max(baseThickness, max(image.width, image.height) / 500)
    }

    /// Maps coordinates of a `width` x `height` frame onto the canvas.
    private struct Scale {
        let x: Double, y: Double
        init(from size: (Int, Int), to canvas: Image) {
            x = size.0 > 0 ? Double(canvas.width) / Double(size.0) : 1
            y = size.1 > 0 ? Double(canvas.height) / Double(size.1) : 1
        }
        func apply(_ p: ImagePoint) -> ImagePoint { ImagePoint(x: p.x * x, y: p.y * y) }
    }
}
