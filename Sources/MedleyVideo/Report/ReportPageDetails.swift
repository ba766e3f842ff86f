/// The audio, processing and provenance sections of the page.
extension ReportPage {
    func audio() -> String {
        var html = """
            <section id="audio" aria-labelledby="audio-title">
            <div class="section-head"><h2 id="audio-title">Audio</h2></div>

            """
        guard let audio = report.audio else {
            let reason = report.skipReason(for: ReportStage.audio)
                ?? (report.input.audio == nil ? "the input has no audio stream" : "the audio stage did not run")
            return html + "<p class=\"note\">No audio figures: \(e(Self.sentence(reason)))</p>\n</section>\n"
        }
        html += "<div class=\"figures\">\n"
        if let loudness = audio.loudness {
            html += figure("Integrated loudness", value: ReportNumberFormat.fixed(loudness.integratedLUFS, 1), unit: "LUFS",
                           note: loudness.integratedLUFS == nil ? "silence, or too short to measure" : "EBU R128")
            html += figure("Loudness range", value: ReportNumberFormat.fixed(loudness.loudnessRangeLU, 1), unit: "LU",
                           note: loudness.loudnessRangeLU == nil ? "needs 3 s of sound" : nil)
            html += figure("True peak", value: ReportNumberFormat.fixed(loudness.truePeakDBTP, 1), unit: "dBTP",
                           note: (loudness.truePeakDBTP ?? -100) > -1 ? "above −1 dBTP: may clip when encoded" : nil)
            html += figure("Sample peak", value: ReportNumberFormat.fixed(loudness.samplePeakDBFS, 1), unit: "dBFS",
                           note: nil)
        }
        if let music = audio.music {
            html += figure("Music", value: music.musicLike ? "Yes" : "No", unit: nil,
                           note: music.musicLike ? "sounds like music" : "does not sound like music")
            html += figure("Tempo", value: ReportNumberFormat.fixed(music.tempoBPM, 0),
                           unit: music.tempoBPM == nil ? nil : "BPM",
                           note: music.tempoBPM == nil ? "no steady beat" : nil)
        }
        html += "</div>\n</section>\n"
        return html
    }

    private func figure(_ name: String, value: String, unit: String?, note: String?) -> String {
        var html = "<dl class=\"figure\"><dt>\(e(name))</dt><dd><span class=\"value\">\(e(value))</span>"
        if let unit { html += " <span class=\"unit\">\(e(unit))</span>" }
        if let note { html += "<span class=\"figure-note\">\(e(note))</span>" }
        return html + "</dd></dl>\n"
    }

    func processing() -> String {
        var html = """
            <section id="processing" aria-labelledby="processing-title">
            <div class="section-head"><h2 id="processing-title">Processing</h2>

            """
        let total = report.stages.reduce(0) { $0 + max(0, $1.seconds) }
        html += "<p class=\"summary\">\(report.stages.count) stage\(report.stages.count == 1 ? "" : "s") · "
            + "\(e(ReportNumberFormat.duration(total))) in all</p></div>\n"
        if !report.stages.isEmpty {
            let longest = report.stages.map(\.seconds).max() ?? 0
            html += """
                <table class="stages"><caption class="visually-hidden">Stage timings</caption>
                <thead><tr><th scope="col">Stage</th><th scope="col">Status</th><th scope="col" class="num">Time</th>
                <th scope="col"><span class="visually-hidden">Share of the longest stage</span></th></tr></thead>
                <tbody>

                """
            for stage in report.stages {
                let share = longest > 0 ? max(0, stage.seconds) / longest * 100 : 0
                let status = stage.cached && stage.status == .ok ? "cached" : stage.status.rawValue
                let style = stage.status == .failed ? "bad" : (stage.status == .skipped ? "warn" : "ok")
                let bar = "<span class=\"bar\" style=\"width: \(ReportNumberFormat.fixed(share, 1))%\"></span>"
                html += "<tr><th scope=\"row\">\(e(stage.name))</th>"
                    + "<td><span class=\"pill \(style)\">\(e(status))</span></td>"
                    + "<td class=\"num\">\(ReportNumberFormat.fixed(stage.seconds, 2)) s</td>"
                    + "<td class=\"bar-cell\">\(bar)</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        if !report.skipped.isEmpty {
            html += "<h3>Skipped</h3>\n<ul class=\"skipped\">\n"
            for skip in report.skipped {
                html += "<li><strong>\(e(skip.stage))</strong>: \(e(skip.reason))</li>\n"
            }
            html += "</ul>\n"
        }
        if !report.warnings.isEmpty {
            html += "<h3>Warnings</h3>\n<ul class=\"warnings\">\n"
            for warning in report.warnings { html += "<li>\(e(warning))</li>\n" }
            html += "</ul>\n"
        }
        html += "</section>\n"
        return html
    }

    func provenance() -> String {
        var html = """
            <section id="provenance" aria-labelledby="provenance-title">
            <div class="section-head"><h2 id="provenance-title">Provenance</h2>
            <p class="summary">The input and every model this report was made with, with checksums</p></div>
            <div class="input-facts">

            """
        func fact(_ name: String, _ value: String) -> String { "<dl><dt>\(name)</dt><dd>\(value)</dd></dl>\n" }
        html += fact("Input", "<code>\(e(report.input.sourcePath))</code>")
        if let hash = report.input.sha256 { html += fact("SHA-256", checksum(hash)) }
        html += fact("Size", e(ReportNumberFormat.bytes(report.input.size)))
        html += fact("Container", e(report.input.format))
        if let placement = report.input.placement, let file = report.input.file {
            html += fact("In this folder", "<code>\(e(file))</code>, \(Self.placementText(placement))")
        }
        html += "</div>\n"
        if report.models.isEmpty {
            html += "<p class=\"note\">No models were used.</p>\n</section>\n"
            return html
        }
        html += """
            <div class="table-wrap"><table class="models"><caption class="visually-hidden">Models</caption>
            <thead><tr><th scope="col">Model</th><th scope="col">Task</th><th scope="col">License</th>
            <th scope="col">SHA-256</th><th scope="col">Source</th></tr></thead>
            <tbody>

            """
        for model in report.models {
            let category = model.licenseCategory
            let style = category == "permissive" ? "ok" : (category == "copyleft" ? "info" : "warn")
            html += "<tr><th scope=\"row\">\(e(model.id)) <span class=\"version\">\(e(model.version))</span></th>"
                + "<td><code>\(e(model.task))</code></td>"
                + "<td>\(e(model.license)) <span class=\"pill \(style)\">\(e(category))</span></td>"
                + "<td>\(checksum(model.sha256))"
            if model.files.count > 1 {
                html += "<details><summary>\(model.files.count) files</summary><ul class=\"files\">"
                for file in model.files { html += "<li><code>\(e(file.path))</code> \(checksum(file.sha256))</li>" }
                html += "</ul></details>"
            }
            html += "</td><td>\(e(model.source))</td></tr>\n"
        }
        html += "</tbody></table></div>\n</section>\n"
        return html
    }

    /// A shortened checksum, with the full value in its title and for screen readers and copying.
    private func checksum(_ hash: String) -> String {
        "<code class=\"hash\" title=\"\(e(hash))\">\(e(ReportNumberFormat.shortHash(hash)))"
            + "<span class=\"visually-hidden\"> (full: \(e(hash)))</span></code>"
    }

    static func placementText(_ placement: AnalysisReport.InputPlacement) -> String {
        switch placement {
        case .hardLink: return "a hard link to the input"
        case .symbolicLink: return "a symbolic link to the input (breaks if the input moves)"
        case .copy: return "a copy of the input"
        }
    }
}
