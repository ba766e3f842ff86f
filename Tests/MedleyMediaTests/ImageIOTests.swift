import Foundation
import MedleyCore
@testable import MedleyMedia
import XCTest

final class ImageIOTests: XCTestCase {
    /// A smooth, asymmetric test picture (no two corners alike), so flips and turns are visible.
    private func gradient(width: Int = 64, height: Int = 48, format: Image.PixelFormat = .rgb8) -> Image {
        var image = Image(width: width, height: height, format: format)
        for y in 0..<height {
            for x in 0..<width {
                let o = image.offset(x: x, y: y)
                switch format {
                case .gray8:
                    image.pixels[o] = UInt8((x * 255) / width)
                case .rgb8, .rgba8:
                    image.pixels[o] = UInt8((x * 255) / width)
                    image.pixels[o + 1] = UInt8((y * 255) / height)
                    image.pixels[o + 2] = UInt8(((x + y) * 127) / (width + height))
                    if format == .rgba8 { image.pixels[o + 3] = UInt8(255 - (x * 200) / width) }
                }
            }
        }
        return image
    }

    private func meanError(_ a: Image, _ b: Image) -> Double {
        XCTAssertEqual(a.pixels.count, b.pixels.count)
        let total = zip(a.pixels, b.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        return Double(total) / Double(max(1, a.pixels.count))
    }

    func testPNGRoundTripIsLossless() throws {
        for format in Image.PixelFormat.allCases {
            let image = gradient(format: format)
            let path = TestMedia.path("roundtrip-\(format).png")
            try ImageIO.write(image, path: path)
            let back = try ImageIO.read(path: path)
            XCTAssertEqual(back, image, "\(format)")
        }
    }

    func testJPEGRoundTripIsClose() throws {
        let image = gradient()
        let path = TestMedia.path("roundtrip.jpg")
        try ImageIO.write(image, path: path, quality: 90)
        let back = try ImageIO.read(path: path)
        XCTAssertEqual(back.format, .rgb8)
        XCTAssertEqual(back.width, 64)
        XCTAssertEqual(back.height, 48)
        XCTAssertLessThan(meanError(back, image), 3)
        // Lower quality: a smaller file.
        let small = TestMedia.path("roundtrip-q20.jpg")
        try ImageIO.write(image, path: small, quality: 20)
        XCTAssertLessThan(try TestMedia.bytes(small).count, try TestMedia.bytes(path).count)
        // Alpha is dropped, gray becomes colour-less RGB.
        try ImageIO.write(gradient(format: .rgba8), path: TestMedia.path("alpha.jpg"))
        XCTAssertEqual(try ImageIO.read(path: TestMedia.path("alpha.jpg")).format, .rgb8)
    }

    func testWebPRoundTrip() throws {
        let image = gradient()
        let path = TestMedia.path("roundtrip.webp")
        try ImageIO.write(image, path: path, quality: 95)
        let back = try ImageIO.read(path: path)
        XCTAssertEqual(back.format, .rgb8)
        XCTAssertLessThan(meanError(back, image), 4)
        let rgba = gradient(format: .rgba8)
        try ImageIO.write(rgba, path: TestMedia.path("alpha.webp"), quality: 95)
        let alphaBack = try ImageIO.read(path: TestMedia.path("alpha.webp"))
        XCTAssertEqual(alphaBack.format, .rgba8)
        XCTAssertLessThan(meanError(alphaBack, rgba), 4)
    }

    func testImagesMadeByFFmpeg() throws {
        let rgb = try ImageIO.read(path: try TestMedia.picture("rgb.png", pixelFormat: "rgb24"))
        XCTAssertEqual(rgb.format, .rgb8)
        XCTAssertEqual(rgb.pixels, try TestMedia.ffmpegFirstFrameRGB(try TestMedia.picture("rgb.png", pixelFormat: "rgb24")))
        // 16-bit PNG: what the ffmpeg CLI makes of it in 8 bits, to within one level.
        let deepFile = try TestMedia.picture("rgb48.png", pixelFormat: "rgb48be")
        let deep = try ImageIO.read(path: deepFile)
        XCTAssertEqual(deep.format, .rgb8)
        let reference = try TestMedia.ffmpegFirstFrameRGB(deepFile)
        XCTAssertLessThanOrEqual(zip(deep.pixels, reference).map { abs(Int($0) - Int($1)) }.max() ?? 99, 1)
        XCTAssertLessThanOrEqual(zip(deep.pixels, rgb.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 99, 4)
        // Gray stays gray.
        let gray = try ImageIO.read(path: try TestMedia.picture("gray.png", pixelFormat: "gray"))
        XCTAssertEqual(gray.format, .gray8)
        XCTAssertEqual(gray.pixels.count, 64 * 48)
        let gray16 = try ImageIO.read(path: try TestMedia.picture("gray16.png", pixelFormat: "gray16be"))
        XCTAssertEqual(gray16.format, .gray8)
        // RGBA keeps its alpha.
        let alpha = try ImageIO.read(path: try TestMedia.picture(
            "rgba.png", pixelFormat: "rgba", extra: ["-vf", "format=rgba,colorchannelmixer=aa=0.5"]))
        XCTAssertEqual(alpha.format, .rgba8)
        XCTAssertEqual(Int(alpha.pixels[3]), 128, accuracy: 1)
        // An opaque palette is plain RGB; a palette with a transparent entry keeps alpha.
        XCTAssertEqual(try ImageIO.read(path: try TestMedia.picture("pal.png", pixelFormat: "pal8")).format, .rgb8)
        let transparent = try TestMedia.make("pal-alpha.png", [
            "-f", "lavfi", "-i", "testsrc2=size=64x48:rate=1:duration=1", "-frames:v", "1",
            "-vf", "format=rgba,colorchannelmixer=aa=0.5,split[a][b];[a]palettegen=reserve_transparent=1[p];[b][p]paletteuse=alpha_threshold=64",
            "-pix_fmt", "pal8",
        ])
        XCTAssertEqual(try ImageIO.read(path: transparent).format, .rgba8)
        // A gray JPEG (one component; FFmpeg's mjpeg encoder cannot write one, ImageMagick can) stays gray.
        if FileManager.default.fileExists(atPath: "/usr/bin/convert") {
            let grayJPEG = TestMedia.path("gray.jpg")
            try TestMedia.run("/usr/bin/convert", [try TestMedia.picture("rgb.png", pixelFormat: "rgb24"), "-colorspace", "Gray", grayJPEG])
            XCTAssertEqual(try ImageIO.read(path: grayJPEG).format, .gray8)
        }
    }

    /// Four solid quadrants (red, green / blue, white), so every EXIF orientation has a distinct result.
    private func quadrants(width: Int = 64, height: Int = 32) -> Image {
        var image = Image(width: width, height: height, format: .rgb8)
        for y in 0..<height {
            for x in 0..<width {
                let colour: [UInt8] = switch (x < width / 2, y < height / 2) {
                case (true, true): [255, 0, 0]
                case (false, true): [0, 255, 0]
                case (true, false): [0, 0, 255]
                case (false, false): [255, 255, 255]
                }
                let o = image.offset(x: x, y: y)
                image.pixels.replaceSubrange(o..<(o + 3), with: colour)
            }
        }
        return image
    }

    /// Inserts an APP1 EXIF segment with the given Orientation right after the JPEG's SOI marker.
    private func withEXIFOrientation(_ jpeg: [UInt8], _ orientation: UInt16) -> [UInt8] {
        var tiff: [UInt8] = Array("MM".utf8) + [0, 42, 0, 0, 0, 8]  // big-endian TIFF, IFD at offset 8
        tiff += [0, 1]  // one entry
        tiff += [0x01, 0x12, 0, 3, 0, 0, 0, 1, UInt8(orientation >> 8), UInt8(orientation & 0xFF), 0, 0]
        tiff += [0, 0, 0, 0]  // no next IFD
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        return Array(jpeg[0..<2]) + segment + Array(jpeg[2...])
    }

    func testEXIFOrientationIsApplied() throws {
        let stored = quadrants()
        let plain = TestMedia.path("quadrants.jpg")
        try ImageIO.write(stored, path: plain, quality: 95)
        let jpeg = try TestMedia.bytes(plain)
        // Colour at the centre of each displayed quadrant (TL, TR, BL, BR) for each orientation.
        let red: [UInt8] = [255, 0, 0], green: [UInt8] = [0, 255, 0], blue: [UInt8] = [0, 0, 255], white: [UInt8] = [255, 255, 255]
        let expected: [Int: [[UInt8]]] = [
            1: [red, green, blue, white],
            2: [green, red, white, blue],
            3: [white, blue, green, red],
            4: [blue, white, red, green],
            5: [red, blue, green, white],
            6: [blue, red, white, green],
            7: [white, green, blue, red],
            8: [green, white, red, blue],
        ]
        for orientation in 1...8 {
            let path = try TestMedia.write("exif-\(orientation).jpg", withEXIFOrientation(jpeg, UInt16(orientation)))
            let image = try ImageIO.read(path: path)
            let swapped = orientation >= 5
            XCTAssertEqual(image.width, swapped ? 32 : 64, "orientation \(orientation)")
            XCTAssertEqual(image.height, swapped ? 64 : 32, "orientation \(orientation)")
            let w = image.width, h = image.height
            let centres = [(w / 4, h / 4), (3 * w / 4, h / 4), (w / 4, 3 * h / 4), (3 * w / 4, 3 * h / 4)]
            for (corner, (x, y)) in centres.enumerated() {
                let got = image.pixel(x: x, y: y)
                let want = try XCTUnwrap(expected[orientation])[corner]
                XCTAssertTrue(zip(got, want).allSatisfy { abs(Int($0) - Int($1)) < 24 },
                              "orientation \(orientation), quadrant \(corner): \(got) is not \(want)")
            }
        }
    }

    func testCMYKJPEG() throws {
        let source = try TestMedia.picture("for-cmyk.png", pixelFormat: "rgb24")
        let cmyk = TestMedia.path("cmyk.jpg")
        if !FileManager.default.fileExists(atPath: cmyk) {
            guard FileManager.default.fileExists(atPath: "/usr/bin/convert") else {
                throw XCTSkip("ImageMagick (apt imagemagick) is needed to make a CMYK JPEG")
            }
            try TestMedia.run("/usr/bin/convert", [source, "-quality", "95", "-colorspace", "CMYK", cmyk])
        }
        let image = try ImageIO.read(path: cmyk)
        XCTAssertEqual(image.format, .rgb8)
        XCTAssertLessThan(meanError(image, try ImageIO.read(path: source)), 6)
    }

    func testWriteIsAtomicAndChecksItsInputs() throws {
        let image = gradient()
        assertThrows(naming: "out.bmp", { if case .invalidArgument = $0 { return true } else { return false } }) {
            try ImageIO.write(image, path: TestMedia.path("out.bmp"))
        }
        XCTAssertThrowsError(try ImageIO.write(image, path: TestMedia.path("q.jpg"), quality: 0))
        let missingFolder = TestMedia.path("no-such-folder/out.png")
        assertThrows(naming: missingFolder, { if case .writeFailed = $0 { return true } else { return false } }) {
            try ImageIO.write(image, path: missingFolder)
        }
        // Overwriting leaves no temporary files behind.
        let path = TestMedia.path("overwrite.png")
        try ImageIO.write(image, path: path)
        try ImageIO.write(gradient(width: 8, height: 8), path: path)
        XCTAssertEqual(try ImageIO.read(path: path).width, 8)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: TestMedia.folder).filter { $0.contains(".partial-") }
        XCTAssertEqual(leftovers, [])
    }
}
