import Foundation
import MedleyCore
@testable import MedleyMedia
import XCTest

final class VideoDecoderTests: XCTestCase {
    private func decodeAll(_ path: String, _ options: VideoDecodeOptions = VideoDecodeOptions()) throws -> [VideoFrame] {
        let decoder = try VideoDecoder(path: path, options: options)
        var frames: [VideoFrame] = []
        while let frame = try decoder.nextFrame() { frames.append(frame) }
        return frames
    }

    func testEveryFrameAtNativeSize() throws {
        let frames = try decodeAll(try TestMedia.videoOnly())
        XCTAssertEqual(frames.count, 50)  // 25 fps x 2 s
        for (i, frame) in frames.enumerated() {
            XCTAssertEqual(frame.index, i)
            XCTAssertEqual(frame.time, Double(i) / 25, accuracy: 1e-6)
            XCTAssertEqual(frame.image.width, 320)
            XCTAssertEqual(frame.image.height, 240)
            XCTAssertEqual(frame.image.format, .rgb8)
            XCTAssertEqual(frame.image.stride, 320 * 3)
        }
    }

    /// At native size the pixels are the ffmpeg CLI's `-pix_fmt rgb24` output, byte for byte.
    func testFramesEqualTheFFmpegCLI() throws {
        let file = try TestMedia.videoOnly()
        let decoder = try VideoDecoder(path: file)
        let first = try XCTUnwrap(try decoder.nextFrame())
        XCTAssertEqual(first.image.pixels, try TestMedia.ffmpegFirstFrameRGB(file))
    }

    func testResizeKeepsAspectRatio() throws {
        let file = try TestMedia.videoOnly()
        func size(_ options: VideoDecodeOptions) throws -> (Int, Int) {
            let decoder = try VideoDecoder(path: file, options: options)
            let frame = try XCTUnwrap(try decoder.nextFrame())
            XCTAssertEqual(frame.image.width, decoder.width)
            XCTAssertEqual(frame.image.height, decoder.height)
            XCTAssertEqual(frame.image.pixels.count, decoder.width * decoder.height * 3)
            return (frame.image.width, frame.image.height)
        }
        XCTAssertTrue(try size(VideoDecodeOptions(width: 160)) == (160, 120))
        XCTAssertTrue(try size(VideoDecodeOptions(height: 60)) == (80, 60))
        XCTAssertTrue(try size(VideoDecodeOptions(width: 100, height: 100)) == (100, 75))
        XCTAssertTrue(try size(VideoDecodeOptions(width: 100, height: 100, keepAspectRatio: false)) == (100, 100))
        XCTAssertTrue(try size(VideoDecodeOptions(width: 101)) == (101, 76))
    }

    func testFrameRateSubsampling() throws {
        let frames = try decodeAll(try TestMedia.videoOnly(), VideoDecodeOptions(frameRate: 5))
        XCTAssertEqual(frames.map(\.time), (0..<10).map { Double($0) * 0.2 }, accuracy: 1e-6)
        XCTAssertEqual(frames.map(\.index), (0..<10).map { $0 * 5 })
        // A rate that does not divide 25: ticks every 1/3 s, each served by the first frame at or after it.
        let thirds = try decodeAll(try TestMedia.videoOnly(), VideoDecodeOptions(frameRate: 3))
        XCTAssertEqual(thirds.map(\.time), [0, 0.36, 0.68, 1.0, 1.36, 1.68], accuracy: 1e-6)
        // A rate above the source's never repeats a frame.
        XCTAssertEqual(try decodeAll(try TestMedia.videoOnly(), VideoDecodeOptions(frameRate: 60)).count, 50)
    }

    func testStartTimeSeeksToTheFirstFrameAtOrAfterIt() throws {
        let file = try TestMedia.videoOnly()
        for start in [1.0, 0.97, 1.3, 0.5] {
            let frames = try decodeAll(file, VideoDecodeOptions(startTime: start))
            let first = try XCTUnwrap(frames.first)
            XCTAssertGreaterThanOrEqual(first.time, start - 1e-6)
            XCTAssertLessThan(first.time, start + 0.04)
            XCTAssertEqual(frames.count, 50 - Int((first.time * 25).rounded()))
            XCTAssertEqual(first.index, Int((first.time * 25).rounded()))
        }
        // The picture after a seek is the same as when decoding from the start.
        let all = try decodeAll(file)
        let seeked = try decodeAll(file, VideoDecodeOptions(startTime: 1.3))
        XCTAssertEqual(seeked.first?.image, all[33].image)
        // Start plus rate: ticks counted from the start time.
        let sampled = try decodeAll(file, VideoDecodeOptions(frameRate: 2, startTime: 0.5))
        XCTAssertEqual(sampled.map(\.time), [0.52, 1.0, 1.52], accuracy: 1e-6)
    }

    /// A display rotation turns the frames upright exactly as the ffmpeg CLI's autorotation does.
    func testRotatedVideoIsTurnedUpright() throws {
        for tag in [270, 90, 180] {
            let file = try TestMedia.rotated(tag: tag)
            let decoder = try VideoDecoder(path: file)
            let frame = try XCTUnwrap(try decoder.nextFrame())
            let swapped = tag != 180
            XCTAssertEqual(frame.image.width, swapped ? 240 : 320, "tag \(tag)")
            XCTAssertEqual(frame.image.height, swapped ? 320 : 240, "tag \(tag)")
            XCTAssertEqual(frame.image.pixels, try TestMedia.ffmpegFirstFrameRGB(file), "tag \(tag)")
        }
        // Resizing refers to the upright picture.
        let small = try VideoDecoder(path: try TestMedia.rotated(tag: 270), options: VideoDecodeOptions(width: 120))
        XCTAssertEqual(small.rotation, 90)
        XCTAssertEqual(try XCTUnwrap(try small.nextFrame()).image.height, 160)
        // And can be switched off.
        let raw = try VideoDecoder(path: try TestMedia.rotated(tag: 270), options: VideoDecodeOptions(applyRotation: false))
        XCTAssertEqual(try XCTUnwrap(try raw.nextFrame()).image.width, 320)
    }

    func testBorrowedFramesNeedNoCopy() throws {
        let decoder = try VideoDecoder(path: try TestMedia.videoOnly(), options: VideoDecodeOptions(width: 64))
        var count = 0
        var checksum = 0
        while let sum = try decoder.withNextFrame({ frame -> Int in
            XCTAssertEqual(frame.width, 64)
            XCTAssertEqual(frame.height, 48)
            XCTAssertGreaterThanOrEqual(frame.stride, 64 * 3)
            XCTAssertEqual(frame.pixels.count, frame.stride * 48)
            return Int(frame.pixels[0]) + Int(frame.pixels[frame.stride * 47 + 63 * 3])
        }) {
            count += 1
            checksum += sum
        }
        XCTAssertEqual(count, 50)
        XCTAssertGreaterThan(checksum, 0)
        XCTAssertNil(try decoder.withNextFrame { _ in 1 }, "stays at the end")
    }

    /// A raw H.264 elementary stream (no container timestamps) still gives every frame, in time order.
    func testRawElementaryStream() throws {
        let raw = try TestMedia.make("raw.h264", ["-i", try TestMedia.videoOnly(), "-c", "copy", "-f", "h264"])
        let frames = try decodeAll(raw, VideoDecodeOptions(width: 32))
        XCTAssertEqual(frames.count, 50)
        XCTAssertEqual(frames.map(\.index), Array(0..<50))
        XCTAssertEqual(frames.last?.time ?? 0, 49.0 / 25, accuracy: 0.05)
        XCTAssertTrue(zip(frames, frames.dropFirst()).allSatisfy { $0.time < $1.time })
    }

    func testDecoderProperties() throws {
        let decoder = try VideoDecoder(path: try TestMedia.videoWithAudio())
        XCTAssertEqual(decoder.streamIndex, 0)
        XCTAssertEqual(decoder.frameRate ?? 0, 25, accuracy: 1e-9)
        XCTAssertEqual(decoder.duration ?? 0, 2, accuracy: 0.05)
        XCTAssertEqual(decoder.rotation, 0)
        XCTAssertEqual(decoder.width, 320)
        XCTAssertEqual(decoder.height, 240)
    }

    func testInvalidOptions() throws {
        let file = try TestMedia.videoOnly()
        for options in [VideoDecodeOptions(width: 0), VideoDecodeOptions(frameRate: 0), VideoDecodeOptions(startTime: -1)] {
            XCTAssertThrowsError(try VideoDecoder(path: file, options: options)) {
                guard case MedleyError.invalidArgument = $0 else { return XCTFail("\($0)") }
            }
        }
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(a) vs \(b)", file: file, line: line)
    for (x, y) in zip(a, b) where abs(x - y) > accuracy {
        XCTFail("\(a) is not \(b)", file: file, line: line)
        return
    }
}
