import Foundation
import MedleyCore
@testable import MedleyMedia
import XCTest

final class AudioDecoderTests: XCTestCase {
    /// lavfi's sine has amplitude 1/8, so its RMS is (1/8)/sqrt(2).
    private let sineRMS = 0.125 / 2.0.squareRoot()

    func testSineAtNativeRateHasExactLengthLevelAndPitch() throws {
        let audio = try AudioDecoder.readAll(path: try TestMedia.sineWAV(rate: 16000), sampleRate: 16000, channels: 1)
        XCTAssertEqual(audio.sampleRate, 16000)
        XCTAssertEqual(audio.channelCount, 1)
        XCTAssertEqual(audio.frameCount, 32000)
        XCTAssertEqual(audio.startTime, 0)
        XCTAssertEqual(Signal.rms(audio.samples), sineRMS, accuracy: 0.001)
        XCTAssertEqual(Signal.zeroCrossingFrequency(audio.samples, sampleRate: 16000), 440, accuracy: 2)
    }

    func testResampling44100To16000KeepsLengthAndPitch() throws {
        let file = try TestMedia.sineWAV(rate: 44100)
        let decoder = try AudioDecoder(path: file, sampleRate: 16000, channels: 1)
        XCTAssertEqual(decoder.sourceSampleRate, 44100)
        XCTAssertEqual(decoder.duration ?? 0, 2.0, accuracy: 0.001)
        var all: [Float] = []
        while let chunk = try decoder.read(maxFrames: 1000) { all += chunk.samples }
        // The resampler is flushed at the end: no tail is lost.
        XCTAssertEqual(Double(all.count), 32000, accuracy: 3)
        // Skip the filter's start-up and judge the steady state.
        let steady = Array(all[400..<31600])
        XCTAssertEqual(Signal.rms(steady), sineRMS, accuracy: 0.002)
        XCTAssertEqual(Signal.zeroCrossingFrequency(steady, sampleRate: 16000), 440, accuracy: 2)
    }

    func testChunksAreFullContiguousAndTimed() throws {
        let decoder = try AudioDecoder(path: try TestMedia.sineWAV(rate: 44100), sampleRate: 16000, channels: 1)
        var chunks: [AudioBuffer] = []
        while let chunk = try decoder.read(maxFrames: 4096) { chunks.append(chunk) }
        XCTAssertEqual(chunks.count, 8)  // 32000 / 4096 = 7.8
        var expectedStart = 0.0
        for (i, chunk) in chunks.enumerated() {
            if i < chunks.count - 1 { XCTAssertEqual(chunk.frameCount, 4096) }
            XCTAssertEqual(chunk.startTime, expectedStart, accuracy: 1e-9)
            expectedStart += chunk.duration
        }
        XCTAssertNil(try decoder.read(maxFrames: 4096), "stays at the end")
        // Chunked output equals decoding in one go.
        let whole = try AudioDecoder.readAll(path: try TestMedia.sineWAV(rate: 44100), sampleRate: 16000, channels: 1)
        XCTAssertEqual(chunks.flatMap(\.samples), whole.samples)
    }

    func testReadIntoReusesTheBuffer() throws {
        let decoder = try AudioDecoder(path: try TestMedia.sineWAV(rate: 16000), sampleRate: 16000, channels: 1)
        var buffer = AudioBuffer(samples: [], sampleRate: 16000)
        var total = 0
        while try decoder.read(into: &buffer, maxFrames: 1600) { total += buffer.frameCount }
        XCTAssertEqual(total, 32000)
        XCTAssertEqual(buffer.frameCount, 0)
    }

    func testStereoDownmixIsTheMeanOfTheChannels() throws {
        let file = try TestMedia.stereoLeftSine()
        let mono = try AudioDecoder.readAll(path: file, sampleRate: 44100, channels: 1)
        XCTAssertEqual(mono.frameCount, 88200)
        XCTAssertEqual(Signal.rms(mono.samples), sineRMS / 2, accuracy: 0.001)
        let stereo = try AudioDecoder.readAll(path: file, sampleRate: 44100, channels: 2)
        XCTAssertEqual(stereo.channelCount, 2)
        XCTAssertEqual(stereo.frameCount, 88200)
        XCTAssertEqual(Signal.rms(stereo.channel(0)), sineRMS, accuracy: 0.001)
        XCTAssertEqual(Signal.rms(stereo.channel(1)), 0, accuracy: 1e-6)
        // Mono at 16 kHz from stereo 44.1 kHz: both conversions at once.
        let speech = try AudioDecoder.readAll(path: file, sampleRate: 16000, channels: 1)
        XCTAssertEqual(Double(speech.frameCount), 32000, accuracy: 3)
        XCTAssertEqual(Signal.zeroCrossingFrequency(Array(speech.samples[400..<31600]), sampleRate: 16000), 440, accuracy: 2)
    }

    func testAudioTrackOfAVideoFile() throws {
        let decoder = try AudioDecoder(path: try TestMedia.videoWithAudio(), sampleRate: 16000, channels: 1)
        XCTAssertEqual(decoder.streamIndex, 1)
        var chunks = 0
        var frames = 0
        var first: AudioBuffer?
        while let chunk = try decoder.read(maxFrames: 8000) {
            if first == nil { first = chunk }
            chunks += 1
            frames += chunk.frameCount
        }
        XCTAssertEqual(first?.startTime ?? -1, 0, accuracy: 0.03)
        XCTAssertEqual(Double(frames), 32000, accuracy: 1100)  // AAC frames are 1024 samples
        XCTAssertGreaterThanOrEqual(chunks, 4)
    }

    func testExplicitStreamIndex() throws {
        let file = try TestMedia.videoWithAudio()
        XCTAssertEqual(try AudioDecoder(path: file, sampleRate: 16000, channels: 1, streamIndex: 1).streamIndex, 1)
        assertThrows(naming: file, { if case .noStream = $0 { return true } else { return false } }) {
            _ = try AudioDecoder(path: file, sampleRate: 16000, channels: 1, streamIndex: 0)
        }
        assertThrows(naming: file, { if case .invalidArgument = $0 { return true } else { return false } }) {
            _ = try AudioDecoder(path: file, sampleRate: 16000, channels: 1, streamIndex: 7)
        }
    }

    func testAsyncChunks() async throws {
        let decoder = try AudioDecoder(path: try TestMedia.sineWAV(rate: 16000), sampleRate: 16000, channels: 1)
        var frames = 0
        var starts: [Double] = []
        for try await chunk in decoder.chunks(frameCount: 8000) {
            frames += chunk.frameCount
            starts.append(chunk.startTime)
        }
        XCTAssertEqual(frames, 32000)
        XCTAssertEqual(starts, [0, 0.5, 1.0, 1.5])
    }

    func testAsyncChunksStopOnCancellation() async throws {
        let file = try TestMedia.sineWAV(rate: 16000)
        let task = Task { () -> Int in
            let decoder = try AudioDecoder(path: file, sampleRate: 16000, channels: 1)
            var count = 0
            for try await _ in decoder.chunks(frameCount: 1600) {
                count += 1
                if count == 2 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return count
        }
        do {
            let count = try await task.value
            XCTFail("expected cancellation, read \(count) chunks")
        } catch let error as MedleyError {
            XCTAssertEqual(error, .cancelled)
        }
    }

    func testInvalidArguments() throws {
        let file = try TestMedia.sineWAV(rate: 16000)
        XCTAssertThrowsError(try AudioDecoder(path: file, sampleRate: 0, channels: 1)) {
            guard case MedleyError.invalidArgument = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try AudioDecoder(path: file, sampleRate: 16000, channels: 0))
        let decoder = try AudioDecoder(path: file, sampleRate: 16000, channels: 1)
        XCTAssertThrowsError(try decoder.read(maxFrames: 0))
    }
}
