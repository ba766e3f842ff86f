import Foundation
import MedleyCore
import MedleyRuntime
import XCTest

/// Test inputs that come from the model store or from tools on the machine.
enum TestSupport {
    /// The silero VAD model's file name inside the store's `silero-vad` folder.
    static let sileroFileName = "silero_vad_openvino_16k.onnx"

    /// `$MEDLEY_MODELS/silero-vad/silero_vad_openvino_16k.onnx`, else the same under `~/.medley/models`.
    /// Throws (failing the test, never skipping it) when the model is not installed.
    static func sileroModelPath() throws -> String {
        var candidates: [String] = []
        if let store = ProcessInfo.processInfo.environment["MEDLEY_MODELS"], !store.isEmpty {
            candidates.append("\(store)/silero-vad/\(sileroFileName)")
        }
        candidates.append(NSHomeDirectory() + "/.medley/models/silero-vad/\(sileroFileName)")
        if let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) { return found }
        throw TestSetupError(
            "the silero VAD model is not installed (looked for \(candidates.joined(separator: " and "))); "
                + "run `make setup` to install the models")
    }

    /// A scratch folder for this test run, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medley-runtime-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a tool and throws with its stderr when it fails.
    static func runTool(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw TestSetupError("cannot start \(executable) (\(error)); run `make setup` to install it")
        }
        let errorText = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError("\(executable) \(arguments.joined(separator: " ")) failed: \(errorText)")
        }
    }

    /// Reads a file of native-endian 32-bit floats.
    static func readFloats(_ url: URL) throws -> [Float] {
        let data = try Data(contentsOf: url)
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        }
    }
}

/// A test's precondition (a model, a tool) is missing; the message says how to get it.
struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Asserts that `body` throws a ``MedleyError`` and returns it for further checks.
@discardableResult
func assertThrowsMedleyError<T>(
    _ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line
) -> MedleyError? {
    do {
        let value = try body()
        XCTFail("expected a MedleyError, got \(value)", file: file, line: line)
        return nil
    } catch let error as MedleyError {
        return error
    } catch {
        XCTFail("expected a MedleyError, got \(type(of: error)): \(error)", file: file, line: line)
        return nil
    }
}
