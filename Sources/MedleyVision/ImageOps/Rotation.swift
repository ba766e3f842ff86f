import Foundation
import MedleyCore

/// A rotation by a multiple of 90 degrees.
public enum QuarterTurn: Int, Sendable, CaseIterable {
    /// 90 degrees clockwise.
    case clockwise = 90
    /// 180 degrees.
    case halfTurn = 180
    /// 90 degrees counter-clockwise (270 clockwise).
    case counterClockwise = 270
}

extension Image {
    /// The picture turned by a quarter or half turn, exactly (pixels are moved, not resampled).
    public func rotated(_ turn: QuarterTurn) -> Image {
        let channels = format.bytesPerPixel
        let outWidth = turn == .halfTurn ? width : height
        let outHeight = turn == .halfTurn ? height : width
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * channels)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        // Where output (x, y) comes from.
                        let (sx, sy): (Int, Int)
                        switch turn {
                        case .clockwise: (sx, sy) = (y, height - 1 - x)
                        case .halfTurn: (sx, sy) = (width - 1 - x, height - 1 - y)
                        case .counterClockwise: (sx, sy) = (width - 1 - y, x)
                        }
                        let from = sy * stride + sx * channels, to = (y * outWidth + x) * channels
                        for c in 0..<channels { dst[to + c] = src[from + c] }
                    }
                }
            }
        }
        return Image(width: outWidth, height: outHeight, format: format, pixels: out)
    }

    /// The picture rotated by any angle, clockwise for positive `degrees`, about its centre, on a canvas grown to
    /// hold all of it; the corners are filled with `fill` (every channel byte). Bilinear sampling.
    ///
    /// Multiples of 90 degrees take the exact path of ``rotated(_:)``.
    public func rotated(degrees: Double, fill: UInt8 = 0) -> Image {
        let normalised = (degrees.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360)
        if normalised == 0 { return packed() }
        if let turn = QuarterTurn(rawValue: Int(normalised)), Double(turn.rawValue) == normalised {
            return rotated(turn)
        }
        let radians = normalised * .pi / 180
        let c = cos(radians), s = sin(radians)
        let outWidth = Int((Double(width) * abs(c) + Double(height) * abs(s)).rounded(.up))
        let outHeight = Int((Double(width) * abs(s) + Double(height) * abs(c)).rounded(.up))
        // Output pixel centre (x + 0.5, y + 0.5), taken about the output centre and turned back (counter-clockwise,
        // with y pointing down), gives the source position about the source centre; indices are centres - 0.5.
        let ocx = Double(outWidth) / 2, ocy = Double(outHeight) / 2
        let icx = Double(width) / 2, icy = Double(height) / 2
        let tx = c * (0.5 - ocx) + s * (0.5 - ocy) + icx - 0.5
        let ty = -s * (0.5 - ocx) + c * (0.5 - ocy) + icy - 0.5
        let map = Homography(c, s, tx, -s, c, ty, 0, 0, 1)
        return warped(sourceFromOutput: map, width: outWidth, height: outHeight, interpolation: .bilinear,
                      border: .constant(fill))
    }
}
