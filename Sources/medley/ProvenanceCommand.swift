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
            try showSpeech(try SpeechProvenance.load(from: recordPath), recordPath: recordPath, inspection: inspection)
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

    /// A speech record: what made the audio, and whether the audio still has the checksum the record gives.
    private func showSpeech(_ speech: SpeechProvenance, recordPath: String, inspection: ProvenanceInspection) throws {
        let integrity: ProvenanceInspection.Integrity
        if let expected = speech.audioSHA256 { integrity = expected == inspection.sha256 ? .unchanged : .modified }
        else { integrity = .labelOnly }
        if json {
            printJSON(path: inspection.path, integrity: integrity, sha256: inspection.sha256, record: try speech.jsonData())
        } else {
            print("\(file): AI-generated speech, voice \(speech.voice), made by Medley \(speech.medleyVersion)")
            switch integrity {
            case .unchanged: print("  integrity: unchanged since written (SHA-256 matches \(recordPath))")
            case .modified: print("  integrity: MODIFIED since written (SHA-256 differs from \(recordPath))")
            default: print("  integrity: not checkable (the record predates audio checksums)")
            }
            print("  model:     \(speech.modelCardId ?? speech.voice) \(speech.modelVersion ?? "")"
                + (speech.modelSha256.map { " sha256 \($0)" } ?? ""))
            print("  created:   \(ISO8601DateFormatter().string(from: speech.created))")
            if let seed = speech.settings.seed { print("  seed:      \(seed)") }
            print("  text:      \(speech.text)")
        }
        if integrity == .modified {
            throw MedleyError.invalidArgument(
                "\(file): changed since Medley wrote it (SHA-256 \(inspection.sha256.prefix(16))…, the record says "
                    + "\(speech.audioSHA256?.prefix(16) ?? "?")…); its record no longer describes it")
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
        printJSON(path: inspection.path, integrity: inspection.integrity, sha256: inspection.sha256,
                  record: try inspection.best?.jsonData())
    }

    /// `{"file", "integrity", "sha256", "record"}`, the record's own JSON kept as it is written in files.
    private func printJSON(path: String, integrity: ProvenanceInspection.Integrity, sha256: String, record: Data?) {
        var text = "{\n  \"file\" : \(quoted(path)),\n  \"integrity\" : \"\(integrity.rawValue)\",\n"
        text += "  \"sha256\" : \"\(sha256)\""
        if let record {
            let recordJSON = String(decoding: record, as: UTF8.self).replacingOccurrences(of: "\n", with: "\n  ")
            text += ",\n  \"record\" : \(recordJSON)"
        }
        FileHandle.standardOutput.write(Data((text + "\n}\n").utf8))
    }

    private func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
