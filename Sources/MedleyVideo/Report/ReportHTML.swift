import Foundation

/// Renders a report's `index.html`: one self-contained page (inline CSS and script, no external resources) that
/// works opened straight from the folder (`file://`).
///
/// The page plays the input (`<video>` with the transcript as its subtitle track, or `<audio>` for audio-only
/// input), and shows the transcript with time marks that seek the player, the scenes with their thumbnails,
/// on-screen text, faces and safety score (a scene seeks the player too), the loudness and music figures, the
/// stage timings, the skipped stages with their reasons, the warnings, and a provenance table of the models
/// with their licenses and checksums. Every text taken from the report is escaped: a transcript that contains
/// markup shows as text.
///
/// Browsers treat each `file://` page as its own origin and refuse to load `transcript.vtt` beside it as a
/// subtitle track. The `<track>` keeps `src="transcript.vtt"` (which works when the folder is served over HTTP),
/// and when the page is opened from disk a small script points the track at a copy of the subtitles embedded in
/// the page; pass that copy as `subtitles`.
public enum ReportHTML {
    /// The page for `report`; `subtitles` is the WebVTT text of `transcript.vtt`, embedded for `file://` viewing.
    public static func render(_ report: AnalysisReport, subtitles: String? = nil) -> String {
        let page = ReportPage(report: report, subtitles: subtitles)
        return page.document()
    }
}

/// The page's parts; each method returns one section's markup.
struct ReportPage {
    let report: AnalysisReport
    let subtitles: String?

    /// True when the input is in the folder, so the page has a player to seek.
    var hasPlayer: Bool { report.input.file != nil }

    func document() -> String {
        let title = report.input.file ?? URL(fileURLWithPath: report.input.sourcePath).lastPathComponent
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="\(Self.contentSecurityPolicy)">
            <meta name="generator" content="Medley \(e(report.medleyVersion))">
            <title>\(e(title)) · Medley report</title>
            <style>\(ReportPageStyle.css)</style>
            </head>
            <body>
            <a class="skip" href="#main">Skip to the report</a>

            """
        html += header(title: title)
        html += "<main id=\"main\">\n"
        html += playerAndTranscript()
        if report.hasVideo { html += scenes() }
        html += audio()
        html += processing()
        html += provenance()
        html += "</main>\n"
        html += footer()
        html += "<script>\(ReportPageScript.js)</script>\n</body>\n</html>\n"
        return html
    }

    /// Nothing leaves the folder: files beside the page, and the subtitles' blob copy, only.
    static let contentSecurityPolicy = "default-src 'none'; img-src 'self' data:; media-src 'self' blob:; "
        + "style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

    // MARK: - Header

    private func header(title: String) -> String {
        var facts: [String] = [ReportNumberFormat.duration(report.input.duration)]
        if let video = report.input.video {
            let size = video.displaySize
            var text = "\(size.width)×\(size.height) \(video.codec)"
            if let fps = video.fps { text += " · \(ReportNumberFormat.fixed(fps, fps.rounded() == fps ? 0 : 2)) fps" }
            facts.append(text)
        } else {
            facts.append("no video")
        }
        if let audio = report.input.audio {
            facts.append("\(audio.codec) \(ReportNumberFormat.kilohertz(audio.sampleRate)) "
                + ReportNumberFormat.channels(audio.channels))
        } else {
            facts.append("no audio")
        }
        var sections: [(String, String)] = [(report.speech == nil ? "transcript-missing" : "transcript", "Transcript")]
        if report.hasVideo { sections.append(("scenes", "Scenes")) }
        sections += [("audio", "Audio"), ("processing", "Processing"), ("provenance", "Provenance")]
        let links = sections.map { "<li><a href=\"#\($0.0)\">\($0.1)</a></li>" }.joined()
        var created = "Created <time datetime=\"\(ReportDates.format(report.created))\">"
            + "\(e(Self.readableDate(report.created)))</time> by Medley \(e(report.medleyVersion))"
        if let run = report.runID { created += " · run <code>\(e(run))</code>" }
        return """
            <header class="top">
            <div class="title">
            <p class="kicker">Medley analysis report</p>
            <h1>\(e(title))</h1>
            <p class="facts">\(facts.map(e).joined(separator: " <span aria-hidden=\"true\">·</span> "))</p>
            <p class="created">\(created)</p>
            </div>
            <nav aria-label="Sections"><ul>\(links)</ul></nav>
            </header>

            """
    }

    static func readableDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMM yyyy, HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    // MARK: - Player and transcript

    private func playerAndTranscript() -> String {
        let kind = report.hasVideo ? "player" : "player audio"
        var html = "<div class=\"stage\">\n<section class=\"\(kind)\" aria-labelledby=\"player-title\">\n"
        html += "<h2 id=\"player-title\" class=\"visually-hidden\">Player</h2>\n"
        if let file = report.input.file {
            let source = e(HTMLText.urlPath(file))
            if report.hasVideo {
                html += "<video id=\"media\" controls preload=\"metadata\" src=\"\(source)\" "
                    + "aria-label=\"\(e("Video: " + file))\">\n"
                if let speech = report.speech, let vtt = speech.files.vtt {
                    let language = speech.language ?? "und"
                    html += "<track id=\"subtitles\" kind=\"subtitles\" src=\"\(e(HTMLText.urlPath(vtt)))\" "
                        + "data-file=\"\(e(vtt))\" srclang=\"\(e(language))\" "
                        + "label=\"\(e(Self.languageName(language)))\" default>\n"
                }
                html += "<p>Your browser cannot play this video; open <a href=\"\(source)\">\(e(file))</a>.</p>\n"
                html += "</video>\n"
                if let subtitles, report.speech?.files.vtt != nil {
                    let script = ReportPageScript.subtitleFallback(vtt: HTMLText.javaScriptString(subtitles))
                    html += "<script>\(script)</script>\n"
                }
            } else {
                html += "<div class=\"audio-only\"><p>Audio only: the input has no video stream.</p>\n"
                html += "<audio id=\"media\" controls preload=\"metadata\" src=\"\(source)\" "
                    + "aria-label=\"\(e("Audio: " + file))\">"
                html += "<a href=\"\(source)\">\(e(file))</a></audio></div>\n"
            }
        } else {
            html += "<p class=\"note\">The input is not in this folder, so there is nothing to play. It was read "
                + "from <code>\(e(report.input.sourcePath))</code>.</p>\n"
        }
        html += "</section>\n"
        html += transcript()
        html += "</div>\n"
        return html
    }

    private func transcript() -> String {
        guard let speech = report.speech else {
            let reason = report.skipReason(for: ReportStage.speech) ?? "the speech stage did not run"
            return """
                <aside class="note no-transcript" id="transcript-missing" aria-labelledby="transcript-missing-title">
                <h2 id="transcript-missing-title">No transcript</h2>
                <p>\(e(Self.sentence(reason)))</p>
                </aside>

                """
        }
        let language = speech.language ?? "und"
        var summary = "\(speech.segments.count) segment\(speech.segments.count == 1 ? "" : "s") · "
            + "\(ReportNumberFormat.duration(speech.speechDuration)) of speech"
        if let code = speech.language {
            summary += " · \(Self.languageName(code))"
            if let p = speech.languageProbability { summary += " (detected, \(ReportNumberFormat.percent(p)))" }
        }
        var html = """
            <section id="transcript" class="transcript" aria-labelledby="transcript-title">
            <div class="section-head"><h2 id="transcript-title">Transcript</h2>
            <p class="summary">\(e(summary))</p></div>

            """
        html += speechActivity(speech)
        if speech.segments.isEmpty {
            html += "<p class=\"note\">No speech was recognised in the audio.</p>\n"
        } else {
            html += """
                <label class="search"><span>Search the transcript</span>
                <input type="search" id="transcript-search" placeholder="Search the transcript"></label>
                <p class="visually-hidden" id="search-status" role="status" aria-live="polite"></p>
                <ol class="segments" id="segments" lang="\(e(language))">

                """
            for segment in speech.segments {
                let time = ReportNumberFormat.clock(segment.start)
                html += "<li class=\"segment\" data-start=\"\(segment.start)\" data-end=\"\(segment.end)\">"
                html += seekControl(at: segment.start, label: time, description: "Play from \(time)", style: "time")
                let text = segment.text.trimmingCharacters(in: .whitespacesAndNewlines)
                html += "<span class=\"text\">\(e(text))</span></li>\n"
            }
            html += "</ol>\n"
        }
        html += "</section>\n"
        return html
    }

    /// A thin bar of the whole input with the stretches where the voice activity detector heard speech.
    private func speechActivity(_ speech: AnalysisReport.Speech) -> String {
        guard let total = report.input.duration, total > 0, !speech.speechSegments.isEmpty else { return "" }
        let count = speech.speechSegments.count
        let label = "Speech heard in \(count) stretch\(count == 1 ? "" : "es"), "
            + "\(ReportNumberFormat.duration(speech.speechDuration)) of \(ReportNumberFormat.duration(total))"
        var html = "<div class=\"activity\" role=\"img\" aria-label=\"\(e(label))\" title=\"\(e(label))\">"
        for span in speech.speechSegments {
            let left = min(100, max(0, span.start / total * 100))
            let width = min(100 - left, max(0, (span.end - span.start) / total * 100))
            html += "<span style=\"left: \(ReportNumberFormat.fixed(left, 2))%; "
                + "width: \(ReportNumberFormat.fixed(width, 2))%\"></span>"
        }
        return html + "</div>\n"
    }

    /// A button that seeks the player to `time`, or plain text when there is no player.
    func seekControl(at time: Double, label: String, description: String, style: String) -> String {
        guard hasPlayer else { return "<span class=\"\(style)\">\(e(label))</span>" }
        return "<button type=\"button\" class=\"\(style)\" data-seek=\"\(time)\" aria-label=\"\(e(description))\">"
            + "\(e(label))</button>"
    }

    // MARK: - Footer

    private func footer() -> String {
        var links = ["<a href=\"\(ReportLayout.reportJSON)\">report.json</a>"]
        if let files = report.speech?.files {
            for name in [files.txt, files.srt, files.vtt].compactMap({ $0 }) {
                links.append("<a href=\"\(e(HTMLText.urlPath(name)))\">\(e(name))</a>")
            }
        }
        return "<footer><p>Made by Medley \(e(report.medleyVersion)). The data of this page: "
            + links.joined(separator: " · ") + ".</p></footer>\n"
    }

    // MARK: - Helpers

    func e(_ text: String) -> String { HTMLText.escape(text) }

    /// "the input has no audio stream" → "The input has no audio stream."
    static func sentence(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let first = trimmed.first else { return "" }
        let body = first.uppercased() + trimmed.dropFirst()
        return body.hasSuffix(".") || body.hasSuffix("!") || body.hasSuffix("?") ? body : body + "."
    }

    /// "en" → "English"; the code itself when Foundation has no name for it.
    static func languageName(_ code: String) -> String {
        if code == "und" { return "Unknown language" }
        return Locale(identifier: "en").localizedString(forLanguageCode: code) ?? code
    }
}
