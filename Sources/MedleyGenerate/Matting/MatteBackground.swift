import Foundation
import MedleyCore
import MedleyVision

/// What goes behind the person: nothing (alpha), a colour, a picture, or a blur of the original.
public enum MatteBackground: Sendable, Equatable {
    /// No background: the output keeps an alpha channel (PNG).
    case transparent
    /// A flat colour.
    case color(red: UInt8, green: UInt8, blue: UInt8)
    /// A picture file, scaled to cover the frame and centred.
    case image(path: String)
    /// The original picture blurred (a video call's background blur).
    case blur

    /// Colour names `--background` accepts, as RGB.
    static let namedColors: [String: (UInt8, UInt8, UInt8)] = [
        "black": (0, 0, 0), "white": (255, 255, 255), "red": (255, 0, 0), "green": (0, 255, 0),
        "blue": (0, 0, 255), "yellow": (255, 255, 0), "cyan": (0, 255, 255), "magenta": (255, 0, 255),
        "gray": (128, 128, 128), "grey": (128, 128, 128),
    ]

    /// Reads `--background`: `blur`, a colour (`#RRGGBB`, `RRGGBB`, `#RGB` or a name such as `green`), or the path of
    /// a picture file.
    ///
    /// - Throws: `invalidArgument` naming the text when it is none of these.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        if lower == "blur" {
            self = .blur
            return
        }
        if let (r, g, b) = Self.namedColors[lower] {
            self = .color(red: r, green: g, blue: b)
            return
        }
        if let rgb = Self.hexColor(lower) {
            self = .color(red: rgb.0, green: rgb.1, blue: rgb.2)
            return
        }
        var isDirectory: ObjCBool = false
        if !trimmed.isEmpty, FileManager.default.fileExists(atPath: trimmed, isDirectory: &isDirectory),
           !isDirectory.boolValue {
            self = .image(path: trimmed)
            return
        }
        throw MedleyError.invalidArgument(
            "background '\(text)' is not 'blur', a colour (#RRGGBB or a name: "
                + Self.namedColors.keys.sorted().joined(separator: ", ") + ") or an existing picture file")
    }

    private static func hexColor(_ text: String) -> (UInt8, UInt8, UInt8)? {
        var digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
        if digits.count == 3 { digits = digits.map { "\($0)\($0)" }.joined() }
        guard digits.count == 6, digits.allSatisfy(\.isHexDigit), let value = UInt32(digits, radix: 16) else {
            return nil
        }
        return (UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF))
    }

    /// A short description for provenance and messages.
    var label: String {
        switch self {
        case .transparent: return "transparent"
        case .color(let r, let g, let b): return String(format: "#%02x%02x%02x", r, g, b)
        case .image(let path): return (path as NSString).lastPathComponent
        case .blur: return "blur"
        }
    }
}

/// Lays pictures of one size over their background: `out = background + alpha * (picture - background)`. Holds
/// what can be prepared once (the scaled background picture, the blur's buffers), so one instance serves every
/// frame of a video.
final class MatteCompositor {
    let background: MatteBackground
    let width: Int
    let height: Int
    /// The background picture at the output size, packed RGB (for `.image`).
    private var backdrop: [UInt8] = []
    private var blurrer: BackgroundBlur?
    /// The last output's pixels, reused when the frame that showed them is gone.
    private var recycled: [UInt8] = []

    init(background: MatteBackground, width: Int, height: Int) throws {
        self.background = background
        self.width = width
        self.height = height
        switch background {
        case .image(let path):
            backdrop = try Self.cover(ImageLoader.load(path: path).image.opaqueRGB(), width: width, height: height)
                .pixels
        case .blur:
            blurrer = BackgroundBlur(width: width, height: height)
        case .transparent, .color:
            break
        }
    }

    /// The picture scaled to cover `width` x `height` (aspect kept) and cropped at the centre.
    static func cover(_ picture: Image, width: Int, height: Int) throws -> Image {
        let scale = max(Double(width) / Double(picture.width), Double(height) / Double(picture.height))
        let scaledWidth = max(width, Int((Double(picture.width) * scale).rounded(.up)))
        let scaledHeight = max(height, Int((Double(picture.height) * scale).rounded(.up)))
        let method: ResizeMethod = scale < 1 ? .area : .bilinear
        let scaled = try picture.resized(width: scaledWidth, height: scaledHeight, method: method)
        return try scaled.cropped(x: (scaledWidth - width) / 2, y: (scaledHeight - height) / 2, width: width,
                                  height: height)
    }

    /// The picture (packed RGB, the compositor's size) over the background; RGBA with `alpha` when transparent.
    func composite(_ picture: Image, alpha: [UInt8]) -> Image {
        let count = width * height
        if case .transparent = background {
            var out = [UInt8](repeating: 0, count: count * 4)
            picture.pixels.withUnsafeBufferPointer { source in
                out.withUnsafeMutableBufferPointer { target in
                    for i in 0..<count {
                        target[i * 4] = source[i * 3]
                        target[i * 4 + 1] = source[i * 3 + 1]
                        target[i * 4 + 2] = source[i * 3 + 2]
                        target[i * 4 + 3] = alpha[i]
                    }
                }
            }
            return Image(width: width, height: height, format: .rgba8, pixels: out)
        }
        var out = takeOutputBuffer()
        var colour: [UInt8] = []
        var behind: [UInt8] = []
        switch background {
        case .color(let r, let g, let b): colour = [r, g, b]
        case .image: behind = backdrop
        case .blur:
            if let blurrer { return blurComposite(picture, alpha: alpha, blurrer: blurrer) }
        case .transparent: break
        }
        picture.pixels.withUnsafeBufferPointer { source in
            alpha.withUnsafeBufferPointer { weights in
                out.withUnsafeMutableBufferPointer { target in
                    if colour.count == 3 {
                        let r = colour[0], g = colour[1], b = colour[2]
                        for i in 0..<count {
                            let a = UInt32(weights[i]), j = i * 3
                            switch a {
                            case 255:
                                target[j] = source[j]; target[j + 1] = source[j + 1]; target[j + 2] = source[j + 2]
                            case 0: target[j] = r; target[j + 1] = g; target[j + 2] = b
                            default:
                                target[j] = Self.blend(source[j], r, a)
                                target[j + 1] = Self.blend(source[j + 1], g, a)
                                target[j + 2] = Self.blend(source[j + 2], b, a)
                            }
                        }
                    } else {
                        behind.withUnsafeBufferPointer { back in
                            for i in 0..<count {
                                let a = UInt32(weights[i]), j = i * 3
                                switch a {
                                case 255:
                                    target[j] = source[j]; target[j + 1] = source[j + 1]; target[j + 2] = source[j + 2]
                                case 0:
                                    target[j] = back[j]; target[j + 1] = back[j + 1]; target[j + 2] = back[j + 2]
                                default:
                                    target[j] = Self.blend(source[j], back[j], a)
                                    target[j + 1] = Self.blend(source[j + 1], back[j + 1], a)
                                    target[j + 2] = Self.blend(source[j + 2], back[j + 2], a)
                                }
                            }
                        }
                    }
                }
            }
        }
        return keep(out)
    }

    /// The picture over its own blur. The blurred background is only computed where some of it shows (alpha
    /// below 255): each output row is mixed from two widened rows of the small blurred picture on the fly.
    private func blurComposite(_ picture: Image, alpha: [UInt8], blurrer: BackgroundBlur) -> Image {
        blurrer.prepare(picture)
        let width = self.width, rowLength = width * 3
        var out = takeOutputBuffer()
        out.withUnsafeMutableBufferPointer { target in
            picture.pixels.withUnsafeBufferPointer { source in
                alpha.withUnsafeBufferPointer { weights in
                    blurrer.wide.withUnsafeBufferPointer { widened in
                        for y in 0..<height {
                            let top = blurrer.rows.index[y] * rowLength, bottom = blurrer.rows.next[y] * rowLength
                            let wy = blurrer.rows.weight[y]
                            for x in 0..<width {
                                let i = y * width + x, j = i * 3, a = UInt32(weights[i])
                                if a == 255 {
                                    target[j] = source[j]; target[j + 1] = source[j + 1]; target[j + 2] = source[j + 2]
                                    continue
                                }
                                for c in 0..<3 {
                                    let upper = widened[top + x * 3 + c]
                                    let value = upper + wy * (widened[bottom + x * 3 + c] - upper)
                                    let back = UInt8(min(max(value + 0.5, 0), 255))
                                    target[j + c] = a == 0 ? back : Self.blend(source[j + c], back, a)
                                }
                            }
                        }
                    }
                }
            }
        }
        return keep(out)
    }

    /// The output buffer of the previous frame when nobody holds that frame any more (then it is reused in place,
    /// sparing a fresh 2.7 MB allocation and its page faults per 720p frame), else a new one.
    private func takeOutputBuffer() -> [UInt8] {
        var buffer: [UInt8] = []
        swap(&buffer, &recycled)
        return buffer.count == width * height * 3 ? buffer : [UInt8](repeating: 0, count: width * height * 3)
    }

    /// The output as a picture, its buffer kept for the next frame.
    private func keep(_ pixels: [UInt8]) -> Image {
        recycled = pixels
        return Image(width: width, height: height, format: .rgb8, pixels: pixels)
    }

    /// `(front * a + back * (255 - a)) / 255`, rounded: the division by 255 as `(t + (t >> 8)) >> 8` with
    /// `t = v + 128`, which equals `(v + 127) / 255` for every v up to 255 * 255.
    @inline(__always)
    static func blend(_ front: UInt8, _ back: UInt8, _ a: UInt32) -> UInt8 {
        let t = UInt32(front) &* a &+ UInt32(back) &* (255 &- a) &+ 128
        return UInt8(truncatingIfNeeded: (t &+ (t >> 8)) >> 8)
    }
}

/// A strong, cheap blur for backgrounds: the picture averaged down by 4, box-blurred twice each way (close to a
/// Gaussian), and scaled back up with bilinear where the background shows. Its radius is about 1/30 of the
/// picture's short side (24 pixels on 720p), like a video call's background blur. Buffers are reused from frame
/// to frame.
final class BackgroundBlur {
    /// Shrink factor before blurring: blurring a quarter-size picture costs a sixteenth.
    static let factor = 4
    /// Blur radius as a fraction of the short side.
    static let radiusFraction = 1.0 / 30

    let width: Int, height: Int
    private let smallWidth: Int, smallHeight: Int, radius: Int
    private let columns: MatteSampling.ResizeTaps
    /// Output row taps over the small rows (half-pixel bilinear).
    let rows: MatteSampling.ResizeTaps
    private var small: [Float]
    private var scratch: [Float]
    /// The small blurred rows widened to full width (after ``prepare(_:)``), reused.
    private(set) var wide: [Float]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        smallWidth = max(1, (width + Self.factor - 1) / Self.factor)
        smallHeight = max(1, (height + Self.factor - 1) / Self.factor)
        radius = max(1, Int(Double(min(width, height)) * Self.radiusFraction / Double(Self.factor) / 2))
        columns = MatteSampling.resizeTaps(source: smallWidth, destination: width)
        rows = MatteSampling.resizeTaps(source: smallHeight, destination: height)
        small = [Float](repeating: 0, count: smallWidth * smallHeight * 3)
        scratch = small
        wide = [Float](repeating: 0, count: smallHeight * width * 3)
    }

    /// Blurs the picture (packed RGB, the blur's size) into ``wide``: the small blurred rows at full width, which
    /// ``rows`` mixes into output rows.
    func prepare(_ picture: Image) {
        shrink(picture)
        for _ in 0..<2 {
            boxBlur(from: &small, into: &scratch, horizontal: true)
            boxBlur(from: &scratch, into: &small, horizontal: false)
        }
        widen()
    }

    /// Block averages of `factor` x `factor` pixels (partial blocks at the right and bottom edges).
    private func shrink(_ picture: Image) {
        small.withUnsafeMutableBufferPointer { target in
            for i in 0..<target.count { target[i] = 0 }
            picture.pixels.withUnsafeBufferPointer { source in
                for y in 0..<height {
                    let sourceRow = y * width * 3, targetRow = (y / Self.factor) * smallWidth * 3
                    var x = 0
                    for sx in 0..<smallWidth {
                        let end = min(x + Self.factor, width)
                        var r: UInt32 = 0, g: UInt32 = 0, b: UInt32 = 0
                        while x < end {
                            let s = sourceRow + x * 3
                            r &+= UInt32(source[s]); g &+= UInt32(source[s + 1]); b &+= UInt32(source[s + 2])
                            x += 1
                        }
                        let t = targetRow + sx * 3
                        target[t] += Float(r); target[t + 1] += Float(g); target[t + 2] += Float(b)
                    }
                }
            }
            for sy in 0..<smallHeight {
                let rows = min(Self.factor, height - sy * Self.factor)
                for sx in 0..<smallWidth {
                    let columns = min(Self.factor, width - sx * Self.factor)
                    let inverse = 1 / Float(rows * columns), t = (sy * smallWidth + sx) * 3
                    for c in 0..<3 { target[t + c] *= inverse }
                }
            }
        }
    }

    /// One box pass of `2 * radius + 1` taps with clamped edges, by running sums.
    private func boxBlur(from source: inout [Float], into target: inout [Float], horizontal: Bool) {
        let length = horizontal ? smallWidth : smallHeight
        let lines = horizontal ? smallHeight : smallWidth
        let step = horizontal ? 3 : smallWidth * 3
        let inverse = 1 / Float(2 * radius + 1)
        source.withUnsafeBufferPointer { src in
            target.withUnsafeMutableBufferPointer { dst in
                for line in 0..<lines {
                    let base = horizontal ? line * smallWidth * 3 : line * 3
                    for c in 0..<3 {
                        @inline(__always) func at(_ i: Int) -> Float {
                            src[base + min(max(i, 0), length - 1) * step + c]
                        }
                        var sum: Float = 0
                        for i in -radius...radius { sum += at(i) }
                        for i in 0..<length {
                            dst[base + i * step + c] = sum * inverse
                            sum += at(i + radius + 1) - at(i - radius)
                        }
                    }
                }
            }
        }
    }

    /// Each small blurred row scaled to full width (half-pixel bilinear).
    private func widen() {
        let rowLength = width * 3
        small.withUnsafeBufferPointer { source in
            wide.withUnsafeMutableBufferPointer { widened in
                for sy in 0..<smallHeight {
                    let from = sy * smallWidth * 3, to = sy * rowLength
                    for x in 0..<width {
                        let left = from + columns.index[x] * 3, right = from + columns.next[x] * 3
                        let wx = columns.weight[x]
                        for c in 0..<3 {
                            widened[to + x * 3 + c] = source[left + c] + wx * (source[right + c] - source[left + c])
                        }
                    }
                }
            }
        }
    }
}
