import Foundation
import MedleyCore

/// The files that go into a report folder beside `report.json` and `index.html`, given to ``ReportWriter``.
///
/// `transcript.txt` is not here: the writer renders it from the report's transcript segments
/// (``TranscriptText``). The subtitles come ready-made from MedleySpeech's subtitle renderer.
public struct ReportFiles: Sendable {
    /// The analysed media file, to be placed in the folder so the page can play it; nil to leave it out.
    public var input: String?
    /// The SubRip subtitles (`transcript.srt`), when there is a transcript.
    public var srt: String?
    /// The WebVTT subtitles (`transcript.vtt`), when there is a transcript; the page's subtitle track.
    public var vtt: String?
    /// Keyframe thumbnails, the contact sheet and any other files, by path relative to the folder
    /// (`keyframes/scene-000.jpg`). Every file the report names must be here.
    public var assets: [String: ReportAsset]

    /// The files; all parts default to none.
    public init(input: String? = nil, srt: String? = nil, vtt: String? = nil, assets: [String: ReportAsset] = [:]) {
        self.input = input
        self.srt = srt
        self.vtt = vtt
        self.assets = assets
    }
}

/// The content of one file in a report folder.
public enum ReportAsset: Sendable {
    /// Bytes that are written as they are (an encoded JPEG).
    case data(Data)
    /// A picture that the writer encodes, by the path's extension (`.jpg`, `.png`, `.webp`), at this quality
    /// (1-100, see ``MedleyMedia/ImageIO/write(_:path:quality:)``).
    case image(Image, quality: Int)
    /// An existing file that the writer copies (for example a keyframe the keyframe stage left in the cache).
    case file(String)
}
