import Foundation
import MedleyCore
@testable import MedleyMedia
import XCTest

/// Every entry point fails on bad input with the right ``MedleyError`` and a message naming the path.
final class MediaBadInputTests: XCTestCase {
    /// Each public way in, as a closure over a path.
    private let openers: [(String, (String) throws -> Void)] = [
        ("probe", { _ = try MediaProbe.probe(path: $0) }),
        ("audio", { _ = try AudioDecoder.readAll(path: $0, sampleRate: 16000, channels: 1) }),
        ("video", { path in
            let decoder = try VideoDecoder(path: path)
            while try decoder.nextFrame() != nil {}
        }),
        ("image", { _ = try ImageIO.read(path: $0) }),
    ]

    private func forEachOpener(_ expected: (String) -> MedleyError, path: String, line: UInt = #line) {
        for (name, open) in openers {
            assertThrows(expected(path), naming: path, line: line) { try open(path) }
            _ = name
        }
    }

    func testMissingPath() {
        forEachOpener({ .fileNotFound(path: $0) }, path: TestMedia.path("does-not-exist.mp4"))
    }

    func testDirectory() {
        forEachOpener({ .isDirectory(path: $0) }, path: TestMedia.folder)
    }

    func testZeroByteFile() throws {
        let path = try TestMedia.write("empty.mp4", [])
        forEachOpener({ .emptyFile(path: $0) }, path: path)
    }

    private func isUnreadable(_ error: MedleyError) -> Bool {
        if case .unreadableMedia = error { return true }
        return false
    }

    func testTextFileNamedMP4() throws {
        let path = try TestMedia.write("notes.mp4", Array("These are meeting notes, not a video.\n".utf8))
        for (_, open) in openers {
            assertThrows(naming: path, isUnreadable) { try open(path) }
        }
    }

    /// An MP4 cut in half loses its index (the moov box is written last), so nothing can be read.
    func testTruncatedMP4() throws {
        let whole = try TestMedia.bytes(try TestMedia.videoWithAudio())
        let path = try TestMedia.write("truncated.mp4", Array(whole[0..<(whole.count / 2)]))
        for (_, open) in openers {
            assertThrows(naming: path, isUnreadable) { try open(path) }
        }
    }

    /// A stream-friendly file (MPEG-TS) cut in half still decodes its first half, like the ffmpeg CLI.
    func testTruncatedTransportStreamDecodesWhatIsThere() throws {
        let file = try TestMedia.make("whole.ts", ["-i", try TestMedia.videoWithAudio(), "-c", "copy"])
        let whole = try TestMedia.bytes(file)
        let path = try TestMedia.write("half.ts", Array(whole[0..<(whole.count / 2)]))
        let decoder = try VideoDecoder(path: path)
        var frames = 0
        while try decoder.nextFrame() != nil { frames += 1 }
        XCTAssertGreaterThan(frames, 5)
        XCTAssertLessThan(frames, 50)
        let audio = try AudioDecoder.readAll(path: path, sampleRate: 16000, channels: 1)
        XCTAssertGreaterThan(audio.duration, 0.2)
    }

    func testNoAudioStream() throws {
        let path = try TestMedia.videoOnly()
        assertThrows(.noStream(path: path, kind: "audio"), naming: path) {
            _ = try AudioDecoder(path: path, sampleRate: 16000, channels: 1)
        }
    }

    func testNoVideoStream() throws {
        let path = try TestMedia.sineWAV(rate: 16000)
        assertThrows(.noStream(path: path, kind: "video"), naming: path) { _ = try VideoDecoder(path: path) }
        assertThrows(.noStream(path: path, kind: "image"), naming: path) { _ = try ImageIO.read(path: path) }
    }

    /// A video stream whose codec FFmpeg can demux but has no decoder for (an AVI with an unknown FourCC).
    func testUnsupportedVideoCodec() throws {
        let avi = try TestMedia.make("mpeg4.avi", [
            "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=1", "-c:v", "mpeg4",
        ])
        let bytes = try TestMedia.bytes(avi)
        let patched = replacing(Array("FMP4".utf8), with: Array("ZZZZ".utf8), in: bytes)
        let path = try TestMedia.write("unknown-codec.avi", patched)
        XCTAssertEqual(try MediaProbe.probe(path: path).streams.first?.codec, "unknown (tag ZZZZ)")
        assertThrows(.unsupportedCodec(path: path, codec: "unknown (tag ZZZZ)"), naming: path) {
            _ = try VideoDecoder(path: path)
        }
    }

    /// An audio stream with a WAVE format tag no decoder knows.
    func testUnsupportedAudioCodec() throws {
        var bytes = try TestMedia.bytes(try TestMedia.sineWAV(rate: 16000))
        let fmt = try XCTUnwrap(firstIndex(of: Array("fmt ".utf8), in: bytes))
        bytes[fmt + 8] = 0x77
        bytes[fmt + 9] = 0x77
        let path = try TestMedia.write("unknown-codec.wav", bytes)
        assertThrows(naming: path, { if case .unsupportedCodec = $0 { return true } else { return false } }) {
            _ = try AudioDecoder(path: path, sampleRate: 16000, channels: 1)
        }
    }

    func testCorruptImages() throws {
        // A PNG signature followed by garbage.
        let garbage = try TestMedia.write("garbage.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<500).map { UInt8(($0 * 37) & 0xFF) })
        assertThrows(naming: garbage, isUnreadable) { _ = try ImageIO.read(path: garbage) }
        // A real PNG whose compressed data is overwritten.
        var png = try TestMedia.bytes(try TestMedia.picture("rgb.png", pixelFormat: "rgb24"))
        let idat = try XCTUnwrap(firstIndex(of: Array("IDAT".utf8), in: png))
        for i in (idat + 8)..<min(png.count - 12, idat + 400) { png[i] = 0xA5 }
        let damaged = try TestMedia.write("damaged.png", png)
        assertThrows(naming: damaged, isUnreadable) { _ = try ImageIO.read(path: damaged) }
        // A JPEG cut in the middle of its picture data.
        let jpegPath = TestMedia.path("whole.jpg")
        try ImageIO.write(try ImageIO.read(path: try TestMedia.picture("rgb.png", pixelFormat: "rgb24")), path: jpegPath)
        let jpeg = try TestMedia.bytes(jpegPath)
        let cut = try TestMedia.write("cut.jpg", Array(jpeg[0..<(jpeg.count * 6 / 10)]))
        assertThrows(naming: cut, isUnreadable) { _ = try ImageIO.read(path: cut) }
    }

    private func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }

    private func replacing(_ needle: [UInt8], with replacement: [UInt8], in haystack: [UInt8]) -> [UInt8] {
        var result = haystack
        var i = 0
        while i <= result.count - needle.count {
            if Array(result[i..<(i + needle.count)]) == needle {
                result.replaceSubrange(i..<(i + needle.count), with: replacement)
                i += needle.count
            } else {
                i += 1
            }
        }
        return result
    }
}
