import Foundation
import MedleyCore
import XCTest

@testable import MedleyMedia

final class MuxerTests: XCTestCase {
    private var folder: URL!
    /// 2 s of testsrc2 (H.264) with a 220 Hz AAC track.
    private var videoWithAudio: String!
    /// 2 s of testsrc2 (H.264) in Matroska, no audio.
    private var silentVideo: String!
    /// 2 s of 440 Hz, PCM in WAV (MP4 cannot hold it: re-encoded) and AAC in M4A (copied).
    private var narrationWAV: String!
    private var narrationM4A: String!
    private var srt: String!
    private var vtt: String!

    private static let srtText = """
        1
        00:00:00,200 --> 00:00:00,900
        Hello from Medley

        2
        00:00:01,000 --> 00:00:01,800
        Second cue, with <i>style</i>

        """
    private static let vttText = """
        WEBVTT

        00:00:00.200 --> 00:00:00.900
        Hello from WebVTT

        00:00:01.000 --> 00:00:01.800
        Second WebVTT cue

        """

    override func setUpWithError() throws {
        folder = try EncodingTestTools.makeTemporaryFolder()
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        videoWithAudio = path("video.mp4")
        silentVideo = path("silent.mkv")
        narrationWAV = path("narration.wav")
        narrationM4A = path("narration.m4a")
        srt = path("subs.srt")
        vtt = path("subs.vtt")
        let video = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2"]
        let x264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        try EncodingTestTools.run(
            "ffmpeg",
            ["-v", "error", "-y"] + video + ["-f", "lavfi", "-i", "sine=frequency=220:duration=2"] + x264
                + ["-c:a", "aac", videoWithAudio])
        try EncodingTestTools.run("ffmpeg", ["-v", "error", "-y"] + video + x264 + [silentVideo])
        try EncodingTestTools.run(
            "ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", narrationWAV])
        try EncodingTestTools.run("ffmpeg", ["-v", "error", "-y", "-i", narrationWAV, "-c:a", "aac", narrationM4A])
        try Self.srtText.write(toFile: srt, atomically: true, encoding: .utf8)
        try Self.vttText.write(toFile: vtt, atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private func output(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The video stream of `path` has the source's codec and exactly its packet count: it was copied.
    private func assertVideoCopied(
        _ path: String, from source: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let original = try XCTUnwrap(
            EncodingTestTools.probe(source, countPackets: true).streams.first { $0.codecType == "video" })
        let copied = try XCTUnwrap(
            EncodingTestTools.probe(path, countPackets: true).streams.first { $0.codecType == "video" })
        XCTAssertEqual(copied.codecName, original.codecName, file: file, line: line)
        XCTAssertEqual(copied.codecName, "h264", file: file, line: line)
        XCTAssertEqual(try XCTUnwrap(copied.packetCount), try XCTUnwrap(original.packetCount), file: file, line: line)
        XCTAssertEqual(copied.packetCount, 50, file: file, line: line)
    }

    private func subtitleText(_ path: String) throws -> String {
        let data = try EncodingTestTools.run("ffmpeg", ["-v", "error", "-i", path, "-map", "0:s:0", "-f", "srt", "-"])
        return String(decoding: data, as: UTF8.self)
    }

    private func toneFrequency(_ path: String, stream: String = "a:0") throws -> Double {
        let samples = try EncodingTestTools.decodeMono(path, sampleRate: 16_000, stream: stream)
        XCTAssertGreaterThan(samples.count, 16_000)
        return EncodingTestTools.zeroCrossingFrequency(
            Array(samples[1_600..<(samples.count - 1_600)]), sampleRate: 16_000)
    }

    // MARK: - MKV and MP4

    func testMKVCopiesVideoAudioAndSubRip() throws {
        let out = output("out.mkv")
        let summary = try Muxer.mux(
            video: videoWithAudio, audio: narrationWAV, subtitles: srt, output: out,
            options: MuxOptions(replaceAudio: true, subtitleLanguage: "eng"))
        XCTAssertEqual(summary.tracks.map(\.kind), [.video, .audio, .subtitle])
        XCTAssertEqual(summary.tracks.map(\.copied), [true, true, true])
        try assertVideoCopied(out, from: videoWithAudio)

        let streams = try EncodingTestTools.probe(out).streams
        let audio = streams.filter { $0.codecType == "audio" }
        XCTAssertEqual(audio.map(\.codecName), ["pcm_s16le"])
        let subtitle = try XCTUnwrap(streams.first { $0.codecType == "subtitle" })
        XCTAssertEqual(subtitle.codecName, "subrip")
        XCTAssertEqual(subtitle.tags["language"], "eng")
        XCTAssertEqual(try toneFrequency(out), 440, accuracy: 2)

        let text = try subtitleText(out)
        XCTAssertTrue(text.contains("Hello from Medley"), text)
        XCTAssertTrue(text.contains("Second cue"), text)
        XCTAssertTrue(text.contains("00:00:00,200 --> 00:00:00,900"), text)
        XCTAssertEqual(try EncodingTestTools.hiddenPartials(in: folder), [])
    }

    func testMP4ReencodesPCMAndConvertsSubRipToMovText() throws {
        let out = output("out.mp4")
        let summary = try Muxer.mux(
            video: videoWithAudio, audio: narrationWAV, subtitles: srt, output: out,
            options: MuxOptions(replaceAudio: true, subtitleLanguage: "eng", audioLanguage: "fra"))
        XCTAssertEqual(summary.tracks.map(\.codec), ["h264", "aac", "mov_text"])
        XCTAssertEqual(summary.tracks.map(\.copied), [true, false, false])
        try assertVideoCopied(out, from: videoWithAudio)

        let info = try EncodingTestTools.probe(out)
        let audio = info.streams.filter { $0.codecType == "audio" }
        XCTAssertEqual(audio.map(\.codecName), ["aac"])
        XCTAssertEqual(audio.first?.tags["language"], "fra")
        XCTAssertEqual(audio.first?.sampleRate, 44_100)
        let subtitle = try XCTUnwrap(info.streams.first { $0.codecType == "subtitle" })
        XCTAssertEqual(subtitle.codecName, "mov_text")
        XCTAssertEqual(subtitle.tags["language"], "eng")
        XCTAssertEqual(try toneFrequency(out), 440, accuracy: 2)
        let decoded = try EncodingTestTools.decodeMono(out, sampleRate: 16_000)
        XCTAssertEqual(Double(decoded.count) / 16_000, 2, accuracy: 0.1)

        let text = try subtitleText(out)
        XCTAssertTrue(text.contains("Hello from Medley"), text)
        XCTAssertTrue(text.contains("Second cue, with"), text)
        XCTAssertTrue(text.contains("00:00:01,000 --> 00:00:01,800"), text)
    }

    func testMP4CopiesAACAndMKVTakesWebVTT() throws {
        let mp4 = output("aac.mp4")
        let summary = try Muxer.mux(
            video: silentVideo, audio: narrationM4A, output: mp4, options: MuxOptions(replaceAudio: true))
        XCTAssertEqual(summary.tracks.map(\.copied), [true, true])
        try assertVideoCopied(mp4, from: silentVideo)
        let sourceAudio = try EncodingTestTools.probe(narrationM4A, countPackets: true).streams.first
        let copiedAudio = try EncodingTestTools.probe(mp4, countPackets: true).streams.first { $0.codecType == "audio" }
        XCTAssertEqual(copiedAudio?.codecName, "aac")
        XCTAssertEqual(copiedAudio?.packetCount, sourceAudio?.packetCount)

        let mkv = output("vtt.mkv")
        try Muxer.mux(video: silentVideo, subtitles: vtt, output: mkv, options: MuxOptions(subtitleLanguage: "deu"))
        let subtitle = try XCTUnwrap(try EncodingTestTools.probe(mkv).streams.first { $0.codecType == "subtitle" })
        XCTAssertEqual(subtitle.codecName, "webvtt")
        XCTAssertEqual(subtitle.tags["language"], "deu")
        XCTAssertTrue(try subtitleText(mkv).contains("Second WebVTT cue"))

        let vttMP4 = output("vtt.mp4")
        try Muxer.mux(video: silentVideo, subtitles: vtt, output: vttMP4)
        let movText = try XCTUnwrap(try EncodingTestTools.probe(vttMP4).streams.first { $0.codecType == "subtitle" })
        XCTAssertEqual(movText.codecName, "mov_text")
        XCTAssertTrue(try subtitleText(vttMP4).contains("Hello from WebVTT"))
        try assertVideoCopied(vttMP4, from: silentVideo)
    }

    func testOriginalAudioIsKeptUnlessReplaced() throws {
        let both = output("both.mkv")
        try Muxer.mux(video: videoWithAudio, audio: narrationWAV, output: both)
        let audio = try EncodingTestTools.probe(both).streams.filter { $0.codecType == "audio" }
        XCTAssertEqual(audio.map(\.codecName), ["pcm_s16le", "aac"])
        XCTAssertEqual(audio.map(\.isDefault), [true, false], "the new track is the default one")
        XCTAssertEqual(try toneFrequency(both, stream: "a:0"), 440, accuracy: 2)
        XCTAssertEqual(try toneFrequency(both, stream: "a:1"), 220, accuracy: 2)

        let kept = output("kept.mp4")
        let summary = try Muxer.mux(video: videoWithAudio, output: kept)
        XCTAssertEqual(summary.tracks.map(\.copied), [true, true])
        XCTAssertEqual(try toneFrequency(kept), 220, accuracy: 2)
        XCTAssertEqual(try EncodingTestTools.probe(kept).streams.map(\.isDefault), [true, true])

        let silent = output("silent.mp4")
        try Muxer.mux(video: videoWithAudio, output: silent, options: MuxOptions(replaceAudio: true))
        XCTAssertEqual(try EncodingTestTools.probe(silent).streams.map(\.codecType), ["video"])
    }

    // MARK: - Bad input

    func testBadInputsThrowAndLeaveNothing() throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let out = output("bad.mp4")

        let missing = output("missing.mp4")
        XCTAssertThrowsError(try Muxer.mux(video: missing, output: out)) { error in
            XCTAssertEqual(error as? MedleyError, .fileNotFound(path: missing))
        }

        let text = output("notes.txt")
        try "just some notes\nnot a video\n".write(toFile: text, atomically: true, encoding: .utf8)
        let textAsVideo = output("notes-as-video.mp4")
        try "just some notes\nnot a video\n".write(toFile: textAsVideo, atomically: true, encoding: .utf8)
        // FFmpeg's tty demuxer would call this "ANSI art" video.
        let colouredLog = output("log.txt")
        try "\u{1B}[1mbold\u{1B}[0m log line\n".write(toFile: colouredLog, atomically: true, encoding: .utf8)
        for path in [text, textAsVideo, colouredLog] {
            XCTAssertThrowsError(try Muxer.mux(video: path, output: out)) { error in
                guard let error = error as? MedleyError else { return XCTFail("\(error)") }
                switch error {
                case .unreadableMedia(let named, _), .noStream(let named, _): XCTAssertEqual(named, path)
                default: XCTFail("\(error)")
                }
                XCTAssertTrue(error.message.contains(path), error.message)
            }
        }
        XCTAssertThrowsError(try Muxer.mux(video: narrationWAV, output: out)) { error in
            XCTAssertEqual(error as? MedleyError, .noStream(path: narrationWAV, kind: "video"))
        }
        XCTAssertThrowsError(try Muxer.mux(video: silentVideo, audio: srt, output: out)) { error in
            XCTAssertEqual(error as? MedleyError, .noStream(path: srt, kind: "audio"))
        }
        XCTAssertThrowsError(try Muxer.mux(video: silentVideo, subtitles: narrationWAV, output: out)) { error in
            XCTAssertEqual(error as? MedleyError, .noStream(path: narrationWAV, kind: "subtitle"))
        }
        let missingAudio = output("missing.wav")
        XCTAssertThrowsError(try Muxer.mux(video: silentVideo, audio: missingAudio, output: out)) { error in
            XCTAssertEqual(error as? MedleyError, .fileNotFound(path: missingAudio))
        }

        let avi = output("out.avi")
        XCTAssertThrowsError(try Muxer.mux(video: silentVideo, output: avi)) { error in
            guard case .invalidArgument(let message) = error as? MedleyError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains(avi) && message.contains(".mp4"), message)
        }
        XCTAssertThrowsError(
            try Muxer.mux(
                video: silentVideo, subtitles: srt, output: out, options: MuxOptions(subtitleLanguage: "english")))

        let inMissingFolder = output("no-such-folder/out.mkv")
        XCTAssertThrowsError(try Muxer.mux(video: silentVideo, audio: narrationWAV, output: inMissingFolder)) { error in
            guard case .writeFailed(let path, _) = error as? MedleyError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, inMissingFolder)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: output("no-such-folder")))

        let after = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(Set(after).subtracting(before), ["notes.txt", "notes-as-video.mp4", "log.txt"])
    }

    func testVideoCodecTheContainerCannotHoldIsRefused() throws {
        // FFV1 fits Matroska but not MP4: the video is never re-encoded, so MP4 output is refused.
        let ffv1 = output("ffv1.mkv")
        try EncodingTestTools.run(
            "ffmpeg",
            [
                "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=1", "-c:v", "ffv1",
                ffv1,
            ])
        let out = output("ffv1.mp4")
        XCTAssertThrowsError(try Muxer.mux(video: ffv1, output: out)) { error in
            guard case .invalidArgument(let message) = error as? MedleyError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("ffv1") && message.contains(".mkv"), message)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(try EncodingTestTools.hiddenPartials(in: folder), [])
        // The same stream goes into MKV unchanged.
        let mkv = output("ffv1-copy.mkv")
        try Muxer.mux(video: ffv1, output: mkv)
        XCTAssertEqual(try EncodingTestTools.probe(mkv).streams.first?.codecName, "ffv1")
    }
}
