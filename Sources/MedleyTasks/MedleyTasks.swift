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
        GenerateFaceNode(), StylizeNode(), MatteNode(), GenerateTerrainNode(), CaptionedStillNode(),
    ])
}

/// The workflows that ship with Medley (`workflows/` in the source tree, built into the library).
public enum BuiltInWorkflows {
    /// The folder the shipped workflow files are read from: `$MEDLEY_WORKFLOWS` when set, else the resource folder
    /// SwiftPM places beside the binary (`Medley_MedleyTasks.resources/Workflows`), else the source tree's
    /// `Sources/MedleyTasks/Workflows`; nil when none exists. (SwiftPM's own `Bundle.module` would stop the process
    /// when a binary is copied without its resources, so it is not used.)
    public static var directory: URL? {
        let manager = FileManager.default
        if let custom = ProcessInfo.processInfo.environment["MEDLEY_WORKFLOWS"], !custom.isEmpty {
            return URL(fileURLWithPath: custom)
        }
        let beside = Bundle.main.bundleURL.appendingPathComponent("Medley_MedleyTasks.resources/Workflows")
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Workflows")
        return [beside, source].first { manager.fileExists(atPath: $0.path) }
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
    /// A path (anything with a `/` or ending in `.json`) is read as a file; a bare name is a shipped workflow
    /// first, then a file in the current folder.
    public static func load(_ nameOrPath: String) throws -> Workflow {
        let looksLikePath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".json")
        if !looksLikePath, let url = url(named: nameOrPath) { return try Workflow(contentsOf: url) }
        if looksLikePath || FileManager.default.fileExists(atPath: nameOrPath) {
            return try Workflow(contentsOf: URL(fileURLWithPath: nameOrPath))
        }
        guard directory != nil else {
            throw MedleyError.invalidArgument("\(nameOrPath): the shipped workflows were not found beside the medley "
                + "binary (Medley_MedleyTasks.resources/Workflows); set MEDLEY_WORKFLOWS to the source tree's workflows/ folder")
        }
        throw MedleyError.invalidArgument("\(nameOrPath): no shipped workflow of that name and no such file; "
            + "shipped: " + names.joined(separator: ", "))
    }
}
