import Foundation
import MedleyCore
import XCTest

/// Short generated clips (ffmpeg CLI, lavfi) in a per-process temp folder, each made once per test process.
/// 320x180 at 25 fps, so the analysis downscale (to 256x144) is exercised and debug builds stay fast.
enum VideoTestMedia {
    static let size = "320x180"
    static let rate = 25

    static let folder: String = {
        let prefix = "medley-video-tests-"
        let temporary = NSTemporaryDirectory()
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

    /// Runs `ffmpeg -v error -y <arguments> <output>` unless `name` exists; returns its path.
    static func make(_ name: String, _ arguments: [String]) throws -> String {
        let output = path(name)
        if FileManager.default.fileExists(atPath: output) { return output }
        try run("/usr/bin/ffmpeg", ["-v", "error", "-nostdin", "-y"] + arguments + [output])
        return output
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "VideoTestMedia", code: Int(process.terminationStatus), userInfo: [
                NSLocalizedDescriptionKey: "\(tool) \(arguments.joined(separator: " ")): " + String(decoding: errorData, as: UTF8.self),
            ])
        }
        return data
    }

    static let h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]

    /// A lavfi source of `seconds` at the test size and rate, as a filter-graph input label chain.
    static func source(_ spec: String, seconds: Double) -> String {
        "\(spec),trim=duration=\(seconds),setpts=PTS-STARTPTS,scale=\(size),format=yuv420p,fps=\(rate)"
    }

    /// The deterministic shot sources used for hard cuts, in order.
    static let shotSources = [
        "testsrc2=s=\(size):r=25",
        "smptehdbars=s=\(size):r=25",
        "mandelbrot=s=\(size):r=25",
        "cellauto=s=\(size):r=25:rule=110:seed=7",
        "color=c=0xC03020:s=\(size):r=25,drawbox=x='mod(t*120,260)':y=60:w=60:h=60:c=white:t=fill",
    ]

    /// Five shots of 2 s each (cuts at frames 50, 100, 150, 200), 250 frames.
    static func hardCuts() throws -> String {
        let inputs = shotSources.enumerated().map { "\(source($0.element, seconds: 2))[s\($0.offset)]" }
        let graph = inputs.joined(separator: ";") + ";" + (0..<shotSources.count).map { "[s\($0)]" }.joined()
            + "concat=n=\(shotSources.count)"
        return try make("hard-cuts.mp4", ["-filter_complex", graph] + h264)
    }

    static let hardCutFrames = [50, 100, 150, 200]
}

/// F1 of detected cut frames against the truth, one-to-one within `tolerance` frames.
func cutF1(detected: [Int], truth: [Int], tolerance: Int = 2) -> Double {
    var unmatched = detected
    var matched = 0
    for cut in truth {
        if let best = unmatched.enumerated().filter({ abs($0.element - cut) <= tolerance })
            .min(by: { abs($0.element - cut) < abs($1.element - cut) }) {
            unmatched.remove(at: best.offset)
            matched += 1
        }
    }
    guard !detected.isEmpty || !truth.isEmpty else { return 1 }
    let precision = detected.isEmpty ? 0 : Double(matched) / Double(detected.count)
    let recall = truth.isEmpty ? 1 : Double(matched) / Double(truth.count)
    return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
}
