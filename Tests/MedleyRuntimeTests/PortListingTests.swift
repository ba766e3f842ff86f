import MedleyCore
import MedleyRuntime
import XCTest

final class PortListingTests: XCTestCase {
    func testSileroPorts() throws {
        let model = try Runtime.loadModel(path: TestSupport.sileroModelPath())
        // silero_vad_openvino_16k.onnx (silero-vad 6.2.3): 64 context samples + 512 new ones, and the LSTM state.
        XCTAssertEqual(model.inputs, [
            PortInfo(name: "input", elementType: .f32, elementTypeName: "f32", shape: [.fixed(1), .fixed(576)]),
            PortInfo(name: "state", elementType: .f32, elementTypeName: "f32", shape: [.fixed(2), .fixed(1), .fixed(128)]),
        ])
        XCTAssertEqual(model.outputs, [
            PortInfo(name: "output", elementType: .f32, elementTypeName: "f32", shape: [.fixed(1), .fixed(1)]),
            PortInfo(name: "stateN", elementType: .f32, elementTypeName: "f32", shape: [.fixed(2), .fixed(1), .fixed(128)]),
        ])
        XCTAssertFalse(model.isDynamic)
        XCTAssertEqual(model.inputs.map(\.description), ["input: f32 [1,576]", "state: f32 [2,1,128]"])
        XCTAssertEqual(model.inputs[0].staticShape, [1, 576])

        // Compiling keeps the source names even where OpenVINO gives the compiled port another "any name".
        let compiled = try model.compile()
        XCTAssertEqual(compiled.inputs, model.inputs)
        XCTAssertEqual(compiled.outputs, model.outputs)
        XCTAssertEqual(try compiled.makeInferRequest().outputs.map(\.name), ["output", "stateN"])
    }

    func testVersion() {
        print("OpenVINO \(Runtime.version)")
        XCTAssertTrue(Runtime.version.hasPrefix("2026."), Runtime.version)
        XCTAssertEqual(Runtime.library.name, "OpenVINO")
        XCTAssertEqual(Runtime.library.license, "Apache-2.0")
    }

    func testDimensionDescriptions() {
        XCTAssertEqual(Dimension.fixed(3).description, "3")
        XCTAssertEqual(Dimension.dynamic.description, "?")
        XCTAssertEqual(Dimension.range(min: 1, max: 10).description, "1..10")
        XCTAssertEqual(Dimension.range(min: 2, max: nil).description, "2..")
        XCTAssertTrue(Dimension.range(min: 1, max: 10).accepts(10))
        XCTAssertFalse(Dimension.range(min: 1, max: 10).accepts(11))
        XCTAssertTrue(Dimension.dynamic.accepts(0))
        XCTAssertFalse(Dimension.fixed(3).accepts(4))
    }
}
