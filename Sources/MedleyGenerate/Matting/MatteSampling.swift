import Foundation
import MedleyCore

/// The pixel work around the selfie-segmentation model, as MediaPipe 0.10.21 does it
/// (`notes/vision-models.md`, section 4): the model's input is the whole picture stretched to the model's size with
/// OpenCV's fixed-point bilinear warp, and its small mask is scaled back to the picture with float bilinear.
enum MatteSampling {
    /// OpenCV's warp works on a grid of 1/32 pixel (`INTER_BITS` = 5)...
    static let subpixelSteps = 32
    /// ...with bilinear weights in 1/32768 (`INTER_REMAP_COEF_BITS` = 15).
    static let weightBits = 15

    /// Column (or row) taps of the corner-aligned stretch: output index `d` samples source position
    /// `d * source / destination`, snapped to the 1/32 grid; `weight` is the 1/32 step (0...31) towards `next`.
    struct Taps {
        var index: [Int32]
        var next: [Int32]
        var step: [Int32]
    }

    static func stretchTaps(source: Int, destination: Int) -> Taps {
        var taps = Taps(index: [], next: [], step: [])
        // MediaPipe maps the picture's corners to the tensor's corners, src = d * W / size, with a float matrix
        // (W times the float 1/size); OpenCV's warpPerspective scales the position by 32 in double and rounds it
        // half to even (cvRound). Ties are common: 700/256 * 32 = 87.5 for every odd d.
        let ratio = Double(Float(source) * (Float(1) / Float(destination)))
        for d in 0..<destination {
            let position = (Double(d) * ratio * Double(subpixelSteps)).rounded(.toNearestOrEven)
            let fixed = Int(position)
            let index = fixed / subpixelSteps
            taps.index.append(Int32(min(index, source - 1)))
            taps.next.append(Int32(min(index + 1, source - 1)))  // OpenCV's replicated border
            taps.step.append(Int32(index >= source - 1 ? 0 : fixed % subpixelSteps))
        }
        return taps
    }

    /// Writes the picture (packed RGB) stretched to `width` x `height` into `floats` as NHWC RGB v/255, through
    /// OpenCV's 8-bit warp: weights `(32 - fx)(32 - fy) * 32` and so on (exact in 1/32768), the sum rounded to a
    /// byte, then divided by 255 (MediaPipe converts the warped 8-bit picture to float).
    static func writeInput(_ image: Image, width: Int, height: Int, into floats: UnsafeMutableBufferPointer<Float>) {
        let columns = stretchTaps(source: image.width, destination: width)
        let rows = stretchTaps(source: image.height, destination: height)
        let stride = image.stride
        let half: Int32 = 1 << (Int32(weightBits) - 1)
        let scale: Float = 1 / 255
        image.pixels.withUnsafeBufferPointer { source in
            for y in 0..<height {
                let row0 = Int(rows.index[y]) * stride, row1 = Int(rows.next[y]) * stride
                let fy = rows.step[y]
                for x in 0..<width {
                    let fx = columns.step[x]
                    let c0 = Int(columns.index[x]) * 3, c1 = Int(columns.next[x]) * 3
                    let w00 = (32 - fx) * (32 - fy) * 32, w01 = fx * (32 - fy) * 32
                    let w10 = (32 - fx) * fy * 32, w11 = fx * fy * 32
                    let out = (y * width + x) * 3
                    for c in 0..<3 {
                        let sum = Int32(source[row0 + c0 + c]) * w00 + Int32(source[row0 + c1 + c]) * w01
                            + Int32(source[row1 + c0 + c]) * w10 + Int32(source[row1 + c1 + c]) * w11
                        let byte = min(255, (sum + half) >> Int32(weightBits))
                        floats[out + c] = Float(byte) * scale
                    }
                }
            }
        }
    }

    /// Taps of OpenCV's float bilinear resize (half-pixel centres, clamped at the borders).
    struct ResizeTaps {
        var index: [Int]
        var next: [Int]
        var weight: [Float]
    }

    static func resizeTaps(source: Int, destination: Int) -> ResizeTaps {
        var taps = ResizeTaps(index: [], next: [], weight: [])
        let scale = Double(source) / Double(destination)
        for d in 0..<destination {
            let position = (Double(d) + 0.5) * scale - 0.5
            var index = Int(position.rounded(.down))
            var fraction = Float(position - Double(index))
            if index < 0 { index = 0; fraction = 0 }
            if index >= source - 1 { index = source - 1; fraction = 0 }
            taps.index.append(index)
            taps.next.append(min(index + 1, source - 1))
            taps.weight.append(fraction)
        }
        return taps
    }
}

/// Scales a small mask to a picture's size and turns it into alpha, reusing its tables while the sizes stay the
/// same (one instance per video).
final class MaskUpsampler {
    let maskWidth: Int, maskHeight: Int, width: Int, height: Int
    private let columns: MatteSampling.ResizeTaps
    private let rows: MatteSampling.ResizeTaps
    /// One mask row interpolated vertically, reused.
    private var row: [Float]
    /// The last alpha, reused.
    private var recycled: [UInt8] = []

    init(maskWidth: Int, maskHeight: Int, width: Int, height: Int) {
        self.maskWidth = maskWidth
        self.maskHeight = maskHeight
        self.width = width
        self.height = height
        columns = MatteSampling.resizeTaps(source: maskWidth, destination: width)
        rows = MatteSampling.resizeTaps(source: maskHeight, destination: height)
        row = [Float](repeating: 0, count: maskWidth)
    }

    /// The mask at the picture's size as floats (MediaPipe's own `segmentation_mask`).
    func probabilities(_ mask: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: width * height)
        out.withUnsafeMutableBufferPointer { target in
            each(mask) { y, values in
                for x in 0..<width { target[y * width + x] = values[x] }
            }
        }
        return out
    }

    /// Steps of the feather's lookup table over mask values 0...1: alpha is read from a table of the smoothstep
    /// instead of computed per pixel; at 1/4096 the table is off the exact curve by at most 0.12 of a level.
    static let featherSteps = 4096

    /// The mask at the picture's size as 8-bit alpha through `feather` (a smoothstep between two mask values).
    func alpha(_ mask: [Float], feather: MaskFeather) -> [UInt8] {
        let steps = Self.featherSteps
        let low = feather.low, span = max(feather.high - feather.low, .leastNonzeroMagnitude)
        let table: [UInt8] = (0...steps).map { step in
            let t = min(max((Float(step) / Float(steps) - low) / span, 0), 1)
            return UInt8(t * t * (3 - 2 * t) * 255 + 0.5)
        }
        // The previous frame's alpha buffer, reused in place when its user let it go.
        var out: [UInt8] = []
        swap(&out, &recycled)
        if out.count != width * height { out = [UInt8](repeating: 0, count: width * height) }
        defer { recycled = out }
        let width = self.width, maskWidth = self.maskWidth, scale = Float(steps)
        let rows = self.rows
        mask.withUnsafeBufferPointer { source in
            columns.index.withUnsafeBufferPointer { first in
                columns.next.withUnsafeBufferPointer { second in
                    columns.weight.withUnsafeBufferPointer { weight in
                        table.withUnsafeBufferPointer { lookup in
                            out.withUnsafeMutableBufferPointer { target in
                                do {
                                    var line = [Float](repeating: 0, count: maskWidth)
                                    line.withUnsafeMutableBufferPointer { vertical in
                                        for y in 0..<height {
                                            let top = rows.index[y] * maskWidth, bottom = rows.next[y] * maskWidth
                                            let wy = rows.weight[y]
                                            for x in 0..<maskWidth {
                                                vertical[x] = source[top + x]
                                                    + wy * (source[bottom + x] - source[top + x])
                                            }
                                            let base = y * width
                                            for x in 0..<width {
                                                let a = vertical[first[x]]
                                                let value = a + weight[x] * (vertical[second[x]] - a)
                                                target[base + x] = lookup[min(max(Int(value * scale + 0.5), 0), steps)]
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Calls `body` with each output row's upsampled values (a reused buffer of `width` floats).
    private func each(_ mask: [Float], _ body: (Int, UnsafeMutableBufferPointer<Float>) -> Void) {
        var line = [Float](repeating: 0, count: width)
        mask.withUnsafeBufferPointer { source in
            row.withUnsafeMutableBufferPointer { vertical in
                line.withUnsafeMutableBufferPointer { values in
                    for y in 0..<height {
                        let top = rows.index[y] * maskWidth, bottom = rows.next[y] * maskWidth
                        let wy = rows.weight[y]
                        for x in 0..<maskWidth {
                            vertical[x] = source[top + x] + wy * (source[bottom + x] - source[top + x])
                        }
                        for x in 0..<width {
                            let a = vertical[columns.index[x]], b = vertical[columns.next[x]]
                            values[x] = a + columns.weight[x] * (b - a)
                        }
                        body(y, values)
                    }
                }
            }
        }
    }
}

/// How the mask's edge is softened: alpha = smoothstep(low, high, mask), 0 below `low`, 1 above `high`.
public struct MaskFeather: Sendable, Equatable {
    /// Mask value at and below which a pixel is fully background.
    public var low: Float
    /// Mask value at and above which a pixel is fully person.
    public var high: Float

    /// A feather between two mask values.
    public init(low: Float, high: Float) {
        self.low = low
        self.high = high
    }

    /// 0.3 to 0.7: the model's mask is nearly binary (on astronaut.png only 3.8 % of pixels fall between 0.1 and
    /// 0.9), so this only shapes the thin band the bilinear upsampling spreads across the edge; it is the range
    /// `notes/vision-models.md` suggests. MediaPipe's own examples cut hard at 0.1 instead.
    public static let standard = MaskFeather(low: 0.3, high: 0.7)
}
