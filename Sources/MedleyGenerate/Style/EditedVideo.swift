import Dispatch
import Foundation
import MedleyCore
import MedleyMedia

/// Re-encodes a video frame by frame through an AI edit (style transfer, matting), labelled as AI-edited: the
/// provenance tags go into the container, `OUT.provenance.json` beside it, and the source's best audio stream is
/// copied across.
///
/// Frames are decoded upright (display rotation applied) at their own size, handed to `edit` in order, and
/// written as H.264 at the source's average frame rate (25 when it does not say) with ``VideoWriter``. Progress is
/// reported in seconds of video; cancellation is checked between frames, and a cancelled or failed run leaves no
/// file at the output path.
enum EditedVideo {
    /// What the run produced.
    struct Outcome {
        var files: GeneratedFiles
        var width: Int
        var height: Int
        var frames: Int
        var hasAudio: Bool
    }

    /// Frame rate used when the source does not state one (FFmpeg's own default for raw streams).
    static let fallbackFrameRate = 25.0

    /// Checks what can be checked before any frame is decoded: the output is a video path in an existing folder.
    static func checkOutput(_ output: String) throws {
        guard let type = GeneratedMedia.mediaType(of: output), type.hasPrefix("video/"), type != "video/quicktime"
        else {
            throw MedleyError.invalidArgument("\(output): a video is written as .mp4 or .mkv; give a path with one "
                + "of those extensions")
        }
        try GeneratedMedia.requireOutputFolder(of: output)
    }

    /// Runs `edit` over every frame of `input` and writes the result to `output`.
    ///
    /// - Parameters:
    ///   - firstFrame: called once with the first frame before `edit` sees it (for set-up that needs a frame,
    ///     such as the content's own style vector).
    ///   - edit: the edited frame for a frame; it must keep the frame's size.
    /// - Throws: `noStream` when `input` has no video stream, decode and write errors, `CancellationError`.
    static func run(
        input: String, output: String, provenance: GenerationProvenance, stage: String,
        progress: any ProgressReporter, firstFrame: (Image) throws -> Void = { _ in },
        edit: (Image) throws -> Image
    ) throws -> Outcome {
        try checkOutput(output)
        let decoder = try VideoDecoder(path: input)
        let hasAudio = (try? MediaProbe.probe(path: input))?.firstStream(ofType: "audio") != nil
        let writer = try VideoWriter(
            path: output, width: decoder.width, height: decoder.height,
            frameRate: decoder.frameRate ?? fallbackFrameRate, metadata: try GeneratedMedia.videoTags(for: provenance),
            speed: .fast)
        return try withoutActuallyEscaping(edit) { edit in
            let worker = FrameWorker(edit: edit)
            do {
                var frames = 0
                // Two picture buffers, used in turn: the decoder's pixels are copied into one while the worker
                // edits the other (a buffer still held elsewhere is copied first, as value semantics require).
                var pictures = [Image](repeating: Image(width: decoder.width, height: decoder.height, format: .rgb8),
                                       count: 2)
                var lastTime = 0.0
                while let time = try decoder.withNextFrame({ borrowed -> Double in
                    copy(borrowed, into: &pictures[frames % 2])
                    return borrowed.time
                }) {
                    try Task.checkCancellation()
                    let picture = pictures[frames % 2]
                    if frames == 0 { try firstFrame(picture) }
                    // The worker edits this frame while this thread writes the previous one and decodes the next.
                    let previous = try worker.finish()
                    worker.start(picture)
                    if let previous {
                        try writer.append(previous)
                        progress.report(
                            ProgressEvent(stage: stage, completed: lastTime, total: decoder.duration, unit: "s"))
                    }
                    lastTime = time
                    frames += 1
                }
                if let last = try worker.finish() {
                    try writer.append(last)
                    progress.report(
                        ProgressEvent(stage: stage, completed: lastTime, total: decoder.duration, unit: "s"))
                }
                guard frames > 0 else {
                    throw MedleyError.unreadableMedia(path: input, reason: "no video frame could be decoded")
                }
                try writer.finish(audioFrom: hasAudio ? input : nil)
                let record = try GeneratedMedia.writeRecord(provenance, for: output)
                return Outcome(files: GeneratedFiles(output: output, provenance: record), width: decoder.width,
                               height: decoder.height, frames: frames, hasAudio: hasAudio)
            } catch {
                _ = try? worker.finish()
                writer.cancel()
                throw error
            }
        }
    }

    /// Copies a decoded frame's rows into a packed RGB picture of its size.
    private static func copy(_ frame: BorrowedVideoFrame, into picture: inout Image) {
        let rowBytes = frame.width * 3
        guard let base = frame.pixels.baseAddress, picture.width == frame.width, picture.height == frame.height else {
            picture = frame.makeImage()
            return
        }
        picture.pixels.withUnsafeMutableBytes { target in
            guard let out = target.baseAddress else { return }
            for y in 0..<frame.height {
                (out + y * rowBytes).copyMemory(from: base + y * frame.stride, byteCount: rowBytes)
            }
        }
    }
}

/// Runs a video edit on one background thread, one frame at a time and in order, so that decoding and encoding
/// overlap with it (a 720p matte spends about as long in its own pixel work as FFmpeg spends decoding and
/// encoding).
///
/// Unchecked `Sendable`: `edit` runs on the worker thread only, never twice at once (``start(_:)`` follows
/// ``finish()``), and the result is handed over through the group's wait, which orders the memory accesses.
private final class FrameWorker: @unchecked Sendable {
    private let edit: (Image) throws -> Image
    private let queue = DispatchQueue(label: "medley.video-edit")
    private let group = DispatchGroup()
    private var result: Result<Image, any Error>?
    private var running = false

    init(edit: @escaping (Image) throws -> Image) {
        self.edit = edit
    }

    /// Starts editing `picture` on the worker thread.
    func start(_ picture: Image) {
        running = true
        group.enter()
        queue.async {
            self.result = Result { try self.edit(picture) }
            self.group.leave()
        }
    }

    /// Waits for the edit started last and returns its picture (nil when none was started); rethrows its error.
    func finish() throws -> Image? {
        guard running else { return nil }
        group.wait()
        running = false
        defer { result = nil }
        return try result?.get()
    }
}
