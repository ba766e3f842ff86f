// Benchmark driver: `medley-bench <case> [args]`. Each case runs one piece of Medley work and prints the
// elapsed wall time as JSON, so the scripts in bench/ can time the same work through peers in one run.
import Foundation
import MedleyCore
import MedleyMedia

let arguments = CommandLine.arguments.dropFirst()
guard let name = arguments.first else {
    FileHandle.standardError.write(Data("usage: medley-bench <case> [args]\n".utf8))
    exit(1)
}

/// Wall-clock seconds since `start`.
func secondsSince(_ start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// Prints one JSON line of results on stdout.
func report(_ fields: [String: Any]) {
    let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

/// Runs a case, turning a thrown error into a message on stderr and exit code 1.
func run(_ body: () throws -> Void) -> Never {
    do {
        try body()
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("medley-bench \(name): \(error)\n".utf8))
        exit(1)
    }
}

let caseArguments = Array(arguments.dropFirst())

switch name {
// MARK: - Media decoding (issue 2)

case "decode-video":
    // `decode-video FILE [--owned]`: every frame to RGB8 at native size. By default through the no-copy
    // `withNextFrame` path (what analysis code uses); `--owned` copies each frame into an owned Image.
    guard let file = caseArguments.first else {
        FileHandle.standardError.write(Data("usage: medley-bench decode-video FILE [--owned]\n".utf8))
        exit(1)
    }
    let owned = caseArguments.contains("--owned")
    run {
        let start = DispatchTime.now()
        let decoder = try VideoDecoder(path: file)
        var frames = 0
        var checksum = 0
        if owned {
            while let frame = try decoder.nextFrame() {
                frames += 1
                checksum &+= Int(frame.image.pixels[frame.image.pixels.count / 2])
            }
        } else {
            while let sample = try decoder.withNextFrame({ Int($0.pixels[$0.pixels.count / 2]) }) {
                frames += 1
                checksum &+= sample
            }
        }
        let seconds = secondsSince(start)
        report(["case": "decode-video", "frames": frames, "seconds": seconds, "fps": Double(frames) / seconds,
                "width": decoder.width, "height": decoder.height, "owned": owned, "checksum": checksum])
    }

case "decode-audio":
    // `decode-audio FILE`: the audio to 16 kHz mono Float32, streamed in 1 s chunks into one reused buffer.
    guard let file = caseArguments.first else {
        FileHandle.standardError.write(Data("usage: medley-bench decode-audio FILE\n".utf8))
        exit(1)
    }
    run {
        let start = DispatchTime.now()
        let rate = 16_000
        let decoder = try AudioDecoder(path: file, sampleRate: rate, channels: 1)
        var buffer = AudioBuffer(samples: [], sampleRate: rate)
        var frames = 0
        var peak: Float = 0
        while try decoder.read(into: &buffer, maxFrames: rate) {
            frames += buffer.frameCount
            for sample in buffer.samples { peak = max(peak, abs(sample)) }
        }
        let seconds = secondsSince(start)
        let audioSeconds = Double(frames) / Double(rate)
        report(["case": "decode-audio", "seconds": seconds, "audio_seconds": audioSeconds,
                "speed": audioSeconds / seconds, "peak": Double(peak)])
    }

default:
    FileHandle.standardError.write(Data("medley-bench: unknown case \(name)\n".utf8))
    exit(1)
}
