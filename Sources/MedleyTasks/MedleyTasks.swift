import Foundation
import MedleyCore
import MedleyWorkflow

/// Every Medley task as a workflow node: the one registry the CLI, workflows and (later) the server use.
///
/// A node type only maps its ports to one library call (the call the matching CLI command makes), so the
/// task logic stays in the capability modules.
public enum MedleyTasks {
    /// The registry of every built-in node type.
    public static let registry = NodeRegistry([
        ListFilesNode(), ConcatTablesNode(), TableCSVNode(),
        ProbeNode(), MuxNode(),
        VADNode(), TranscribeNode(), SubtitlesNode(), SynthesizeNode(),
        ScenesNode(), KeyframesNode(), ReportNode(),
        LoudnessNode(), NormalizeNode(), BeatsNode(), PitchNode(), FeaturesNode(), VoiceOverNode(),
        OCRNode(), FacesNode(), SafetyNode(),
    ])
}

/// The workflows that ship with Medley (`workflows/` in the source tree, built into the library).
public enum BuiltInWorkflows {
    /// The folder the shipped workflow files are read from.
    public static var directory: URL? {
        Bundle.module.url(forResource: "Workflows", withExtension: nil)
    }

    /// The names of the shipped workflows ("subtitle", "voiceover", ...), sorted.
    public static var names: [String] {
        guard let directory, let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The file of the shipped workflow `name`, or nil.
    public static func url(named name: String) -> URL? {
        guard let directory else { return nil }
        let url = directory.appendingPathComponent(name + ".json")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A workflow from a file path, or a shipped workflow by name.
    ///
    /// - Throws: ``MedleyError/fileNotFound(path:)`` (listing the shipped names) when it is neither.
    public static func load(_ nameOrPath: String) throws -> Workflow {
        if FileManager.default.fileExists(atPath: nameOrPath) {
            return try Workflow(contentsOf: URL(fileURLWithPath: nameOrPath))
        }
        if let url = url(named: nameOrPath) { return try Workflow(contentsOf: url) }
        throw MedleyError.invalidArgument("\(nameOrPath): no such workflow file, and no shipped workflow of that name; "
            + "shipped: " + names.joined(separator: ", "))
    }
}
