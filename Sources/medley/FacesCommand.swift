import ArgumentParser
import Foundation
import MedleyWorkflow
import MedleyCore
import MedleyMedia
import MedleyVision

struct FacesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faces",
        abstract: "Find faces in an image or a video (MediaPipe BlazeFace, short range).",
        discussion: """
            The model is made for faces within about 2 m of the camera; use --tile for small faces in large \
            pictures. With --json: {"faces": [{"box": [x, y, w, h], "score": 0.97, "keypoints": [[x, y], ...]}], \
            "width": 512, "height": 512}; keypoints are right eye, left eye, nose tip, mouth, right ear, left ear \
            (the person's right). For a video, one entry per sampled frame.
            """
    )

    @Argument(help: "An image or a video.")
    var file: String

    @Flag(help: "Print JSON on stdout.")
    var json = false

    @Option(help: ArgumentHelp(
        "Write the picture with the faces drawn; for a video, a folder that receives one PNG per sampled frame.",
        valueName: "out"))
    var annotate: String?

    @Option(help: "Video frames to examine per second of video.")
    var fps: Double = 5

    @Option(help: "Faces scoring lower are dropped.")
    var minScore: Float = 0.5

    @Option(help: ArgumentHelp("Also search overlapping square tiles of this many pixels (small faces).",
                               valueName: "pixels"))
    var tile: Int?

    @OptionGroup var models: TaskModelOptions

    func validate() throws {
        guard fps > 0, fps.isFinite else { throw ValidationError("--fps must be a positive number") }
        guard (0...1).contains(minScore) else { throw ValidationError("--min-score must be in [0, 1]") }
        if let tile, tile < FaceDetectionSettings.minimumTileSize {
            throw ValidationError("--tile must be at least \(FaceDetectionSettings.minimumTileSize) pixels (the detector's input side)")
        }
    }

    func run() async throws {
        try await recordedTask("vision.faces", settings: ["fps": .number(fps), "min_score": .number(Double(minScore))], inputs: ["image": file], models: ["blazeface-short-range"], store: models.store) {
            try await perform()
            return ((), [])
        }
    }

    private func perform() async throws {
        let detector = try FaceDetector(store: models.store, policy: models.licensePolicy(),
                                        settings: FaceDetectionSettings(minimumScore: minScore, tileSize: tile))
        let file = self.file, fps = self.fps, annotate = self.annotate
        if try ImageLoader.isStillImage(path: file) {
            let loaded = try ImageLoader.load(path: file)
            loaded.warnings.forEach(Terminal.printWarning)
            let result = try detector.detect(loaded)
            if let annotate {
                try ImageIO.write(Annotator.draw(result.faces, on: loaded.image, sourceWidth: result.width,
                                                 sourceHeight: result.height), path: annotate)
            }
            if json {
                try Terminal.printJSON(result)
            } else {
                printFaces(result.faces, prefix: "")
            }
            return
        }
        if let annotate {
            try FileManager.default.createDirectory(atPath: annotate, withIntermediateDirectories: true)
        }
        let bar = ProgressBar()
        let result = try await runCancellable {
            try detector.detect(videoPath: file, framesPerSecond: fps, progress: bar) { frame, found in
                guard let annotate, !found.faces.isEmpty else { return }
                let name = String(format: "frame-%06d.png", frame.index)
                try ImageIO.write(Annotator.draw(found.faces, on: frame.image, sourceWidth: found.width,
                                                 sourceHeight: found.height),
                                  path: (annotate as NSString).appendingPathComponent(name))
            }
        }
        bar.finish()
        if json {
            try Terminal.printJSON(result)
            return
        }
        for frame in result.frames where !frame.faces.isEmpty {
            printFaces(frame.faces, prefix: String(format: "%8.3f  ", frame.time))
        }
        print("\(result.frames.filter { !$0.faces.isEmpty }.count) of \(result.frames.count) sampled frame(s) show faces")
    }

    private func printFaces(_ faces: [Face], prefix: String) {
        for face in faces {
            print(prefix + String(format: "face %.2f  at %.0f,%.0f  size %.0fx%.0f", face.score, face.box.x, face.box.y,
                                  face.box.width, face.box.height))
        }
        if prefix.isEmpty { print("\(faces.count) face(s)") }
    }
}
