/// The names of the files in a report folder.
///
/// ```
/// report.json  index.html  <input file>  transcript.txt  transcript.srt  transcript.vtt
/// keyframes/scene-000.jpg …  keyframes/contact-sheet.jpg
/// ```
public enum ReportLayout {
    /// The report's data; its presence marks a folder as a Medley report (see ``ReportWriter``).
    public static let reportJSON = "report.json"
    /// The page.
    public static let indexHTML = "index.html"
    /// The transcript as plain text (``TranscriptText``).
    public static let transcriptText = "transcript.txt"
    /// The transcript as SubRip subtitles.
    public static let transcriptSRT = "transcript.srt"
    /// The transcript as WebVTT subtitles.
    public static let transcriptVTT = "transcript.vtt"
    /// The folder of keyframe thumbnails.
    public static let keyframes = "keyframes"
    /// The contact sheet of all keyframes.
    public static let contactSheet = "keyframes/contact-sheet.jpg"

    /// The conventional keyframe file of a scene: `keyframes/scene-000.jpg`.
    public static func keyframe(scene index: Int) -> String {
        let digits = String(index)
        return "keyframes/scene-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits + ".jpg"
    }

    /// Names the writer keeps for itself, which the placed input must not take.
    static let reservedNames: Set<String> = [reportJSON, indexHTML, transcriptText, transcriptSRT, transcriptVTT,
                                             keyframes]
}
