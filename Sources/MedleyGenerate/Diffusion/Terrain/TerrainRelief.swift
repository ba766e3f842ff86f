import Foundation
import MedleyCore

/// A shaded-relief picture of a heightmap, for people: hypsometric colours lit by a hillshade.
///
/// The shading is the standard cartographic hillshade (ESRI's and GDAL's `gdaldem hillshade` formula, slopes by
/// Horn's 3x3 method): `shade = cos(zenith) cos(slope) + sin(zenith) sin(slope) cos(azimuth - aspect)`, clamped at
/// 0, with the sun at ``sunAzimuthDegrees`` and ``sunAltitudeDegrees``. The colour runs from dark green at the
/// map's lowest point through olive and tan to brown and near-white at its highest (the ramp is relative to each
/// map, so gentle maps show their relief too; the 16-bit heightmap holds the metres). Each pixel is
/// `colour * (ambient + (1 - ambient) * shade)`, slopes exaggerated ``verticalExaggeration`` times. Pictures of
/// maps smaller than ``minimumSide`` are enlarged by a whole factor (bilinear), so the preview is at least that big.
public enum TerrainRelief {
    /// The sun's direction, clockwise from north (up): north-west, the cartographic convention and GDAL's default.
    public static let sunAzimuthDegrees = 315.0
    /// The sun's height above the horizon: GDAL's default.
    public static let sunAltitudeDegrees = 45.0
    /// Metres between neighbouring samples: the package's default `horizontal_scale` for simulators.
    public static let sampleSpacing = 0.1
    /// Slopes are shaded as if `verticalExaggeration` times steeper: the maps are gentle (mean slope 7 % at
    /// difficulty 1, 30 % at 100, measured on the package's output), and at true scale their relief barely shows.
    public static let verticalExaggeration = 3.0
    /// Light that reaches slopes facing away from the sun, so they keep their colour.
    public static let ambient = 0.35
    /// The preview's smallest long side, in pixels.
    public static let minimumSide = 512
    /// The largest enlargement.
    static let maximumScale = 8

    /// The colour ramp: (position from lowest 0 to highest 1, R, G, B).
    static let ramp: [(Double, Double, Double, Double)] = [
        (0.00, 46, 102, 52),    // dark green
        (0.30, 134, 166, 86),   // olive
        (0.55, 196, 178, 120),  // tan
        (0.80, 150, 110, 80),   // brown
        (1.00, 245, 245, 240),  // near white
    ]

    /// The enlargement applied to a `width` x `height` map.
    public static func scale(width: Int, height: Int) -> Int {
        let long = max(width, height, 1)
        return min(maximumScale, max(1, (minimumSide + long - 1) / long))
    }

    /// The relief picture of `heights` (metres, row-major), RGB.
    ///
    /// Shade and colour are computed at the map's own resolution and the picture is then enlarged (bilinear on the
    /// shaded colours): enlarging the heights first would shade the creases of the interpolation as a grid.
    public static func render(heights: [Float], width: Int, height: Int) throws -> Image {
        guard width > 0, height > 0, heights.count == width * height else {
            throw MedleyError.invalidArgument(
                "a relief needs width x height heights, got \(heights.count) for \(width)x\(height)")
        }
        let lowest = Double(heights.min() ?? 0), highest = Double(heights.max() ?? 0)
        let span = max(highest - lowest, 1e-6)
        let zenith = (90 - sunAltitudeDegrees) * Double.pi / 180
        // The formula's azimuth is mathematical (counter-clockwise from east).
        var azimuth = (360 - sunAzimuthDegrees + 90) * Double.pi / 180
        if azimuth >= 2 * Double.pi { azimuth -= 2 * Double.pi }

        var planes = [[Float]](repeating: [Float](repeating: 0, count: width * height), count: 3)
        func at(_ x: Int, _ y: Int) -> Double {
            Double(heights[min(max(y, 0), height - 1) * width + min(max(x, 0), width - 1)])
        }
        for y in 0..<height {
            for x in 0..<width {
                let a = at(x - 1, y - 1), b = at(x, y - 1), c = at(x + 1, y - 1)
                let d = at(x - 1, y), f = at(x + 1, y)
                let g = at(x - 1, y + 1), h = at(x, y + 1), i = at(x + 1, y + 1)
                let dzdx = verticalExaggeration * ((c + 2 * f + i) - (a + 2 * d + g)) / (8 * sampleSpacing)
                let dzdy = verticalExaggeration * ((g + 2 * h + i) - (a + 2 * b + c)) / (8 * sampleSpacing)
                let slope = atan((dzdx * dzdx + dzdy * dzdy).squareRoot())
                let aspect = atan2(dzdy, -dzdx)
                let shade = max(0, cos(zenith) * cos(slope) + sin(zenith) * sin(slope) * cos(azimuth - aspect))
                let light = ambient + (1 - ambient) * shade
                let colour = rampColour((Double(heights[y * width + x]) - lowest) / span)
                planes[0][y * width + x] = Float(colour.0 * light)
                planes[1][y * width + x] = Float(colour.1 * light)
                planes[2][y * width + x] = Float(colour.2 * light)
            }
        }
        let factor = scale(width: width, height: height)
        let outWidth = width * factor, outHeight = height * factor
        let enlarged = planes.map {
            TerrainHeights.resized($0, width: width, height: height, newWidth: outWidth, newHeight: outHeight)
        }
        var pixels = [UInt8](repeating: 0, count: outWidth * outHeight * 3)
        for index in 0..<(outWidth * outHeight) {
            for channel in 0..<3 {
                pixels[index * 3 + channel] = UInt8(min(255, max(0, enlarged[channel][index].rounded())))
            }
        }
        return Image(width: outWidth, height: outHeight, format: .rgb8, pixels: pixels)
    }

    /// The ramp's colour at `position` in [0, 1], linearly between stops.
    static func rampColour(_ position: Double) -> (Double, Double, Double) {
        let t = min(max(position, 0), 1)
        for (lower, upper) in zip(ramp, ramp.dropFirst()) where t <= upper.0 {
            let w = (t - lower.0) / (upper.0 - lower.0)
            return (lower.1 + (upper.1 - lower.1) * w, lower.2 + (upper.2 - lower.2) * w,
                    lower.3 + (upper.3 - lower.3) * w)
        }
        let last = ramp[ramp.count - 1]
        return (last.1, last.2, last.3)
    }
}
