import Foundation

/// How the terrain model's values become heights in metres, and heights become 16-bit samples: the decoding of
/// adaptive-terrain-diffusion 0.4.2 (`TerrainGenerator._from_model_space`, `_resize`), float for float.
public enum TerrainHeights {
    /// The tallest height the model can express, in metres (the package's `height_range`). A 16-bit heightmap
    /// sample `v` means `v / 65535 * heightRange` metres.
    public static let heightRange = 22.16864013671875
    /// The package's `asinh_scale`: model values are `asinh(h / 0.1)` normalised, which spends the model's range
    /// on small relief rather than on the rare tall peaks.
    public static let asinhScale = 0.1
    /// The largest 16-bit sample: stands for ``heightRange``.
    public static let maximumSample = 65535.0

    /// Heights in metres of model values (`(v + 1) / 2` clipped to [0, 1] is the normalised asinh height), clipped
    /// to [0, ``heightRange``]; with `zeroFloor` the lowest point of the map is moved to 0.
    ///
    /// Arithmetic as NumPy 2 does it in the package: the unit value in float32, the sinh in double (the normaliser
    /// is a NumPy double), the result stored as float32, the floor subtracted in float32.
    public static func metres(fromModel values: ArraySlice<Float>, zeroFloor: Bool) -> [Float] {
        let normalizer = asinh(heightRange / asinhScale)
        var heights = values.map { value -> Float in
            let unit = min(max((value + 1) * 0.5, 0), 1)
            let height = asinhScale * sinh(Double(unit) * normalizer)
            return Float(min(max(height, 0), heightRange))
        }
        if zeroFloor { subtractMinimum(&heights) }
        return heights
    }

    /// Moves the lowest value to 0.
    public static func subtractMinimum(_ heights: inout [Float]) {
        guard let lowest = heights.min() else { return }
        for index in heights.indices { heights[index] -= lowest }
    }

    /// Bilinear resampling of a `width` x `height` grid to `newWidth` x `newHeight` with half-pixel centres and
    /// clamped edges (the package's `_resize`: first along rows, then along columns). As in NumPy there, the source
    /// positions are float32 and the weights and sums double (float32 minus an integer index array promotes).
    public static func resized(_ values: [Float], width: Int, height: Int, newWidth: Int, newHeight: Int) -> [Float] {
        if width == newWidth, height == newHeight { return values }
        let (x0, x1, wx) = taps(input: width, output: newWidth)
        let (y0, y1, wy) = taps(input: height, output: newHeight)
        var horizontal = [Double](repeating: 0, count: height * newWidth)
        for row in 0..<height {
            for column in 0..<newWidth {
                let left = Double(values[row * width + x0[column]]), right = Double(values[row * width + x1[column]])
                horizontal[row * newWidth + column] = left * (1 - wx[column]) + right * wx[column]
            }
        }
        var result = [Float](repeating: 0, count: newHeight * newWidth)
        for row in 0..<newHeight {
            for column in 0..<newWidth {
                let top = horizontal[y0[row] * newWidth + column], bottom = horizontal[y1[row] * newWidth + column]
                result[row * newWidth + column] = Float(top * (1 - wy[row]) + bottom * wy[row])
            }
        }
        return result
    }

    /// Source indices and weights along one axis: `x = (i + 0.5) * input / output - 0.5` in float32, clamped.
    private static func taps(input: Int, output: Int) -> ([Int], [Int], [Double]) {
        var first: [Int] = [], second: [Int] = [], weights: [Double] = []
        for index in 0..<output {
            let position = min(max((Float(index) + 0.5) * Float(input) / Float(output) - 0.5, 0), Float(input - 1))
            let lower = Int(position.rounded(.down))
            first.append(lower)
            second.append(min(lower + 1, input - 1))
            weights.append(Double(position) - Double(lower))
        }
        return (first, second, weights)
    }

    /// 16-bit samples of heights: `round(h / heightRange * 65535)`, clamped to the 16-bit range.
    public static func samples(_ heights: [Float]) -> [UInt16] {
        heights.map { height in
            UInt16(min(max((Double(height) / heightRange * maximumSample).rounded(), 0), maximumSample))
        }
    }

    /// Heights in metres of 16-bit samples (the inverse of ``samples(_:)``, within half a step: 0.17 mm).
    public static func metres(fromSamples samples: [UInt16]) -> [Float] {
        samples.map { Float(Double($0) / maximumSample * heightRange) }
    }
}
