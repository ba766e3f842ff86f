/// A point in image coordinates: pixels, x to the right and y down, (0, 0) at the top-left corner of the
/// top-left pixel.
///
/// Encodes to JSON as a two-element array `[x, y]`.
public struct ImagePoint: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    /// The point (x, y).
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        x = try container.decode(Double.self)
        y = try container.decode(Double.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(x)
        try container.encode(y)
    }

    /// `(12.5, 40)`.
    public var description: String { "(\(x), \(y))" }

    /// The Euclidean distance to `other`.
    public func distance(to other: ImagePoint) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}

/// An axis-aligned rectangle in image coordinates.
///
/// Encodes to JSON as `[x, y, width, height]`, the layout of the `box` of a face.
public struct ImageRect: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    /// The rectangle with top-left corner (x, y) and the given size.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The rectangle between two corners, in any order.
    public init(corner a: ImagePoint, _ b: ImagePoint) {
        self.init(x: min(a.x, b.x), y: min(a.y, b.y), width: abs(b.x - a.x), height: abs(b.y - a.y))
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        x = try container.decode(Double.self)
        y = try container.decode(Double.self)
        width = try container.decode(Double.self)
        height = try container.decode(Double.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(x)
        try container.encode(y)
        try container.encode(width)
        try container.encode(height)
    }

    /// The right edge.
    public var maxX: Double { x + width }
    /// The bottom edge.
    public var maxY: Double { y + height }
    /// Width times height, 0 for an empty rectangle.
    public var area: Double { max(0, width) * max(0, height) }

    /// Intersection over union with `other`: 0 for disjoint rectangles, 1 for equal ones.
    public func intersectionOverUnion(_ other: ImageRect) -> Double {
        let overlapWidth = min(maxX, other.maxX) - max(x, other.x)
        let overlapHeight = min(maxY, other.maxY) - max(y, other.y)
        guard overlapWidth > 0, overlapHeight > 0 else { return 0 }
        let overlap = overlapWidth * overlapHeight
        let union = area + other.area - overlap
        return union > 0 ? overlap / union : 0
    }

    /// `[x, y, w, h]`.
    public var description: String { "[\(x), \(y), \(width), \(height)]" }
}

/// A quadrilateral given by four corners in the order top-left, top-right, bottom-right, bottom-left (the
/// corners of a text line's box, which may be rotated).
///
/// Encodes to JSON as `[[x, y], [x, y], [x, y], [x, y]]` in that order.
public struct ImageQuad: Sendable, Hashable, Codable {
    public var topLeft: ImagePoint
    public var topRight: ImagePoint
    public var bottomRight: ImagePoint
    public var bottomLeft: ImagePoint

    /// A quadrilateral from its corners.
    public init(topLeft: ImagePoint, topRight: ImagePoint, bottomRight: ImagePoint, bottomLeft: ImagePoint) {
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomRight = bottomRight
        self.bottomLeft = bottomLeft
    }

    /// The corners in order: top-left, top-right, bottom-right, bottom-left.
    public var corners: [ImagePoint] { [topLeft, topRight, bottomRight, bottomLeft] }

    /// The smallest axis-aligned rectangle holding the four corners.
    public var boundingRect: ImageRect {
        let xs = corners.map(\.x), ys = corners.map(\.y)
        let minX = xs.min() ?? 0, minY = ys.min() ?? 0
        return ImageRect(x: minX, y: minY, width: (xs.max() ?? 0) - minX, height: (ys.max() ?? 0) - minY)
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        topLeft = try container.decode(ImagePoint.self)
        topRight = try container.decode(ImagePoint.self)
        bottomRight = try container.decode(ImagePoint.self)
        bottomLeft = try container.decode(ImagePoint.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for corner in corners { try container.encode(corner) }
    }
}
