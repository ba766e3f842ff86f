import MedleyCore
import MedleyMedia
@testable import MedleyVideo
import MedleyVision
import XCTest

final class AnalysisFrameTests: XCTestCase {
    /// The analysis frame made from the planes equals the CLI-equivalent RGB frame resized with OpenCV's
    /// INTER_LINEAR (MedleyVision's bit-exact `.bilinear`): PySceneDetect's frame.
    func testDownscaleFromPlanesEqualsRGBThenOpenCVResize() throws {
        let video = try VideoTestMedia.hardCuts()
        for start in [0.0, 4.4] {
            let native = try XCTUnwrap(try VideoDecoder(path: video, options: VideoDecodeOptions(startTime: start)).nextFrame())
            let expected = try native.image.resized(width: 256, height: 144, method: .bilinear)
            let decoder = try VideoDecoder(path: video, options: VideoDecodeOptions(startTime: start))
            var downscaler = AnalysisDownscaler()
            let loaded: Bool? = try decoder.withNextPicture { picture in
                guard case .yuv420(let planes) = picture else { return false }
                downscaler.load(planes, targetWidth: 256, targetHeight: 144)
                return true
            }
            XCTAssertEqual(loaded, true)
            XCTAssertEqual(downscaler.width, 256)
            XCTAssertEqual(downscaler.height, 144)
            var differing = 0
            for i in 0..<expected.pixels.count where expected.pixels[i] != downscaler.pixels[i] { differing += 1 }
            XCTAssertEqual(differing, 0, "at \(start) s, \(differing) of \(expected.pixels.count) bytes differ")
        }
    }

    /// The lookup tables of the direct path give swscale's conversion (``AnalysisDownscaler/rgb``) exactly.
    func testLimitedRangeTablesEqualTheConversion() {
        let samples = Array(stride(from: 0, through: 255, by: 3)) + [1, 16, 128, 235, 240, 254, 255]
        var mismatches = 0
        for y in 0...255 {
            for u in samples {
                for v in samples {
                    let expected = AnalysisDownscaler.rgb(UInt8(y), UInt8(u), UInt8(v), false)
                    let l = LimitedRangeRGB.luma[y]
                    let r = LimitedRangeRGB.byte(l + LimitedRangeRGB.redV[v])
                    let g = LimitedRangeRGB.byte(l + LimitedRangeRGB.greenU[u] + LimitedRangeRGB.greenV[v])
                    let b = LimitedRangeRGB.byte(l + LimitedRangeRGB.blueU[u])
                    if (r, g, b) != expected { mismatches += 1 }
                }
            }
        }
        XCTAssertEqual(mismatches, 0)
        XCTAssertEqual(LimitedRangeRGB.byte(-5), 0)
        XCTAssertEqual(LimitedRangeRGB.byte(300), 255)
        XCTAssertEqual(LimitedRangeRGB.byte(77), 77)
    }

    /// 1280 x 720 shrinks to 256 x 144 by exactly 5 (each output pixel is source pixel 5d + 2): the direct
    /// path for such sizes gives the same bytes as RGB conversion then OpenCV's resize.
    func testPointSampledDownscaleEqualsRGBThenOpenCVResize() throws {
        let video = try VideoTestMedia.make("hd.mp4", ["-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25:d=0.2",
                                                      "-pix_fmt", "yuv420p"] + VideoTestMedia.h264)
        let native = try VideoDecoder(path: video)
        let decoder = try VideoDecoder(path: video)
        var downscaler = AnalysisDownscaler()
        for _ in 0..<2 {
            let frame = try XCTUnwrap(try native.nextFrame())
            let expected = try frame.image.resized(width: 256, height: 144, method: .bilinear)
            let loaded: Bool? = try decoder.withNextPicture { picture in
                guard case .yuv420(let planes) = picture else { return false }
                downscaler.load(planes, targetWidth: 256, targetHeight: 144)
                return true
            }
            XCTAssertEqual(loaded, true)
            XCTAssertEqual(downscaler.pixels, expected.pixels, "frame \(frame.index)")
        }
    }
}
