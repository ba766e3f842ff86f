import Foundation
import MedleyCore
@testable import MedleyMedia
import XCTest

/// The decoder's shortcuts for analysis: frames left undecoded (non-reference frames), the deblocking filter
/// skipped, and moving through a file by seeking or decoding on.
final class VideoDecoderSkippingTests: XCTestCase {
    /// 4 s of testsrc2 (100 frames) in x264's usual structure: B-frames with a B-pyramid (`veryfast`), a
    /// keyframe every 40 frames, so about half the frames are non-reference ones.
    private func bFrameVideo() throws -> String {
        try TestMedia.make("bframes.mp4", [
            "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=4", "-c:v", "libx264", "-preset", "veryfast",
            "-g", "40", "-pix_fmt", "yuv420p",
        ])
    }

    private func decodeAll(_ path: String, _ options: VideoDecodeOptions = VideoDecodeOptions()) throws -> [VideoFrame] {
        let decoder = try VideoDecoder(path: path, options: options)
        var frames: [VideoFrame] = []
        while let frame = try decoder.nextFrame() { frames.append(frame) }
        return frames
    }

    /// Skipped frames leave gaps in the indices; the frames returned are the full decode's, index, time and
    /// pixels; the frames after the last one returned are counted at the end.
    func testSkippingNonReferenceFramesReturnsTheFullDecodesFrames() throws {
        let file = try bFrameVideo()
        let all = try decodeAll(file)
        XCTAssertEqual(all.count, 100)
        let decoder = try VideoDecoder(path: file, options: VideoDecodeOptions(skipNonReferenceFrames: true))
        XCTAssertTrue(decoder.skipsNonReferenceFrames)
        var some: [VideoFrame] = []
        while let frame = try decoder.nextFrame() { some.append(frame) }
        XCTAssertLessThan(some.count, 80, "x264 veryfast makes about half the frames non-reference ones")
        XCTAssertGreaterThan(some.count, 20)
        XCTAssertEqual(some.first?.index, 0)
        for frame in some {
            let full = all[frame.index]
            XCTAssertEqual(frame.time, full.time, accuracy: 1e-9, "frame \(frame.index)")
            XCTAssertEqual(frame.image, full.image, "frame \(frame.index)")
        }
        XCTAssertEqual((some.last?.index ?? 0) + 1 + decoder.unreturnedFrameCount, all.count)
        // After a seek too: the first frame is placed by its time, the following ones counted.
        try decoder.seek(to: 2.5)
        var after: [VideoFrame] = []
        while let frame = try decoder.nextFrame() { after.append(frame) }
        XCTAssertFalse(after.isEmpty)
        XCTAssertEqual(after.map(\.index), some.filter { $0.index >= 63 }.map(\.index))
        for frame in after { XCTAssertEqual(frame.image, all[frame.index].image, "frame \(frame.index) after the seek") }
    }

    /// A codec outside the safe list (here Motion JPEG) decodes every frame and says so.
    func testOtherCodecsDecodeEveryFrame() throws {
        let file = try TestMedia.make("mjpeg.mkv", [
            "-f", "lavfi", "-i", "testsrc2=s=160x90:r=25:d=1", "-c:v", "mjpeg", "-pix_fmt", "yuvj420p",
        ])
        let decoder = try VideoDecoder(path: file, options: VideoDecodeOptions(skipNonReferenceFrames: true))
        XCTAssertFalse(decoder.skipsNonReferenceFrames)
        var indices: [Int] = []
        while let frame = try decoder.nextFrame() { indices.append(frame.index) }
        XCTAssertEqual(indices, Array(0..<25))
    }

    /// After a seek the lead-in's non-reference frames are not decoded; the frames from the start time are the
    /// full decode's. `seek(to:)` on an open decoder gives what opening at that time gives.
    func testSeekingGivesTheFullDecodesFrames() throws {
        let file = try bFrameVideo()
        let all = try decodeAll(file)
        let decoder = try VideoDecoder(path: file)
        for start in [2.5, 0.52, 3.9, 0, 1.61] {
            try decoder.seek(to: start)
            let opened = try decodeAll(file, VideoDecodeOptions(startTime: start))
            var seeked: [VideoFrame] = []
            while let frame = try decoder.nextFrame() { seeked.append(frame) }
            let first = Int((start * 25 - 1e-6).rounded(.up))
            XCTAssertEqual(seeked.map(\.index), Array(first..<100), "seek to \(start)")
            XCTAssertEqual(opened.map(\.index), Array(first..<100), "open at \(start)")
            XCTAssertEqual(seeked.map(\.image), all[first...].map(\.image), "seek to \(start)")
            XCTAssertEqual(opened.map(\.image), all[first...].map(\.image), "open at \(start)")
        }
        XCTAssertThrowsError(try decoder.seek(to: -1))
    }

    /// Decoding on to a later time without seeking skips the frames before it and returns the full decode's
    /// frames from there; a time behind the position changes nothing.
    func testSkippingForwardGivesTheFullDecodesFrames() throws {
        let file = try bFrameVideo()
        let all = try decodeAll(file)
        let decoder = try VideoDecoder(path: file)
        _ = try decoder.nextFrame()
        decoder.skipForward(to: 1.3)
        let next = try XCTUnwrap(try decoder.nextFrame())
        XCTAssertEqual(next.index, 33)
        XCTAssertEqual(next.image, all[33].image)
        decoder.skipForward(to: 0.5)
        XCTAssertEqual(try decoder.nextFrame()?.image, all[34].image)
        decoder.skipForward(to: 3.5)
        var rest: [VideoFrame] = []
        while let frame = try decoder.nextFrame() { rest.append(frame) }
        XCTAssertEqual(rest.map(\.index), Array(88..<100))
        XCTAssertEqual(rest.map(\.image), all[88...].map(\.image))
    }

    /// A packet the demuxer flags as damaged (32 KB overwritten in the middle of an MPEG-TS file) always gives a
    /// damaged frame, with frame threads, whether or not non-reference frames are skipped (FFmpeg's own flag on
    /// such a frame depends on the threads' timing).
    func testDamagedPacketsAlwaysGiveDamagedFrames() throws {
        let clean = try TestMedia.make("skip-clean.ts", [
            "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=4", "-c:v", "libx264", "-preset", "veryfast",
            "-pix_fmt", "yuv420p",
        ])
        var bytes = try TestMedia.bytes(clean)
        let middle = bytes.count / 2
        bytes.replaceSubrange(middle..<(middle + 32_768), with: [UInt8](repeating: 0x5A, count: 32_768))
        let damaged = try TestMedia.write("skip-damaged.ts", bytes)
        for skipping in [false, true, false, true] {
            let decoder = try VideoDecoder(path: damaged, options: VideoDecodeOptions(skipNonReferenceFrames: skipping))
            while try decoder.withNextPicture({ _ in }) != nil {}
            XCTAssertGreaterThan(decoder.damagedFrameCount, 0, "skipping: \(skipping)")
        }
    }

    /// Without its deblocking filter the decoder gives slightly different pictures: close to the exact ones,
    /// never equal on this clip (so the option really reaches the codec). Skipping on non-reference frames only
    /// leaves the reference frames exact.
    func testSkippingTheLoopFilterChangesPicturesSlightly() throws {
        let file = try bFrameVideo()
        let exact = try decodeAll(file)
        let fast = try decodeAll(file, VideoDecodeOptions(skipLoopFilter: .all))
        XCTAssertEqual(fast.count, exact.count)
        var differing = 0
        for (a, b) in zip(exact, fast) {
            var difference = 0
            a.image.pixels.withUnsafeBufferPointer { p in
                b.image.pixels.withUnsafeBufferPointer { q in
                    for i in 0..<min(p.count, q.count) { difference += abs(Int(p[i]) - Int(q[i])) }
                }
            }
            let mean = Double(difference) / Double(a.image.pixels.count)
            XCTAssertLessThan(mean, 3, "frame \(a.index): mean absolute difference \(mean)")
            if difference > 0 { differing += 1 }
        }
        XCTAssertGreaterThan(differing, exact.count / 2)
        // Reference frames (the ones a skipping decoder returns) are exact when only non-reference frames skip it.
        let references = try decodeAll(file, VideoDecodeOptions(skipNonReferenceFrames: true))
        let nonReferenceOnly = try decodeAll(file, VideoDecodeOptions(skipLoopFilter: .nonReference))
        for frame in references {
            XCTAssertEqual(nonReferenceOnly[frame.index].image, exact[frame.index].image, "frame \(frame.index)")
        }
    }
}
