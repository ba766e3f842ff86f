import Foundation
import MedleyCore

/// Runs a denoiser made for fixed `tileSize` x `tileSize` samples on larger canvases: every canvas is cut into
/// overlapping tiles, each tile is denoised, and the predictions are blended with a Hann window (the
/// adaptive-terrain-diffusion package's `_generate_tiled`, in the spirit of MultiDiffusion).
///
/// Samples are `[channels, height, width]` with both sides at least `tileSize`. Tiles start every
/// `tileSize - overlap` pixels, plus one flush with the far edge; each tile's prediction is weighted by the outer
/// product of a Hann window floored at 0.001 (so edge pixels still count), and each pixel is the weighted mean of
/// the tiles over it. Because it is a denoiser, every sampler runs on top: the tiles are re-cut at every step.
public struct TiledDenoiser: Denoiser {
    /// The denoiser of single tiles.
    public let base: any Denoiser
    /// The tile side the base model takes.
    public let tileSize: Int
    /// Pixels shared by neighbouring tiles.
    public let overlap: Int
    /// Tiles sent to the base denoiser per call.
    public let tilesPerCall: Int

    /// The package's floor under the Hann weights (`np.maximum(np.hanning(n), 1.0e-3)`).
    static let weightFloor: Float = 1.0e-3

    /// A tiling over `base`.
    ///
    /// - Throws: `invalidArgument` when `overlap` is not in `0..<tileSize` or a count is not positive.
    public init(base: any Denoiser, tileSize: Int, overlap: Int, tilesPerCall: Int = 16) throws {
        guard tileSize > 0, tilesPerCall > 0 else {
            throw MedleyError.invalidArgument("tiles need a positive size and batch, got \(tileSize), \(tilesPerCall)")
        }
        guard (0..<tileSize).contains(overlap) else {
            throw MedleyError.invalidArgument("the tile overlap must be from 0 to \(tileSize - 1), got \(overlap)")
        }
        self.base = base
        self.tileSize = tileSize
        self.overlap = overlap
        self.tilesPerCall = tilesPerCall
    }

    /// Where tiles start along a side of `length` pixels.
    public func tileStarts(length: Int) -> [Int] {
        guard length > tileSize else { return [0] }
        var starts = Array(stride(from: 0, through: length - tileSize, by: tileSize - overlap))
        if starts.last != length - tileSize { starts.append(length - tileSize) }
        return starts
    }

    /// The blending weight of each tile pixel, row-major: the outer product of the floored Hann window.
    func blendWeights() -> [Float] {
        // np.hanning(n): 0.5 - 0.5 cos(2 pi k / (n - 1)), computed in double and stored as float32.
        let window: [Float] = (0..<tileSize).map { k in
            let value = tileSize == 1 ? 1 : 0.5 - 0.5 * cos(2 * Double.pi * Double(k) / Double(tileSize - 1))
            return max(Float(value), Self.weightFloor)
        }
        var weights = [Float](repeating: 0, count: tileSize * tileSize)
        for row in 0..<tileSize {
            for column in 0..<tileSize { weights[row * tileSize + column] = window[row] * window[column] }
        }
        return weights
    }

    public func denoise(_ noisy: SampleBatch, sigmas: [Float], conditioning: DiffusionConditioning) throws
        -> SampleBatch
    {
        guard noisy.sampleShape.count == 3 else {
            throw MedleyError.invalidArgument(
                "tiled denoising needs [channels, height, width] samples, got \(noisy.sampleShape)")
        }
        let channels = noisy.sampleShape[0], height = noisy.sampleShape[1], width = noisy.sampleShape[2]
        guard height >= tileSize, width >= tileSize else {
            throw MedleyError.invalidArgument(
                "tiled denoising needs samples of at least \(tileSize)x\(tileSize), got \(width)x\(height)")
        }
        guard sigmas.count == noisy.count else {
            throw MedleyError.invalidArgument("\(noisy.count) samples were given \(sigmas.count) noise levels")
        }
        if height == tileSize, width == tileSize {
            return try base.denoise(noisy, sigmas: sigmas, conditioning: conditioning)
        }
        let tiles = (0..<noisy.count).flatMap { sample in
            tileStarts(length: height).flatMap { y in tileStarts(length: width).map { x in (sample, y, x) } }
        }
        let blend = blendWeights()
        let tileArea = tileSize * tileSize
        var sums = [Float](repeating: 0, count: noisy.values.count)
        var weights = [Float](repeating: 0, count: noisy.count * height * width)
        var start = 0
        while start < tiles.count {
            let chunk = tiles[start..<min(start + tilesPerCall, tiles.count)]
            var values: [Float] = []
            values.reserveCapacity(chunk.count * channels * tileArea)
            for (sample, y, x) in chunk {
                for channel in 0..<channels {
                    for row in 0..<tileSize {
                        let offset = ((sample * channels + channel) * height + y + row) * width + x
                        values.append(contentsOf: noisy.values[offset..<(offset + tileSize)])
                    }
                }
            }
            let batch = try SampleBatch(count: chunk.count, sampleShape: [channels, tileSize, tileSize], values: values)
            let predicted = try base.denoise(batch, sigmas: chunk.map { sigmas[$0.0] },
                                             conditioning: try conditioning.rows(chunk.map(\.0)))
            guard predicted.shape == batch.shape else {
                throw MedleyError.internal("the tile denoiser returned shape \(predicted.shape) for \(batch.shape)")
            }
            for (index, (sample, y, x)) in chunk.enumerated() {
                for row in 0..<tileSize {
                    for column in 0..<tileSize {
                        let weight = blend[row * tileSize + column]
                        let pixel = (y + row) * width + x + column
                        for channel in 0..<channels {
                            let source = ((index * channels + channel) * tileSize + row) * tileSize + column
                            sums[(sample * channels + channel) * height * width + pixel] +=
                                predicted.values[source] * weight
                        }
                        weights[sample * height * width + pixel] += weight
                    }
                }
            }
            start += chunk.count
        }
        // The package divides by max(weights, 1e-12); every pixel is covered, so the floor never acts.
        for sample in 0..<noisy.count {
            for channel in 0..<channels {
                for pixel in 0..<(height * width) {
                    let index = (sample * channels + channel) * height * width + pixel
                    sums[index] /= max(weights[sample * height * width + pixel], 1.0e-12)
                }
            }
        }
        return try noisy.replacingValues(sums)
    }
}
