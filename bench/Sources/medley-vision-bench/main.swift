// Vision benchmark driver: `medley-vision-bench <case> [args]`. Each case compiles its models, runs once to warm
// up, then times the work in-process and prints one JSON line, so bench/vision.sh can set the figures beside the
// Python peers' (bench/vision_peer.py), which are timed the same way.
import Foundation
import MedleyCore
import MedleyMedia
import MedleyModels
import MedleyVision

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first else {
    FileHandle.standardError.write(Data("usage: medley-vision-bench ocr|faces|safety|safety-ffmpeg-jpeg ARGS\n".utf8))
    exit(1)
}
let store = ModelStore(root: ModelStore.defaultRoot())

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now()
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

func report(_ fields: [String: Any]) {
    let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

func option(_ flag: String, default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return value }
    return Int(arguments[index + 1]) ?? value
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// User plus system CPU seconds of the whole process so far (all threads).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

do {
    switch name {
    case "ocr":
        // `ocr IMAGE... [--repeat N] [--batch B]`: per image, the lines and the median and best of N warm runs;
        // B lines per recogniser call (RapidOCR's 6 by default).
        let repeatCount = option("--repeat", default: 5)
        let paths = arguments.dropFirst().filter { !$0.hasPrefix("--") && Int($0) == nil }
        var engine: OCREngine?
        var settings = OCRSettings()
        settings.recognitionBatchSize = option("--batch", default: TextRecognizer.batchSize)
        let load = try seconds { engine = try OCREngine(store: store, settings: settings) }
        guard let engine else { exit(1) }
        for path in paths {
            let image = try ImageLoader.load(path: path).image
            var result = try engine.read(image)  // warm-up: first call per input shape
            var times: [Double] = []
            let cpuStart = cpuSeconds()
            for _ in 0..<max(1, repeatCount) { times.append(try seconds { result = try engine.read(image) }) }
            let cpu = (cpuSeconds() - cpuStart) / Double(max(1, repeatCount))
            let lines = result.lines.map { line -> [String: Any] in
                ["text": line.text, "confidence": line.confidence,
                 "box": line.box.corners.map { [$0.x, $0.y] }]
            }
            report(["path": path, "lines": lines, "seconds_median": median(times), "seconds_best": times.min() ?? 0,
                    "cpu_seconds_mean": cpu, "model_load_seconds": load])
        }

    case "faces":
        // `faces VIDEO`: every frame decoded and searched; end-to-end frames per second, and the detector alone.
        guard arguments.count > 1 else { exit(1) }
        let detector = try FaceDetector(store: store)
        let decoder = try VideoDecoder(path: arguments[1])
        var frames = 0, withFaces = 0
        var detectTime = 0.0
        let total = try seconds {
            while let frame = try decoder.nextFrame() {
                var result: FaceDetectionResult?
                detectTime += try seconds { result = try detector.detect(frame.image) }
                frames += 1
                if !(result?.faces.isEmpty ?? true) { withFaces += 1 }
            }
        }
        report(["case": "faces", "frames": frames, "frames_with_faces": withFaces, "seconds": total,
                "fps": Double(frames) / total, "detector_fps": Double(frames) / detectTime,
                "width": decoder.width, "height": decoder.height])

    case "safety":
        // `safety IMAGE...`: the score and the time of one warm classification.
        let classifier = try SafetyClassifier(store: store)
        for path in arguments.dropFirst() {
            let image = try ImageLoader.load(path: path).image  // huge files are read shrunk, as the CLI does
            _ = try classifier.classify(image)
            var result: SafetyResult?
            let time = try seconds { result = try classifier.classify(image) }
            report(["path": path, "score": result?.score ?? -1, "seconds": time])
        }

    case "safety-ffmpeg-jpeg":
        // `safety-ffmpeg-jpeg IMAGE`: open_nsfw with FFmpeg's mjpeg encoder and decoder (MedleyMedia's ImageIO at
        // quality 75) for the JPEG round trip instead of Medley's libjpeg emulation, to measure what it changes.
        let classifier = try SafetyClassifier(store: store)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medley-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for path in arguments.dropFirst() {
            let resized = try ImageIO.read(path: path).converted(to: .rgb8)
                .resized(width: 256, height: 256, method: .antialiasedBilinear)
            let jpeg = folder.appendingPathComponent("round-trip.jpg").path
            try ImageIO.write(resized, path: jpeg, quality: 75)
            let decoded = try ImageIO.read(path: jpeg).converted(to: .rgb8)
            let cropped = try decoded.cropped(x: 16, y: 16, width: 224, height: 224)
            let input = cropped.tensor(layout: .nhwc, channelOrder: .bgr,
                                       normalization: PixelNormalization(mean: [104, 117, 123], scale: [1, 1, 1]))
            report(["path": path, "score": try classifier.classify(preprocessed: input).score])
        }

    default:
        FileHandle.standardError.write(Data("medley-vision-bench: unknown case \(name)\n".utf8))
        exit(1)
    }
} catch {
    FileHandle.standardError.write(Data("medley-vision-bench \(name): \(error)\n".utf8))
    exit(1)
}
