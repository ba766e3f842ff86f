import MedleyCore

/// An opaque colour for drawing into images.
public struct DrawColor: Sendable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    /// A colour from its 8-bit components.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public static let red = DrawColor(red: 230, green: 25, blue: 75)
    public static let green = DrawColor(red: 60, green: 200, blue: 75)
    public static let blue = DrawColor(red: 0, green: 130, blue: 200)
    public static let yellow = DrawColor(red: 255, green: 225, blue: 25)
    public static let white = DrawColor(red: 255, green: 255, blue: 255)
    public static let black = DrawColor(red: 0, green: 0, blue: 0)
}

extension Image {
    /// Sets one pixel, ignoring positions outside the image. Grey images get the colour's luma; RGBA pixels
    /// become opaque.
    @inline(__always)
    mutating func plot(x: Int, y: Int, color: DrawColor) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let o = y * stride + x * format.bytesPerPixel
        switch format {
        case .gray8:
            pixels[o] = Image.luma(color.red, color.green, color.blue)
        case .rgb8, .rgba8:
            pixels[o] = color.red
            pixels[o + 1] = color.green
            pixels[o + 2] = color.blue
            if format == .rgba8 { pixels[o + 3] = 255 }
        }
    }

    /// Fills the axis-aligned rectangle (clipped to the image).
    public mutating func fillRectangle(_ rect: ImageRect, color: DrawColor) {
        let x0 = max(0, Int(rect.x.rounded(.down))), y0 = max(0, Int(rect.y.rounded(.down)))
        let x1 = min(width, Int(rect.maxX.rounded(.up))), y1 = min(height, Int(rect.maxY.rounded(.up)))
        guard x1 > x0, y1 > y0 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { plot(x: x, y: y, color: color) }
        }
    }

    /// Draws a straight line `thickness` pixels wide (Bresenham's line with a square pen).
    public mutating func drawLine(from start: ImagePoint, to end: ImagePoint, color: DrawColor, thickness: Int = 2) {
        guard start.x.isFinite, start.y.isFinite, end.x.isFinite, end.y.isFinite else { return }
        // Clamp far-away points so a huge coordinate cannot make the loop run for ever.
        let limit = Double(max(width, height) * 4 + 16)
        func clamp(_ v: Double) -> Int { Int(min(max(v, -limit), limit).rounded()) }
        var x = clamp(start.x), y = clamp(start.y)
        let x1 = clamp(end.x), y1 = clamp(end.y)
        let dx = abs(x1 - x), dy = -abs(y1 - y)
        let stepX = x < x1 ? 1 : -1, stepY = y < y1 ? 1 : -1
        var error = dx + dy
        let pen = max(1, thickness), low = -(pen - 1) / 2, high = pen / 2
        while true {
            for oy in low...high {
                for ox in low...high { plot(x: x + ox, y: y + oy, color: color) }
            }
            if x == x1 && y == y1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += stepX }
            if doubled <= dx { error += dx; y += stepY }
        }
    }

    /// Draws a closed polygon's outline.
    public mutating func drawPolygon(_ points: [ImagePoint], color: DrawColor, thickness: Int = 2) {
        guard points.count >= 2 else { return }
        for i in points.indices {
            drawLine(from: points[i], to: points[(i + 1) % points.count], color: color, thickness: thickness)
        }
    }

    /// Draws a rectangle's outline.
    public mutating func drawRectangle(_ rect: ImageRect, color: DrawColor, thickness: Int = 2) {
        drawPolygon([ImagePoint(x: rect.x, y: rect.y), ImagePoint(x: rect.maxX, y: rect.y),
                     ImagePoint(x: rect.maxX, y: rect.maxY), ImagePoint(x: rect.x, y: rect.maxY)],
                    color: color, thickness: thickness)
    }

    /// Fills a disc.
    public mutating func fillCircle(center: ImagePoint, radius: Double, color: DrawColor) {
        guard center.x.isFinite, center.y.isFinite, radius > 0, radius < Double(max(width, height)) else { return }
        let x0 = Int((center.x - radius).rounded(.down)), x1 = Int((center.x + radius).rounded(.up))
        let y0 = Int((center.y - radius).rounded(.down)), y1 = Int((center.y + radius).rounded(.up))
        for y in max(0, y0)...max(0, min(height - 1, y1)) {
            for x in max(0, x0)...max(0, min(width - 1, x1)) {
                let ddx = Double(x) + 0.5 - center.x, ddy = Double(y) + 0.5 - center.y
                if ddx * ddx + ddy * ddy <= radius * radius { plot(x: x, y: y, color: color) }
            }
        }
    }

    /// The size in pixels of `text` drawn by ``drawText(_:at:color:background:scale:)``.
    public static func textSize(_ text: String, scale: Int = 1) -> (width: Int, height: Int) {
        let s = max(1, scale)
        return (text.count * BitmapFont.glyphWidth * s, BitmapFont.glyphHeight * s)
    }

    /// Draws one line of text with the built-in 6x10 bitmap font (printable ASCII; anything else shows as
    /// "?"), its top-left corner at `origin`, each font pixel `scale` x `scale` image pixels, on an optional
    /// background box.
    public mutating func drawText(_ text: String, at origin: ImagePoint, color: DrawColor,
                                  background: DrawColor? = nil, scale: Int = 1) {
        let s = max(1, scale)
        guard origin.x.isFinite, origin.y.isFinite else { return }
        let left = Int(origin.x.rounded()), top = Int(origin.y.rounded())
        if let background {
            let size = Image.textSize(text, scale: s)
            fillRectangle(ImageRect(x: Double(left - s), y: Double(top),
                                    width: Double(size.width + 2 * s), height: Double(size.height)),
                          color: background)
        }
        for (index, character) in text.enumerated() {
            let glyphLeft = left + index * BitmapFont.glyphWidth * s
            if glyphLeft >= width { break }
            for (row, bits) in BitmapFont.rows(of: character).enumerated() where bits != 0 {
                for column in 0..<BitmapFont.glyphWidth where bits & (0x20 >> UInt8(column)) != 0 {
                    for dy in 0..<s {
                        for dx in 0..<s {
                            plot(x: glyphLeft + column * s + dx, y: top + row * s + dy, color: color)
                        }
                    }
                }
            }
        }
    }
}
