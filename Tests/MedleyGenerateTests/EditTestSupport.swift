import Foundation
import MedleyCore
import MedleyMedia
import MedleyModels
import XCTest

/// Media and picture measures shared by the style-transfer and matting tests: files generated with the ffmpeg CLI
/// or drawn in Swift into a per-process temp folder, and the measures the checks use.
enum EditTestSupport {
    static let folder: String = {
        let path = NSTemporaryDirectory() + "/medley-edit-tests-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func path(_ name: String) -> String { folder + "/" + name }

    /// Tests/Fixtures/<name>.
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)").path
    }

    /// The model store of `make setup` ($MEDLEY_MODELS or ~/.medley/models).
    static var store: ModelStore { ModelStore(root: ModelStore.defaultRoot()) }

    /// Runs `ffmpeg -v error -y <arguments> <output>` unless `name` exists already; returns its path.
    static func ffmpeg(_ name: String, _ arguments: [String]) throws -> String {
        let output = path(name)
        if FileManager.default.fileExists(atPath: output) { return output }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-v", "error", "-nostdin", "-y"] + arguments + [output]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NSError(domain: "ffmpeg", code: Int(process.terminationStatus), userInfo: [
                NSLocalizedDescriptionKey: String(decoding: message, as: UTF8.self)])
        }
        return output
    }

    /// Writes `image` as a PNG in the temp folder; returns its path.
    static func write(_ image: Image, _ name: String) throws -> String {
        let output = path(name)
        try ImageIO.write(image, path: output)
        return output
    }

    /// A picture drawn pixel by pixel from `colour(x, y)` (RGB).
    static func draw(width: Int, height: Int, _ colour: (Int, Int) -> (UInt8, UInt8, UInt8)) -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let (r, g, b) = colour(x, y)
                let i = (y * width + x) * 3
                pixels[i] = r; pixels[i + 1] = g; pixels[i + 2] = b
            }
        }
        return Image(width: width, height: height, format: .rgb8, pixels: pixels)
    }

    // MARK: - Measures

    /// Luma (BT.601) of a packed RGB picture, as floats.
    static func luma(_ image: Image) -> [Float] {
        (0..<(image.width * image.height)).map { i in
            let p = image.pixels
            return 0.299 * Float(p[i * 3]) + 0.587 * Float(p[i * 3 + 1]) + 0.114 * Float(p[i * 3 + 2])
        }
    }

    /// Sobel gradient magnitude of the luma, interior pixels only.
    static func edges(_ image: Image) -> [Float] {
        let w = image.width, h = image.height, l = luma(image)
        var out: [Float] = []
        out.reserveCapacity((w - 2) * (h - 2))
        for y in 1..<(h - 1) {
            for x in 1..<(w - 1) {
                func v(_ dx: Int, _ dy: Int) -> Float { l[(y + dy) * w + x + dx] }
                let gx = v(1, -1) + 2 * v(1, 0) + v(1, 1) - v(-1, -1) - 2 * v(-1, 0) - v(-1, 1)
                let gy = v(-1, 1) + 2 * v(0, 1) + v(1, 1) - v(-1, -1) - 2 * v(0, -1) - v(1, -1)
                out.append((gx * gx + gy * gy).squareRoot())
            }
        }
        return out
    }

    /// Pearson correlation of two equally long series.
    static func correlation(_ a: [Float], _ b: [Float]) -> Double {
        let n = Double(a.count)
        let meanA = a.reduce(0.0) { $0 + Double($1) } / n, meanB = b.reduce(0.0) { $0 + Double($1) } / n
        var covariance = 0.0, varianceA = 0.0, varianceB = 0.0
        for (x, y) in zip(a, b) {
            let dx = Double(x) - meanA, dy = Double(y) - meanB
            covariance += dx * dy
            varianceA += dx * dx
            varianceB += dy * dy
        }
        return covariance / (varianceA * varianceB).squareRoot()
    }

    /// Smoothing before the edge maps, in pixels: edge detectors smooth first (Canny uses a Gaussian of about 1.4 to
    /// 2 pixels) so that edges are those of objects, not of pixel-level texture. Style transfer paints brush
    /// texture over flat areas and doubles edges into halos; at sigma 0 a stylised copy of an unmistakably kept
    /// layout correlates at only 0.2-0.36, at sigma 2 at 0.57-0.76 (measured on this file's test content).
    static let edgeSmoothing = 2.0

    /// The correlation of the two pictures' edge maps (same size): Sobel magnitude of the luma after a Gaussian blur
    /// of ``edgeSmoothing`` pixels.
    static func edgeCorrelation(_ a: Image, _ b: Image) -> Double {
        correlation(edges(blurred(a, sigma: edgeSmoothing)), edges(blurred(b, sigma: edgeSmoothing)))
    }

    /// A separable Gaussian blur of a packed RGB picture (edges clamped), radius 3 sigma.
    static func blurred(_ image: Image, sigma: Double) -> Image {
        let radius = Int((3 * sigma).rounded(.up))
        var kernel = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        let w = image.width, h = image.height
        var horizontal = [Double](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<3 {
                    var sum = 0.0
                    for k in -radius...radius {
                        sum += kernel[k + radius] * Double(image.pixels[(y * w + min(max(x + k, 0), w - 1)) * 3 + c])
                    }
                    horizontal[(y * w + x) * 3 + c] = sum
                }
            }
        }
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<3 {
                    var sum = 0.0
                    for k in -radius...radius {
                        sum += kernel[k + radius] * horizontal[(min(max(y + k, 0), h - 1) * w + x) * 3 + c]
                    }
                    out[(y * w + x) * 3 + c] = UInt8(min(max(sum.rounded(), 0), 255))
                }
            }
        }
        return Image(width: w, height: h, format: .rgb8, pixels: out)
    }

    /// Normalised colour histogram, `bins` levels per channel.
    static func histogram(_ image: Image, bins: Int = 8) -> [Double] {
        var counts = [Double](repeating: 0, count: bins * bins * bins)
        let pixels = image.width * image.height
        for i in 0..<pixels {
            let r = Int(image.pixels[i * 3]) * bins / 256, g = Int(image.pixels[i * 3 + 1]) * bins / 256
            let b = Int(image.pixels[i * 3 + 2]) * bins / 256
            counts[(r * bins + g) * bins + b] += 1
        }
        return counts.map { $0 / Double(pixels) }
    }

    /// Total-variation distance of two pictures' colour histograms: 0 for the same colours, 1 for disjoint ones.
    static func histogramDistance(_ a: Image, _ b: Image) -> Double {
        zip(histogram(a), histogram(b)).reduce(0) { $0 + abs($1.0 - $1.1) } / 2
    }

    /// Mean absolute byte difference of two pictures of the same size and format.
    static func meanDifference(_ a: Image, _ b: Image) -> Double {
        zip(a.pixels, b.pixels).reduce(0.0) { $0 + Double(abs(Int($1.0) - Int($1.1))) } / Double(a.pixels.count)
    }

    /// The process's peak resident memory (VmHWM), in bytes; nil where /proc is not there.
    static func peakResidentBytes() -> Int? { statusBytes("VmHWM:") }

    /// The process's resident memory now (`VmRSS`), or nil where /proc is missing.
    static func residentBytes() -> Int? { statusBytes("VmRSS:") }

    /// Starts a new peak: Linux resets `VmHWM` to the current resident size when 5 is written to
    /// /proc/self/clear_refs. Returns false where that is not possible (the peak then covers the whole process,
    /// every test run before included).
    @discardableResult
    static func resetPeakResidentBytes() -> Bool {
        (try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))) != nil
    }

    private static func statusBytes(_ key: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(key) {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }

    /// Runs `make`, turning a missing model into a failure that says how to install it.
    static func require<T>(_ make: () throws -> T) throws -> T {
        do {
            return try make()
        } catch let error as MedleyError {
            if case .modelNotInstalled = error {
                throw NSError(domain: "EditTestSupport", code: 1, userInfo: [
                    NSLocalizedDescriptionKey: "\(error.message) (these tests need the models of `make setup`)"])
            }
            throw error
        }
    }
}
