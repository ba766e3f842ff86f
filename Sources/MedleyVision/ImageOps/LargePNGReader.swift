import Foundation
import MedleyCore

/// Reads PNG files too large to decode whole, shrinking them while they stream in: each output pixel is the mean
/// of a k x k block of the file's pixels, and only one row of the file is held at a time.
///
/// FFmpeg's decoders refuse pictures above about 268 megapixels ((w + 128) x (h + 128) < 2^31 / 8), and below
/// that decode a full frame in memory before anything can be shrunk; this keeps memory at the output's size.
/// Supports every non-interlaced PNG (bit depths 1-16, grey, RGB, palette, with or without alpha; alpha is
/// dropped); Adam7-interlaced files are refused.
enum LargePNGReader {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The size in a PNG's header, or nil when the file is not a PNG.
    static func size(path: String) -> (width: Int, height: Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 24), head.count == 24 else { return nil }
        let bytes = [UInt8](head)
        guard Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        return (Int(be32(bytes, 16)), Int(be32(bytes, 20)))
    }

    static func be32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    /// The picture shrunk by the smallest whole factor that brings it to at most `maxPixels`.
    static func read(path: String, maxPixels: Int) throws -> Image {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw MedleyError.unreadableMedia(path: path, reason: error.localizedDescription)
        }
        let bytes = [UInt8](data)
        func damaged(_ reason: String) -> MedleyError { .unreadableMedia(path: path, reason: reason) }
        guard bytes.count > 8, Array(bytes[0..<8]) == signature else { throw damaged("not a PNG file") }
        var position = 8
        var header: (width: Int, height: Int, depth: Int, colour: Int, interlace: Int)?
        var palette: [UInt8] = []
        var compressed: [UInt8] = []
        while position + 12 <= bytes.count {
            let length = Int(be32(bytes, position))
            let type = String(decoding: bytes[(position + 4)..<(position + 8)], as: UTF8.self)
            let start = position + 8
            guard length <= bytes.count - start - 4 else { throw damaged("chunk \(type) runs past the end of the file") }
            switch type {
            case "IHDR" where length >= 13:
                header = (Int(be32(bytes, start)), Int(be32(bytes, start + 4)), Int(bytes[start + 8]),
                          Int(bytes[start + 9]), Int(bytes[start + 12]))
            case "PLTE": palette = Array(bytes[start..<(start + length)])
            case "IDAT": compressed.append(contentsOf: bytes[start..<(start + length)])
            default: break
            }
            position = start + length + 4
            if type == "IEND" { break }
        }
        guard let header, header.width > 0, header.height > 0 else { throw damaged("no PNG header") }
        guard header.interlace == 0 else {
            throw MedleyError.invalidArgument(
                "\(path): an interlaced \(header.width)x\(header.height) PNG is too large to read; "
                    + "save it non-interlaced or smaller")
        }
        let channels: Int
        switch header.colour {
        case 0: channels = 1
        case 2: channels = 3
        case 3: channels = 1
        case 4: channels = 2
        case 6: channels = 4
        default: throw damaged("unknown PNG colour type \(header.colour)")
        }
        let depth = header.depth
        guard [1, 2, 4, 8, 16].contains(depth), header.colour != 3 || depth <= 8, header.colour == 0 || header.colour == 3
                || depth >= 8 else { throw damaged("unsupported bit depth \(depth) for colour type \(header.colour)") }
        let width = header.width, height = header.height
        var factor = 1
        while ((width + factor - 1) / factor) * ((height + factor - 1) / factor) > maxPixels { factor += 1 }
        let outWidth = (width + factor - 1) / factor, outHeight = (height + factor - 1) / factor
        let grey = header.colour == 0 || header.colour == 4
        let outChannels = grey ? 1 : 3
        let rowBytes = (width * channels * depth + 7) / 8
        let filterStride = max(1, channels * depth / 8)
        var previous = [UInt8](repeating: 0, count: rowBytes)
        var current = [UInt8](repeating: 0, count: rowBytes + 1)
        var filled = 0
        var row = 0
        var sums = [UInt32](repeating: 0, count: outWidth * outChannels)
        var output = [UInt8](repeating: 0, count: outWidth * outHeight * outChannels)
        let maxSample = (1 << min(depth, 8)) - 1
        // A row's contribution to the output row's sums, kept to reuse when the next row's bytes are the same
        // (flat backgrounds, scans, synthetic pictures): comparing bytes is far cheaper than unpacking samples.
        var contribution = [UInt32](repeating: 0, count: outWidth * outChannels)
        var contributionLine: [UInt8] = []

        func sample(_ line: [UInt8], _ index: Int) -> Int {
            switch depth {
            case 16: return Int(line[index * 2])
            case 8: return Int(line[index])
            default:
                let bit = index * depth
                return Int(line[bit / 8] >> UInt8(8 - depth - bit % 8)) & maxSample
            }
        }

        func finishRow() throws {
            let filter = current[0]
            for i in 0..<rowBytes {
                let x = Int(current[i + 1])
                let a = i >= filterStride ? Int(current[i + 1 - filterStride]) : 0
                let b = Int(previous[i])
                let c = i >= filterStride ? Int(previous[i - filterStride]) : 0
                let value: Int
                switch filter {
                case 0: value = x
                case 1: value = x + a
                case 2: value = x + b
                case 3: value = x + (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    value = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
                default: throw damaged("bad row filter \(filter)")
                }
                current[i + 1] = UInt8(truncatingIfNeeded: value)
            }
            let line = Array(current[1...])
            if line != contributionLine {
                for i in contribution.indices { contribution[i] = 0 }
                for x in 0..<width {
                    let o = (x / factor) * outChannels
                    if header.colour == 3 {
                        let index = sample(line, x) * 3
                        guard index + 2 < palette.count else { throw damaged("palette index out of range") }
                        for c in 0..<3 { contribution[o + c] += UInt32(palette[index + c]) }
                    } else {
                        for c in 0..<outChannels {
                            var value = sample(line, x * channels + c)
                            if depth < 8 { value = value * 255 / maxSample }
                            contribution[o + c] += UInt32(value)
                        }
                    }
                }
                contributionLine = line
            }
            for i in sums.indices { sums[i] += contribution[i] }
            previous = line
            row += 1
            if row % factor == 0 || row == height {
                let outRow = (row - 1) / factor
                let rowsInBlock = row - outRow * factor
                for ox in 0..<outWidth {
                    let columns = min(factor, width - ox * factor)
                    let count = UInt32(columns * rowsInBlock)
                    for c in 0..<outChannels {
                        let i = ox * outChannels + c
                        output[(outRow * outWidth) * outChannels + i] = UInt8((sums[i] + count / 2) / count)
                        sums[i] = 0
                    }
                }
            }
        }

        var inflater = try Inflater(zlib: compressed, what: path)
        try inflater.run { chunk in
            var offset = 0
            while offset < chunk.count && row < height {
                let take = min(rowBytes + 1 - filled, chunk.count - offset)
                for i in 0..<take { current[filled + i] = chunk[offset + i] }
                filled += take
                offset += take
                if filled == rowBytes + 1 {
                    try finishRow()
                    filled = 0
                }
            }
            if Task.isCancelled { throw CancellationError() }
        }
        guard row == height else { throw damaged("the image data ends after \(row) of \(height) rows") }
        return Image(width: outWidth, height: outHeight, format: grey ? .gray8 : .rgb8, pixels: output)
    }
}
