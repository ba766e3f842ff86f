import Foundation
import MedleyCore
import MedleyMedia

/// Writes a report folder: `report.json`, `index.html`, the transcript files, the keyframes and the input.
///
/// The folder is replaced as a whole or not at all. Everything is built in a hidden sibling folder
/// (`.<name>.partial-<random>`, in the same parent so that a rename is atomic on the one file system), each file
/// is flushed to disk, and only then is the finished folder swapped in: an existing report is renamed aside
/// (`.<name>.old-<random>`), the new folder renamed into its place, and the old one deleted. A failure or a
/// crash while building leaves the existing folder untouched (at worst a hidden `.partial-` folder stays behind);
/// a reader never sees a half-written report. Linux has no atomic exchange of two folders that Swift can call,
/// so between the two renames the name is absent for an instant; a crash exactly there leaves both complete
/// folders under their hidden names.
///
/// The writer refuses to replace a folder that is not a Medley report: an existing non-empty folder without
/// `report.json`, or a file, is never deleted.
///
/// The input is placed in the folder under its own file name (prefixed `input-` if that name clashes with one
/// of the report's files): as a hard link when possible (no extra space; the folder keeps working if the
/// original is moved), else as a symbolic link to its absolute path (another file system), else as a copy.
/// The choice is recorded in `input.placement`.
///
/// Not thread-safe for one output folder: two writers racing for the same folder may each win a rename; the
/// last one wins, and neither leaves a half-written folder.
public struct ReportWriter: Sendable {
    /// The ways to place the input that the writer tries, in order.
    public var inputPlacements: [AnalysisReport.InputPlacement]
    /// Called with the finished temporary folder just before the swap; tests use it to simulate a failure.
    var beforeSwap: (@Sendable (_ temporaryFolder: String) throws -> Void)?

    /// A writer; by default the input is hard-linked, else symlinked, else copied. Pass `[.copy]` for a folder
    /// that must stand alone (to be archived or moved to another machine).
    public init(inputPlacements: [AnalysisReport.InputPlacement] = [.hardLink, .symbolicLink, .copy]) {
        self.inputPlacements = inputPlacements
        self.beforeSwap = nil
    }

    /// Writes the report folder at `directory`, replacing an existing report there.
    ///
    /// The report is completed before it is written: `input.file` and `input.placement` are set from how the
    /// input was placed (nil when `files.input` is nil), and `speech.files` names exactly the transcript files
    /// written (`transcript.txt` always when there is speech; `.srt` and `.vtt` when given).
    ///
    /// - Returns: the report as written to `report.json`.
    /// - Throws: `invalidArgument` when the folder exists and is not a report, or the report names a file that
    ///   is not in `files`, or an asset path is unsafe; `writeFailed` when the parent folder is missing or not
    ///   writable or a write fails; the input's `fileNotFound`/`isDirectory`/`emptyFile`.
    @discardableResult
    public func write(_ report: AnalysisReport, files: ReportFiles, to directory: String) throws -> AnalysisReport {
        let folder = try ReportFolder(directory)
        try folder.checkReplaceable()
        var report = report
        let plan = try ReportFilePlan(report: &report, files: files)
        let temporary = try folder.makeTemporarySibling()
        do {
            try build(&report, plan: plan, files: files, in: temporary, target: folder.path)
            try beforeSwap?(temporary)
            try folder.swapIn(temporary)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if let error = error as? MedleyError { throw error }
            throw MedleyError.writeFailed(path: folder.path, reason: error.localizedDescription)
        }
        return report
    }

    /// Writes every file into the temporary folder, `report.json` last.
    private func build(_ report: inout AnalysisReport, plan: ReportFilePlan, files: ReportFiles, in folder: String,
                       target: String) throws {
        let writer = FolderFileWriter(folder: folder, target: target)
        for (path, asset) in files.assets.sorted(by: { $0.key < $1.key }) {
            try writer.write(asset, to: path)
        }
        if let transcript = plan.transcriptText { try writer.write(text: transcript, to: ReportLayout.transcriptText) }
        if let srt = files.srt, report.speech != nil { try writer.write(text: srt, to: ReportLayout.transcriptSRT) }
        if let vtt = files.vtt, report.speech != nil { try writer.write(text: vtt, to: ReportLayout.transcriptVTT) }
        if let input = plan.inputSource, let name = report.input.file {
            report.input.placement = try writer.place(input: input, as: name, trying: inputPlacements)
        }
        let vtt = report.speech?.files.vtt == nil ? nil : files.vtt
        try writer.write(text: ReportHTML.render(report, subtitles: vtt), to: ReportLayout.indexHTML)
        try writer.write(data: try Self.json(report, target: target), to: ReportLayout.reportJSON)
        writer.syncFolder()
    }

    /// `report.json`'s bytes: pretty-printed with sorted keys (the same report gives the same bytes), slashes
    /// unescaped, ending with a newline.
    static func json(_ report: AnalysisReport, target: String) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(report)
            data.append(0x0A)
            return data
        } catch let EncodingError.invalidValue(value, context) {
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            throw MedleyError.internal("\(target): the report's \(path) is \(value), not a finite number")
        }
    }
}
