import ArgumentParser
import Foundation
import MedleyCore
import MedleyGenerate
import MedleySpeech

struct ProvenanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provenance",
        abstract: "Show how a file Medley generated was made, and whether it changed since.",
        discussion: """
            Reads OUT.provenance.json beside the file and the label inside it (PNG text chunks, JPEG comment, \
            MP4/MKV tags), and compares the file's SHA-256 with the record's. Exit code 0 when the file is \
            unchanged or only labelled, 1 when it was modified since it was written or carries no record. \
            With --json: {"file", "sha256", "integrity": "unchanged|modified|label_only|none", "record": {...}}.
            """
    )

    @Argument(help: "A picture, video or audio file Medley made.")
    var file: String

    @Flag(help: "Print JSON on stdout.")
    var json = false

    func run() async throws {
        let inspection = try ProvenanceReader.inspect(path: file)
        if inspection.best == nil, let recordPath = inspection.recordPath {
            // Speech made by `medley speak` has its own record format.
            let speech = try SpeechProvenance.load(from: recordPath)
            if json {
                FileHandle.standardOutput.write(try speech.jsonData() + Data("\n".utf8))
            } else {
                print("\(file): AI-generated speech, voice \(speech.voice), made by Medley \(speech.medleyVersion)")
                print("  model:   \(speech.modelCardId ?? speech.voice) \(speech.modelVersion ?? "")"
                    + (speech.modelSha256.map { " sha256 \($0)" } ?? ""))
                print("  created: \(ISO8601DateFormatter().string(from: speech.created))")
                print("  text:    \(speech.text)")
            }
            return
        }
        if json {
            try printJSON(inspection)
        } else {
            printHuman(inspection)
        }
        switch inspection.integrity {
        case .unchanged, .labelOnly:
            return
        case .modified:
            throw MedleyError.invalidArgument(
                "\(file): changed since Medley wrote it (SHA-256 \(inspection.sha256.prefix(16))…, the record says "
                    + "\(inspection.record?.outputSHA256?.prefix(16) ?? "?")…); its record no longer describes it")
        case .none:
            throw MedleyError.invalidArgument(
                "\(file): carries no Medley provenance record (not made by Medley, or the label was stripped)")
        }
    }

    private func printHuman(_ inspection: ProvenanceInspection) {
        guard let record = inspection.best else { return }
        let verdict: String
        switch inspection.integrity {
        case .unchanged: verdict = "unchanged since written (SHA-256 matches \(inspection.recordPath ?? "the record"))"
        case .modified: verdict = "MODIFIED since written (SHA-256 differs from \(inspection.recordPath ?? "the record"))"
        case .labelOnly: verdict = "label inside the file only (no record beside it to check the bytes against)"
        case .none: verdict = "no record"
        }
        let kind = record.actions.first?.action == "c2pa.edited" ? "AI-edited" : "AI-generated"
        print("\(file): \(kind) by \(record.claimGenerator), task \(record.task)")
        print("  integrity:  \(verdict)")
        print("  created:    \(ISO8601DateFormatter().string(from: record.created))")
        print("  source:     \(record.digitalSourceType)")
        for model in record.allModels {
            print("  model:      \(model.id) \(model.version) (\(model.license))"
                + (model.sha256.map { " sha256 \($0)" } ?? ""))
        }
        if let seed = record.seed { print("  seed:       \(seed)") }
        if !record.settings.isEmpty {
            let settings = record.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            print("  settings:   \(settings.joined(separator: " "))")
        }
        for ingredient in record.ingredients {
            print("  ingredient: \(ingredient.title) (\(ingredient.relationship)) sha256 \(ingredient.sha256)")
        }
    }

    private func printJSON(_ inspection: ProvenanceInspection) throws {
        var text = "{\n  \"file\" : \(quoted(inspection.path)),\n  \"integrity\" : \"\(inspection.integrity.rawValue)\",\n"
        text += "  \"sha256\" : \"\(inspection.sha256)\""
        if let record = inspection.best {
            let recordJSON = String(decoding: try record.jsonData(), as: UTF8.self)
                .replacingOccurrences(of: "\n", with: "\n  ")
            text += ",\n  \"record\" : \(recordJSON)"
        }
        FileHandle.standardOutput.write(Data((text + "\n}\n").utf8))
    }

    private func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
