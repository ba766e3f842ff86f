import Foundation
import MedleyCore
import MedleyRuntime
import XCTest

/// Bad input reaches the caller as a ``MedleyError`` that names what was being done and keeps OpenVINO's words.
final class RuntimeErrorTests: XCTestCase {
    private func runtimeText(_ error: MedleyError?, file: StaticString = #filePath, line: UInt = #line) -> String {
        guard case .runtime(let text)? = error else {
            XCTFail("expected MedleyError.runtime, got \(String(describing: error))", file: file, line: line)
            return ""
        }
        print("runtime error: \(text)")
        XCTAssertFalse(text.contains("\n"), "messages are single lines", file: file, line: line)
        return text
    }

    private func silero() throws -> CompiledModel {
        try Runtime.loadModel(path: TestSupport.sileroModelPath()).compile()
    }

    private let state = Tensor(zeros: [2, 1, 128], elementType: .f32)
    private let input = Tensor(zeros: [1, 576], elementType: .f32)

    func testMissingFile() {
        let path = "/nonexistent/medley/model.onnx"
        XCTAssertEqual(assertThrowsMedleyError(try Runtime.loadModel(path: path)), .fileNotFound(path: path))
        XCTAssertEqual(assertThrowsMedleyError(try Runtime.compiledModel(path: path, cacheKey: "missing")),
                       .fileNotFound(path: path))
    }

    func testTextFileIsNotAModel() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("notes.onnx").path
        try "this is a text file, not an ONNX model\n".write(toFile: path, atomically: true, encoding: .utf8)
        let text = runtimeText(assertThrowsMedleyError(try Runtime.loadModel(path: path)))
        XCTAssertTrue(text.hasPrefix("reading model \(path): GENERAL_ERROR: "), text)
        // OpenVINO's own explanation follows the status name.
        XCTAssertGreaterThan(text.count, "reading model \(path): GENERAL_ERROR: ".count + 20, text)

        let empty = folder.appendingPathComponent("empty.onnx").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        XCTAssertEqual(assertThrowsMedleyError(try Runtime.loadModel(path: empty)), .emptyFile(path: empty))
    }

    func testMissingIRWeights() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let xml = try AddTwoModel.write(in: folder)
        let bin = folder.appendingPathComponent("elsewhere.bin").path
        XCTAssertEqual(assertThrowsMedleyError(try Runtime.loadModel(path: xml, weightsPath: bin)), .fileNotFound(path: bin))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("add_two.bin"))
        _ = runtimeText(assertThrowsMedleyError(try Runtime.loadModel(path: xml)))
    }

    func testWrongInputName() throws {
        let model = try silero()
        let text = runtimeText(assertThrowsMedleyError(try model.run(["audio": input, "state": state])))
        XCTAssertTrue(text.hasPrefix("setting input 'audio' of "), text)
        XCTAssertTrue(text.contains("audio"), text)
        XCTAssertTrue(text.hasSuffix("the model's inputs are: input: f32 [1,576], state: f32 [2,1,128]"), text)

        let request = try model.makeInferRequest()
        _ = runtimeText(assertThrowsMedleyError(try request.setInput("stateN", state)))
        _ = runtimeText(assertThrowsMedleyError(try request.output("probability")))
    }

    func testWrongInputShape() throws {
        let model = try silero()
        let text = runtimeText(assertThrowsMedleyError(
            try model.run(["input": Tensor(zeros: [1, 512], elementType: .f32), "state": state])))
        XCTAssertTrue(text.hasPrefix("setting input 'input' of "), text)
        XCTAssertTrue(text.contains("shape [1, 512]"), text)
        XCTAssertTrue(text.contains("[1,576]"), "OpenVINO's message names the expected shape: \(text)")
    }

    func testWrongInputType() throws {
        let model = try silero()
        let text = runtimeText(assertThrowsMedleyError(
            try model.run(["input": Tensor(zeros: [1, 576], elementType: .i64), "state": state])))
        XCTAssertTrue(text.hasPrefix("setting input 'input' of "), text)
        XCTAssertTrue(text.contains("type i64"), text)
    }

    func testRequestStaysUsableAfterAnError() throws {
        let model = try silero()
        let request = try model.makeInferRequest()
        _ = assertThrowsMedleyError(try request.run(["input": Tensor(zeros: [1, 5], elementType: .f32), "state": state]))
        let outputs = try request.run(["input": input, "state": state])
        XCTAssertLessThan(try XCTUnwrap(outputs["output"]).floats()[0], 0.2)
    }

    func testMissingAndMiscountedInputs() throws {
        let model = try silero()
        let missing = assertThrowsMedleyError(try model.run(["input": input]))
        guard case .invalidArgument(let text)? = missing else { return XCTFail("\(String(describing: missing))") }
        XCTAssertTrue(text.contains("missing input(s) 'state'"), text)

        let miscounted = assertThrowsMedleyError(try model.run([input]))
        guard case .invalidArgument(let count)? = miscounted else { return XCTFail("\(String(describing: miscounted))") }
        XCTAssertTrue(count.contains("takes 2 input(s)"), count)

        let request = try model.makeInferRequest()
        guard case .invalidArgument? = assertThrowsMedleyError(try request.setInput(at: 2, input)) else { return XCTFail() }
        guard case .invalidArgument? = assertThrowsMedleyError(try request.output(at: 2)) else { return XCTFail() }
    }

    func testInvalidSettingsAndReshapes() throws {
        let model = try Runtime.loadModel(path: TestSupport.sileroModelPath())
        guard case .invalidArgument? = assertThrowsMedleyError(try model.compile(CompileSettings(threads: 0))) else {
            return XCTFail()
        }
        guard case .invalidArgument? = assertThrowsMedleyError(try model.reshape(["input": [1, -3]])) else {
            return XCTFail()
        }
        let unknown = runtimeText(assertThrowsMedleyError(try model.reshape(["audio": [1, 576]])))
        XCTAssertTrue(unknown.hasPrefix("reshaping model "), unknown)
        XCTAssertEqual(model.inputs[0].staticShape, [1, 576], "a failed reshape leaves the ports as they were")
    }
}
