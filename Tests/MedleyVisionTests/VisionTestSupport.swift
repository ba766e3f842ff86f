import Foundation
import MedleyCore
import MedleyModels
@testable import MedleyVision
import XCTest

/// Fixtures, references and models shared by the vision tests.
enum VisionTestSupport {
    /// Tests/Fixtures/vision/<name>.
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/vision/\(name)").path
    }

    /// The model store: $MEDLEY_MODELS or ~/.medley/models.
    static var store: ModelStore { ModelStore(root: ModelStore.defaultRoot()) }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var ocr: OCREngine?
    nonisolated(unsafe) private static var faces: FaceDetector?
    nonisolated(unsafe) private static var safety: SafetyClassifier?

    private static func cached<T>(_ slot: inout T?, _ make: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if let value = slot { return value }
        do {
            let value = try make()
            slot = value
            return value
        } catch let error as MedleyError {
            throw Missing(description: "\(error.message) (the vision tests need the models of `make setup`)")
        }
    }

    static func ocrEngine() throws -> OCREngine { try cached(&ocr) { try OCREngine(store: store) } }
    static func faceDetector() throws -> FaceDetector { try cached(&faces) { try FaceDetector(store: store) } }
    static func safetyClassifier() throws -> SafetyClassifier { try cached(&safety) { try SafetyClassifier(store: store) } }

    /// reference.json (outputs of OpenCV, Pillow and pyclipper; see make-reference.py), read once.
    nonisolated(unsafe) static let reference: [String: Any] = {
        guard let data = FileManager.default.contents(atPath: fixture("reference.json")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }()

    static func referenceCases(_ key: String) throws -> [[String: Any]] {
        guard let cases = reference[key] as? [[String: Any]], !cases.isEmpty else {
            throw Missing(description: "reference.json has no '\(key)' cases; run make-reference.py")
        }
        return cases
    }

    static func bytes(_ value: Any?) -> [UInt8] {
        guard let text = value as? String, let data = Data(base64Encoded: text) else { return [] }
        return [UInt8](data)
    }

    static func int(_ value: Any?) -> Int { (value as? NSNumber)?.intValue ?? 0 }
    static func double(_ value: Any?) -> Double { (value as? NSNumber)?.doubleValue ?? 0 }

    /// A temporary folder removed when the test ends.
    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medley-vision-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Levenshtein distance between two strings, by characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            if !b.isEmpty {
                for j in 1...b.count {
                    current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
            }
            previous = current
        }
        return previous[b.count]
    }

    /// Character errors of recognised lines against the true lines, independent of line order: each true line is
    /// paired with the recognised line closest to it (greedily, best pairs first); unpaired lines count in full.
    /// Runs of white space count as one space.
    static func characterErrors(truth: [String], read: [String]) -> (errors: Int, characters: Int) {
        func normalise(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let truth = truth.map(normalise), read = read.map(normalise)
        var pairs: [(Double, Int, Int, Int)] = []
        for (i, t) in truth.enumerated() {
            for (j, r) in read.enumerated() {
                let distance = editDistance(t, r)
                pairs.append((Double(distance) / Double(max(1, t.count)), i, j, distance))
            }
        }
        pairs.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var usedTruth = Set<Int>(), usedRead = Set<Int>()
        var errors = 0
        for (_, i, j, distance) in pairs where !usedTruth.contains(i) && !usedRead.contains(j) {
            usedTruth.insert(i)
            usedRead.insert(j)
            errors += distance
        }
        errors += truth.indices.filter { !usedTruth.contains($0) }.reduce(0) { $0 + truth[$1].count }
        errors += read.indices.filter { !usedRead.contains($0) }.reduce(0) { $0 + read[$1].count }
        return (errors, truth.reduce(0) { $0 + $1.count })
    }
}
