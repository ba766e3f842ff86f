import ArgumentParser
import Foundation
import MedleyMedia

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Show a media file's container and streams."
    )

    @Argument(help: "A media file (audio, video or image).")
    var file: String

    @Flag(help: "Print JSON on stdout.")
    var json = false

    func run() throws {
        let info = try MediaProbe.probe(path: file)
        if json {
            try Terminal.printJSON(info)
            return
        }
        var lines = ["\(file): \(info.format)"]
        if let duration = info.duration { lines[0] += String(format: ", %.3f s", duration) }
        if let bitRate = info.bitRate { lines[0] += ", \(bitRate / 1000) kb/s" }
        for stream in info.streams {
            var fields = ["#\(stream.index)", stream.type, stream.codec]
            if let width = stream.width, let height = stream.height { fields.append("\(width)x\(height)") }
            if let fps = stream.fps { fields.append(String(format: "%g fps", fps)) }
            if let rotation = stream.rotation, rotation != 0 { fields.append("rotated \(rotation)°") }
            if let rate = stream.sampleRate { fields.append("\(rate) Hz") }
            if let layout = stream.channelLayout {
                fields.append(layout)
            } else if let channels = stream.channels {
                fields.append("\(channels) ch")
            }
            if let language = stream.language { fields.append("[\(language)]") }
            lines.append("  " + fields.joined(separator: "  "))
        }
        print(lines.joined(separator: "\n"))
    }
}
