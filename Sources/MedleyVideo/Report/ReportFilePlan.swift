import Foundation
import MedleyCore

/// What the writer will put into the folder, checked before anything is written: the asset paths are safe,
/// every file the report names is provided, and the input gets a name that clashes with nothing.
struct ReportFilePlan {
    /// The input to place (its symbolic links resolved), or nil.
    let inputSource: String?
    /// `transcript.txt`'s text, when there is speech.
    let transcriptText: String?

    /// Checks `files` against `report` and completes `report.input.file` and `report.speech.files`.
    init(report: inout AnalysisReport, files: ReportFiles) throws {
        for path in files.assets.keys {
            try Self.checkRelativePath(path, what: "asset")
            if ReportLayout.reservedNames.contains(path) {
                throw MedleyError.invalidArgument(
                    "report asset '\(path)' would overwrite one of the report's own files; give it another path")
            }
        }
        for scene in report.scenes {
            if let keyframe = scene.keyframe {
                try Self.requireAsset(keyframe.file, in: files, what: "scene \(scene.index)'s keyframe")
            }
        }
        if let sheet = report.contactSheet { try Self.requireAsset(sheet, in: files, what: "the contact sheet") }

        if let input = files.input {
            try requireReadableFile(input)
            let resolved = URL(fileURLWithPath: input).resolvingSymlinksInPath()
            var name = resolved.lastPathComponent
            let clashes = ReportLayout.reservedNames.contains(name) || name.hasPrefix(".")
                || files.assets.keys.contains { $0 == name || $0.hasPrefix(name + "/") }
            if clashes { name = "input-" + name }
            inputSource = resolved.path
            report.input.file = name
        } else {
            inputSource = nil
            report.input.file = nil
            report.input.placement = nil
        }

        if var speech = report.speech {
            speech.files = AnalysisReport.TranscriptFiles(
                txt: ReportLayout.transcriptText,
                srt: files.srt == nil ? nil : ReportLayout.transcriptSRT,
                vtt: files.vtt == nil ? nil : ReportLayout.transcriptVTT)
            report.speech = speech
            transcriptText = TranscriptText.render(speech.segments)
        } else {
            transcriptText = nil
        }
    }

    private static func requireAsset(_ path: String, in files: ReportFiles, what: String) throws {
        try checkRelativePath(path, what: what)
        guard files.assets[path] != nil else {
            throw MedleyError.invalidArgument(
                "report: \(what) is '\(path)' but no file was given for it; add it to ReportFiles.assets")
        }
    }

    /// A path inside the folder: relative, `/`-separated, with no empty, `.` or `..` component.
    static func checkRelativePath(_ path: String, what: String) throws {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        let safe = !path.isEmpty && !path.hasPrefix("/") && !path.contains("\\") && !path.contains("\u{0}")
            && components.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
        guard safe else {
            throw MedleyError.invalidArgument(
                "report: \(what) path '\(path)' is not a plain relative path inside the report folder; "
                    + "use a path such as keyframes/scene-000.jpg")
        }
    }
}
