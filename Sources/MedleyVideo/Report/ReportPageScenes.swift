/// The scenes section of the page: a proportional timeline and one card per scene.
extension ReportPage {
    /// open_nsfw's customary decision points: under 0.2 a frame is taken as safe, from 0.8 on as not safe for
    /// work (the thresholds of Yahoo's open_nsfw README); in between the model is unsure.
    static let safeBelow = 0.2
    static let unsafeFrom = 0.8

    func scenes() -> String {
        var html = """
            <section id="scenes" aria-labelledby="scenes-title">
            <div class="section-head"><h2 id="scenes-title">Scenes</h2>

            """
        guard !report.scenes.isEmpty else {
            let reason = report.skipReason(for: ReportStage.vision)
            html += "</div>\n<p class=\"note\">"
                + e(reason.map { "No scenes: " + Self.sentence($0) } ?? "No scenes were found.") + "</p>\n</section>\n"
            return html
        }
        let count = report.scenes.count
        html += "<p class=\"summary\">\(count) scene\(count == 1 ? "" : "s")</p></div>\n"
        html += timeline()
        html += "<ol class=\"scene-grid\">\n"
        for scene in report.scenes { html += card(scene) }
        html += "</ol>\n"
        if let sheet = report.contactSheet {
            html += """
                <details class="contact-sheet"><summary>Contact sheet</summary>
                <img src="\(e(HTMLText.urlPath(sheet)))" loading="lazy"
                alt="Contact sheet: the keyframes of all \(count) scenes in one picture">
                </details>

                """
        }
        html += "</section>\n"
        return html
    }

    /// A bar of the whole video with one block per scene, as wide as the scene is long.
    private func timeline() -> String {
        let total = max(report.input.duration ?? 0, report.scenes.last?.end ?? 0)
        guard total > 0 else { return "" }
        var html = "<ol class=\"timeline\" aria-label=\"Scene timeline\">"
        for scene in report.scenes {
            let share = max(0, scene.end - scene.start) / total * 100
            let label = "Scene \(scene.index + 1), \(ReportNumberFormat.range(scene.start, scene.end))"
            html += "<li style=\"flex-grow: \(ReportNumberFormat.fixed(share, 3))\" data-start=\"\(scene.start)\" "
                + "data-end=\"\(scene.end)\">"
            html += seekControl(at: scene.start, label: "\(scene.index + 1)", description: "Play \(label)",
                                style: "block")
            html += "</li>"
        }
        html += "</ol>\n"
        return html
    }

    private func card(_ scene: AnalysisReport.Scene) -> String {
        let number = scene.index + 1
        let range = ReportNumberFormat.range(scene.start, scene.end)
        var html = "<li class=\"scene\" id=\"scene-\(number)\" data-start=\"\(scene.start)\" data-end=\"\(scene.end)\">\n"
        // The thumbnail box takes the video's shape, so that the face outlines (in percent) land on the faces.
        if let size = report.input.video?.displaySize, size.width > 0, size.height > 0 {
            html += "<div class=\"thumb\" style=\"aspect-ratio: \(size.width) / \(size.height)\">"
        } else {
            html += "<div class=\"thumb\">"
        }
        if let keyframe = scene.keyframe {
            var alt = "Keyframe of scene \(number) at \(ReportNumberFormat.clock(keyframe.time))"
            if let text = scene.text.first?.text { alt += ", showing the text “\(text)”" }
            if !scene.faces.isEmpty { alt += ", \(faceCount(scene.faces.count))" }
            html += "<img src=\"\(e(HTMLText.urlPath(keyframe.file)))\" alt=\"\(e(alt))\" loading=\"lazy\">"
            html += faceBoxes(scene.faces)
        } else {
            html += "<div class=\"no-keyframe\">No keyframe</div>"
        }
        html += "</div>\n<div class=\"scene-body\">\n"
        html += "<h3>" + seekControl(at: scene.start, label: "Scene \(number) · \(range)",
                                     description: "Play scene \(number) from \(ReportNumberFormat.clock(scene.start))",
                                     style: "scene-seek") + "</h3>\n"
        html += "<p class=\"frames\">frames \(scene.startFrame)–\(max(scene.startFrame, scene.endFrame - 1)) · "
            + "\(ReportNumberFormat.duration(scene.end - scene.start))</p>\n<dl>\n"
        html += "<dt>On-screen text</dt>"
        if scene.text.isEmpty {
            html += "<dd class=\"none\">none found</dd>\n"
        } else {
            for line in scene.text {
                html += "<dd><q>\(e(line.text))</q> "
                    + "<span class=\"confidence\">\(ReportNumberFormat.percent(line.confidence))</span></dd>\n"
            }
        }
        html += "<dt>Faces</dt><dd>\(scene.faces.isEmpty ? "none found" : faceCount(scene.faces.count))"
        if !scene.faces.isEmpty {
            let scores = scene.faces.map { ReportNumberFormat.percent($0.score) }.joined(separator: ", ")
            html += " <span class=\"confidence\">(\(scores))</span>"
        }
        html += "</dd>\n<dt>Safety</dt><dd>\(safety(scene.safetyScore))</dd>\n</dl>\n</div>\n</li>\n"
        return html
    }

    private func faceCount(_ count: Int) -> String { count == 1 ? "1 face" : "\(count) faces" }

    /// Outlines over the thumbnail, placed in percent of the displayed frame (the boxes are in its pixels).
    private func faceBoxes(_ faces: [AnalysisReport.SceneFace]) -> String {
        guard let video = report.input.video, !faces.isEmpty else { return "" }
        let size = video.displaySize
        guard size.width > 0, size.height > 0 else { return "" }
        let w = Double(size.width), h = Double(size.height)
        return faces.map { face in
            let box = face.box
            func percent(_ x: Double) -> String { ReportNumberFormat.fixed(x * 100, 2) + "%" }
            return "<span class=\"face-box\" aria-hidden=\"true\" style=\"left: \(percent(box.x / w)); "
                + "top: \(percent(box.y / h)); width: \(percent(box.width / w)); height: \(percent(box.height / h))\"></span>"
        }.joined()
    }

    private func safety(_ score: Double?) -> String {
        guard let score else { return "<span class=\"none\">not checked</span>" }
        let percent = ReportNumberFormat.percent(score)
        let detail = " <span class=\"confidence\">NSFW score \(percent)</span>"
        if score < Self.safeBelow { return "<span class=\"pill ok\">likely safe</span>" + detail }
        if score < Self.unsafeFrom { return "<span class=\"pill warn\">uncertain</span>" + detail }
        return "<span class=\"pill bad\">likely not safe for work</span>" + detail
    }
}
