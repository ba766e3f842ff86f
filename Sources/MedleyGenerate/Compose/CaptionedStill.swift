import Foundation
import MedleyCore
import MedleyMedia
import MedleyModels
import MedleyVision

/// A still picture held for the length of an audio track, with its caption in a bar under it, as an H.264 video:
/// the talking-avatar card of the `avatar` workflow (a generated face, stylised, speaking its caption).
///
/// The video's provenance names every model found in its ingredients' own labels (the picture's PNG/JPEG label and
/// the speech file's `synthesis_model` tags), so the card says which models made its face and its voice.
public enum CaptionedStill {
    /// Frames per second of the card: a still picture needs few, but players seek better with a steady rate.
    public static let frameRate = 25.0
    /// Seconds of picture after the audio ends, so the last word is not cut by players that stop on the last frame.
    public static let tail = 0.5
    /// Text scale of the built-in 6x10 bitmap font: one font pixel is this many picture pixels per 256 px of width.
    static let textScalePer256 = 1

    /// Writes the card to `path` (`.mp4` or `.mkv`) and its provenance record beside it.
    ///
    /// - Parameters:
    ///   - image: the picture (any size; an odd size is padded to even by the encoder).
    ///   - imagePath: the picture's file, hashed as an ingredient and read for its label; nil when it has none.
    ///   - imageTitle, audioTitle: the names to record for the ingredients (nil: the files' own names).
    ///   - audioPath: the soundtrack; its length sets the card's.
    ///   - caption: text drawn under the picture (printable ASCII; other characters show as '?'), or nil.
    /// - Throws: `noStream` when `audioPath` has no audio; `invalidArgument` for silent-length audio; write errors.
    @discardableResult
    public static func write(
        image: Image, imagePath: String?, imageTitle: String? = nil, audioPath: String, audioTitle: String? = nil,
        caption: String?, to path: String, progress: any ProgressReporter = SilentProgress()
    ) throws -> GeneratedFiles {
        let info = try MediaProbe.probe(path: audioPath)
        guard info.firstStream(ofType: "audio") != nil else { throw MedleyError.noStream(path: audioPath, kind: "audio") }
        guard let duration = info.duration, duration > 0, duration.isFinite else {
            throw MedleyError.invalidArgument("\(audioPath): the audio has no length; give speech or music to hold the picture for")
        }
        let card = try render(image: image.format == .rgb8 ? image : image.converted(to: .rgb8), caption: caption)
        let provenance = try record(imagePath: imagePath, imageTitle: imageTitle, audioPath: audioPath,
                                    audioTitle: audioTitle, caption: caption)
        let writer = try VideoWriter(path: path, width: card.width, height: card.height, frameRate: frameRate,
                                     metadata: try GeneratedMedia.videoTags(for: provenance))
        let frames = Int(((duration + tail) * frameRate).rounded(.up))
        let stage = "card"
        for index in 0..<frames {
            if Task.isCancelled {
                writer.cancel()
                throw MedleyError.cancelled
            }
            try writer.append(card)
            progress.report(ProgressEvent(stage: stage, completed: Double(index + 1), total: Double(frames), unit: "frames"))
        }
        try writer.finish(audioFrom: audioPath)
        return GeneratedFiles(output: path, provenance: try GeneratedMedia.writeRecord(provenance, for: path))
    }

    /// The picture with a caption bar under it (the picture is not covered: the bar adds rows).
    static func render(image: Image, caption: String?) throws -> Image {
        guard let caption, !caption.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return image }
        let scale = max(1, image.width / 256 * textScalePer256)
        let lineHeight = Image.textSize("M", scale: scale).height + 4 * scale
        let margin = 6 * scale
        let charactersPerLine = max(1, (image.width - 2 * margin) / Image.textSize("M", scale: scale).width)
        let lines = wrap(caption, width: charactersPerLine)
        let barHeight = lines.count * lineHeight + 2 * margin
        var card = Image(width: image.width, height: image.height + barHeight, format: .rgb8)
        for row in 0..<image.height {
            let source = row * image.stride, target = row * card.stride
            card.pixels.replaceSubrange(target..<(target + image.width * 3),
                                        with: image.pixels[source..<(source + image.width * 3)])
        }
        card.fillRectangle(ImageRect(x: 0, y: Double(image.height), width: Double(image.width), height: Double(barHeight)),
                           color: DrawColor(red: 20, green: 20, blue: 24))
        for (index, line) in lines.enumerated() {
            let width = Image.textSize(line, scale: scale).width
            let origin = ImagePoint(x: Double((image.width - width) / 2),
                                    y: Double(image.height + margin + index * lineHeight + 2 * scale))
            card.drawText(line, at: origin, color: .white, scale: scale)
        }
        return card
    }

    /// Greedy word wrap to `width` characters; words longer than a line are cut.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            var word = word
            while word.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The card's record: `c2pa.created` from AI-generated ingredients, with every model their labels name.
    static func record(imagePath: String?, imageTitle: String?, audioPath: String, audioTitle: String?,
                       caption: String?) throws -> GenerationProvenance {
        var ingredients: [ProvenanceIngredient] = []
        if let imagePath { ingredients.append(try .file(imagePath, relationship: "componentOf", title: imageTitle)) }
        var voice = try ProvenanceIngredient.file(audioPath, relationship: "componentOf", title: audioTitle)
        if voice.models == nil, let model = speechModel(tags: (try? MediaProbe.containerTags(path: audioPath)) ?? [:]) {
            voice.models = [model]
        }
        ingredients.append(voice)
        var settings: [String: ProvenanceValue] = ["frame_rate": .number(frameRate)]
        if let caption { settings["caption"] = .string(caption) }
        return .created(task: "video.captioned_still", models: [], seed: nil, settings: settings,
                        ingredients: ingredients)
    }

    /// The voice model named by the tags `medley speak` writes (`synthesis_model` = "<id> <version>" and
    /// `synthesis_model_sha256`). WAV's RIFF INFO cannot hold those keys, so there they arrive as "key: value" lines
    /// of the comment; the license comes from the catalog card.
    static func speechModel(tags: [String: String]) -> ProvenanceModel? {
        var fields = tags
        for line in (tags["comment"] ?? "").split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, fields[parts[0]] == nil { fields[parts[0]] = parts[1] }
        }
        guard let model = fields["synthesis_model"] else { return nil }
        let parts = model.split(separator: " ", maxSplits: 1).map(String.init)
        guard let id = parts.first else { return nil }
        let license = (try? ModelCatalog.card(id: id))?.license.spdx ?? "unknown"
        return ProvenanceModel(id: id, version: parts.count > 1 ? parts[1] : "",
                               sha256: fields["synthesis_model_sha256"], license: license)
    }
}
