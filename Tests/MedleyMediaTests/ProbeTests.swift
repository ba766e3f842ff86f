import Foundation
import MedleyCore
@testable import MedleyMedia
import XCTest

final class ProbeTests: XCTestCase {
    func testProbeReportsWhatWasGenerated() throws {
        let file = try TestMedia.videoWithAudio()
        let info = try MediaProbe.probe(path: file)
        XCTAssertEqual(info.format, "mov,mp4,m4a,3gp,3g2,mj2")
        XCTAssertEqual(info.duration ?? 0, 2.0, accuracy: 0.1)
        XCTAssertGreaterThan(info.bitRate ?? 0, 0)
        XCTAssertEqual(info.streams.count, 2)
        let video = try XCTUnwrap(info.firstStream(ofType: "video"))
        XCTAssertEqual(video.index, 0)
        XCTAssertEqual(video.codec, "h264")
        XCTAssertEqual(video.width, 320)
        XCTAssertEqual(video.height, 240)
        XCTAssertEqual(video.fps ?? 0, 25, accuracy: 1e-9)
        XCTAssertEqual(video.rotation, 0)
        XCTAssertNil(video.sampleRate)
        let audio = try XCTUnwrap(info.firstStream(ofType: "audio"))
        XCTAssertEqual(audio.index, 1)
        XCTAssertEqual(audio.codec, "aac")
        XCTAssertEqual(audio.sampleRate, 16000)
        XCTAssertEqual(audio.channels, 1)
        XCTAssertEqual(audio.channelLayout, "mono")
        XCTAssertEqual(audio.language, "eng")
        XCTAssertNil(audio.width)
        XCTAssertNil(audio.rotation)
    }

    func testJSONHasSnakeCaseKeysAndOmitsNil() throws {
        let info = try MediaProbe.probe(path: try TestMedia.videoWithAudio())
        let data = try JSONEncoder().encode(info)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["format", "duration", "bit_rate", "streams"])
        let streams = try XCTUnwrap(object["streams"] as? [[String: Any]])
        XCTAssertEqual(Set(streams[0].keys), ["index", "type", "codec", "width", "height", "fps", "rotation"])
        XCTAssertEqual(Set(streams[1].keys), ["index", "type", "codec", "sample_rate", "channels", "channel_layout", "language"])
        XCTAssertEqual(try JSONDecoder().decode(MediaInfo.self, from: data), info)
    }

    func testWAVProbe() throws {
        let info = try MediaProbe.probe(path: try TestMedia.stereoLeftSine())
        XCTAssertEqual(info.format, "wav")
        XCTAssertEqual(info.duration ?? 0, 2.0, accuracy: 0.001)
        XCTAssertEqual(info.streams.first?.codec, "pcm_s16le")
        XCTAssertEqual(info.streams.first?.sampleRate, 44100)
        XCTAssertEqual(info.streams.first?.channels, 2)
        XCTAssertEqual(info.streams.first?.channelLayout, "stereo")
    }

    /// Rotation is the clockwise turn to display upright: what the ffmpeg CLI applies when it autorotates.
    func testRotationIsClockwiseDisplayTurn() throws {
        // FFmpeg 5.1's muxer turns a rotate=270 tag into a matrix that needs 90° clockwise, rotate=90 into 270°.
        XCTAssertEqual(try MediaProbe.probe(path: try TestMedia.rotated(tag: 270)).streams[0].rotation, 90)
        XCTAssertEqual(try MediaProbe.probe(path: try TestMedia.rotated(tag: 90)).streams[0].rotation, 270)
        XCTAssertEqual(try MediaProbe.probe(path: try TestMedia.rotated(tag: 180)).streams[0].rotation, 180)
    }
}
