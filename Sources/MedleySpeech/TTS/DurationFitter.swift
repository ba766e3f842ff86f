import Foundation
import MedleyCore

/// Makes prepared speech last a target duration by choosing its stretch (Piper's length scale, espeak-ng's rate).
///
/// A first pass at stretch 1 measures the natural length; durations grow about linearly with the stretch, so the
/// next guess is `target / natural`, and later guesses come from the secant through the last two passes. Piper's
/// noise is seeded (see ``PiperNoisePatch``), so passes differ only by the stretch and the first correction
/// usually lands within 2 %; espeak-ng's integer rate moves in steps of about 0.6 %.
enum DurationFitter {
    /// Stop refining once a pass is this close to the target (relative): half the promised tolerance, because
    /// Piper rounds each phoneme's duration to whole frames, so its length moves in small jumps, not smoothly.
    static let goal = 0.015
    /// The promise to callers: a result further off than this (relative) is an error.
    static let tolerance = 0.03
    /// Passes after the natural one.
    static let maximumCorrections = 4
    /// Shortest target accepted, as a fraction of the natural length: below it speech is unintelligible.
    static let minimumRatio = 0.25

    /// Renders `speech` so that it lasts `target` seconds (within ``tolerance``).
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` when the target is not a positive number, is under a quarter
    ///   of the natural length, or is out of the voice's tempo range; `CancellationError` when cancelled.
    static func fit(_ speech: some PreparedSpeech, target: Double) async throws -> RenderedSpeech {
        guard target.isFinite, target > 0 else {
            throw MedleyError.invalidArgument("duration \(target) s is invalid; give a positive number of seconds")
        }
        let rate = Double(speech.sampleRate)
        func seconds(_ rendered: RenderedSpeech) -> Double { Double(rendered.samples.count) / rate }

        let natural = try await speech.render(stretch: 1)
        let naturalLength = seconds(natural)
        guard naturalLength > 0 else {
            throw MedleyError.invalidArgument("the text produced no audio, so it cannot be fitted to \(target) s")
        }
        var best = (rendered: natural, error: abs(naturalLength - target) / target)
        var passes = 1
        if best.error <= goal { return finish(best.rendered, target: target, passes: passes) }

        let ratio = target / naturalLength
        guard ratio >= minimumRatio else {
            throw MedleyError.invalidArgument(
                "duration \(format(target)) s is impossible: the text takes \(format(naturalLength)) s at normal speed, "
                    + "and speech cannot be made faster than 4x (\(format(naturalLength * minimumRatio)) s); "
                    + "give a longer duration or shorten the text")
        }
        let range = speech.stretchRange
        var points: [(stretch: Double, length: Double)] = [(1, naturalLength)]
        var stretch = ratio
        for _ in 0..<maximumCorrections {
            let clamped = min(range.upperBound, max(range.lowerBound, stretch))
            // The same stretch again would give the same audio: the voice's tempo range is exhausted.
            if let last = points.last, abs(last.stretch - clamped) < 1e-9 { break }
            let rendered = try await speech.render(stretch: clamped)
            passes += 1
            let length = seconds(rendered)
            let error = abs(length - target) / target
            if error < best.error { best = (rendered, error) }
            if error <= goal { break }
            points.append((clamped, length))
            let (a, b) = (points[points.count - 2], points[points.count - 1])
            let slope = (b.length - a.length) / (b.stretch - a.stretch)
            stretch = slope > 0 && slope.isFinite ? b.stretch + (target - b.length) / slope : b.stretch * target / b.length
        }
        guard best.error <= tolerance else {
            let achieved = seconds(best.rendered)
            let direction = achieved > target ? "fastest" : "slowest"
            throw MedleyError.invalidArgument(
                "duration \(format(target)) s is out of this voice's range: the text takes \(format(naturalLength)) s "
                    + "at normal speed and \(format(achieved)) s at its \(direction) tempo; give a duration closer to "
                    + "the natural length")
        }
        return finish(best.rendered, target: target, passes: passes)
    }

    private static func finish(_ rendered: RenderedSpeech, target: Double, passes: Int) -> RenderedSpeech {
        var result = rendered
        result.settings.targetDuration = target
        result.settings.passes = passes
        return result
    }

    private static func format(_ seconds: Double) -> String {
        String(format: "%.2f", seconds)
    }
}
