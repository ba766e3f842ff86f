import Foundation
import MedleyCore

/// Where the rewritten Piper models (see ``PiperNoisePatch``) are kept between runs.
///
/// `$MEDLEY_CACHE/piper/` (default `~/.cache/medley/piper/`), one `<key>-noise-v<N>.onnx` per voice and
/// `<same>.inputs` holding the number of noise inputs. The key is the model's sha256 when known, so a changed model
/// gets a new file. Files are written atomically (temporary name, then rename), so processes that load the same
/// voice at once never see half a file. When the cache folder cannot be written the system's temporary folder is
/// used instead.
enum PiperModelCache {
    /// The rewritten model for `modelPath` (made now if missing) and its noise-input count. With no noise input
    /// (a model without random nodes) the original path is returned.
    static func rewrittenModel(_ modelPath: String, key: String) throws -> (path: String, noiseInputs: Int) {
        let safeKey = String(key.filter { $0.isLetter || $0.isNumber || $0 == "-" }.prefix(64))
        let name = "\(safeKey)-noise-v\(PiperNoisePatch.version).onnx"
        let folders = [
            cacheDirectory().appendingPathComponent("piper", isDirectory: true),
            FileManager.default.temporaryDirectory.appendingPathComponent("medley-piper", isDirectory: true),
        ]
        for folder in folders {
            let target = folder.appendingPathComponent(name).path
            if let count = recordedInputCount(target) { return (count == 0 ? modelPath : target, count) }
        }
        let original: [UInt8]
        do {
            original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: modelPath)))
        } catch {
            throw MedleyError.invalidArgument("\(modelPath): cannot read (\(error.localizedDescription))")
        }
        let (bytes, count) = try PiperNoisePatch.rewrite(original, modelName: modelPath)
        var lastError: (any Error)?
        for folder in folders {
            let target = folder.appendingPathComponent(name).path
            do {
                try store(bytes, count: count, at: target, in: folder)
                return (count == 0 ? modelPath : target, count)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? MedleyError.writeFailed(path: name, reason: "no cache folder could be written")
    }

    /// Medley's cache folder: `$MEDLEY_CACHE`, else `~/.cache/medley`.
    static func cacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["MEDLEY_CACHE"], !path.isEmpty {
            return URL(fileURLWithPath: (path as NSString).expandingTildeInPath, isDirectory: true)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/medley", isDirectory: true)
    }

    /// A key for a file without a known checksum: FNV-1a over its absolute path, size and modification time.
    static func fingerprint(of path: String) throws -> String {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw MedleyError.invalidArgument("\(path): cannot read its attributes (\(error.localizedDescription))")
        }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(absolute)|\(size)|\(modified)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return "file-" + String(hash, radix: 16)
    }

    /// The noise-input count recorded beside a cached model, when both files are there.
    private static func recordedInputCount(_ target: String) -> Int? {
        guard let text = try? String(contentsOfFile: target + ".inputs", encoding: .utf8),
              let count = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), count >= 0
        else { return nil }
        return count == 0 || FileManager.default.fileExists(atPath: target) ? count : nil
    }

    private static func store(_ bytes: [UInt8], count: Int, at target: String, in folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw MedleyError.writeFailed(path: folder.path, reason: error.localizedDescription)
        }
        if count > 0 {
            try writeAtomically(to: target) { temporary in
                do {
                    try Data(bytes).write(to: URL(fileURLWithPath: temporary))
                } catch {
                    throw MedleyError.writeFailed(path: target, reason: error.localizedDescription)
                }
            }
        }
        // Written last: its presence says the model file is complete.
        try writeAtomically(to: target + ".inputs") { temporary in
            do {
                try Data("\(count)\n".utf8).write(to: URL(fileURLWithPath: temporary))
            } catch {
                throw MedleyError.writeFailed(path: target + ".inputs", reason: error.localizedDescription)
            }
        }
    }
}
