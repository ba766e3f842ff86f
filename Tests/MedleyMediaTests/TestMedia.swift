import Foundation
import MedleyCore
import XCTest

/// Test media generated with the ffmpeg CLI (lavfi sources) into a per-process temp folder, each file made
/// once and reused by every test that asks for it.
enum TestMedia {
    static let folder: String = {
        let prefix = "medley-media-tests-"
        let temporary = NSTemporaryDirectory()
        // Remove the folders of earlier test processes that have ended, so runs do not pile up in /tmp.
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [] where entry.hasPrefix(prefix) {
            if let pid = Int32(entry.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: temporary + "/" + entry)
            }
        }
        let path = temporary + "/" + prefix + "\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func path(_ name: String) -> String { folder + "/" + name }

    /// Runs `ffmpeg -v error -y <arguments> <output>` unless `name` exists already; returns its path.
    static func make(_ name: String, _ arguments: [String]) throws -> String {
        let output = path(name)
        if FileManager.default.fileExists(atPath: output) { return output }
        try run("/usr/bin/ffmpeg", ["-v", "error", "-nostdin", "-y"] + arguments + [output])
        return output
    }

    /// Runs a tool and returns its standard output; throws with its standard error when it fails.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "TestMedia", code: Int(process.terminationStatus), userInfo: [
                NSLocalizedDescriptionKey: "\(tool) \(arguments.joined(separator: " ")): "
                    + String(decoding: errorData, as: UTF8.self),
            ])
        }
        return data
    }

    /// Raw rgb24 bytes of the first frame of `file` as the ffmpeg CLI decodes it (autorotated).
    static func ffmpegFirstFrameRGB(_ file: String, extra: [String] = []) throws -> [UInt8] {
        [UInt8](try run("/usr/bin/ffmpeg", ["-v", "error", "-nostdin", "-i", file] + extra
            + ["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]))
    }

    // MARK: - Fixtures

    static let videoSeconds = 2.0
    static let videoWidth = 320
    static let videoHeight = 240

    /// 2 s, 320x240, 25 fps H.264 (yuv420p) + 440 Hz sine AAC 16 kHz mono tagged English, MP4 (moov at end).
    static func videoWithAudio() throws -> String {
        try make("av.mp4", [
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "64k", "-metadata:s:a:0", "language=eng",
        ])
    }

    /// 2 s of video only (no audio stream).
    static func videoOnly() throws -> String {
        try make("video-only.mp4", [
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        ])
    }

    /// A 440 Hz sine (amplitude 1/8, lavfi's default) as 16-bit WAV.
    static func sineWAV(rate: Int, seconds: Double = 2) throws -> String {
        try make("sine-\(rate).wav", [
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=\(rate):duration=\(seconds)", "-c:a", "pcm_s16le",
        ])
    }

    /// Stereo WAV, 44.1 kHz, 2 s: left a 440 Hz sine (amplitude 1/8), right silence.
    static func stereoLeftSine() throws -> String {
        try make("stereo-left.wav", [
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2",
            "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono",
            "-filter_complex", "[0:a][1:a]amerge=inputs=2[a]", "-map", "[a]", "-t", "2", "-c:a", "pcm_s16le",
        ])
    }

    /// The video of ``videoOnly()`` with a `rotate` tag (stream copy). With FFmpeg 5.1's MP4 muxer a tag of
    /// 270 yields a display matrix that needs a 90° clockwise turn (like a phone's portrait video) and 90 one
    /// that needs 270° clockwise.
    static func rotated(tag: Int) throws -> String {
        let source = try videoOnly()
        return try make("rotated-\(tag).mp4", ["-i", source, "-c", "copy", "-metadata:s:v", "rotate=\(tag)"])
    }

    /// A generated test picture (testsrc2) as an image file; `pixelFormat` picks the stored format.
    static func picture(_ name: String, pixelFormat: String, size: String = "64x48", extra: [String] = []) throws -> String {
        try make(name, ["-f", "lavfi", "-i", "testsrc2=size=\(size):rate=1:duration=1", "-frames:v", "1"] + extra + ["-pix_fmt", pixelFormat])
    }

    /// Writes `bytes` to `name` in the test folder and returns its path.
    static func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Reads a file's bytes.
    static func bytes(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
    }
}

/// Numbers a listener would check on decoded audio.
enum Signal {
    static func rms(_ samples: [Float]) -> Double {
        guard !samples.isEmpty else { return 0 }
        return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
    }

    /// Frequency from the count of rising zero crossings.
    static func zeroCrossingFrequency(_ samples: [Float], sampleRate: Int) -> Double {
        var rising = 0
        for i in 1..<samples.count where samples[i - 1] < 0 && samples[i] >= 0 { rising += 1 }
        return Double(rising) / (Double(samples.count) / Double(sampleRate))
    }
}

/// Asserts that `body` throws `expected` and that the message names `path`.
func assertThrows(_ expected: MedleyError, naming path: String? = nil, file: StaticString = #filePath, line: UInt = #line,
                  _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected \(expected), nothing was thrown", file: file, line: line)
    } catch let error as MedleyError {
        XCTAssertEqual(error, expected, file: file, line: line)
        if let path { XCTAssertTrue(error.message.contains(path), "message '\(error.message)' should name \(path)", file: file, line: line) }
    } catch {
        XCTFail("expected \(expected), got \(error)", file: file, line: line)
    }
}

/// Asserts that `body` throws a MedleyError matching `matches` whose message names `path`.
func assertThrows(naming path: String, file: StaticString = #filePath, line: UInt = #line,
                  _ matches: (MedleyError) -> Bool, _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected an error, nothing was thrown", file: file, line: line)
    } catch let error as MedleyError {
        XCTAssertTrue(matches(error), "unexpected error: \(error)", file: file, line: line)
        XCTAssertTrue(error.message.contains(path), "message '\(error.message)' should name \(path)", file: file, line: line)
    } catch {
        XCTFail("expected a MedleyError, got \(error)", file: file, line: line)
    }
}
