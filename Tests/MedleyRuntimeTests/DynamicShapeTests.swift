import Foundation
import MedleyCore
import MedleyRuntime
import XCTest

/// Dynamic shapes, reshaping, IR reading and every element type, on a model the tests write themselves.
final class DynamicShapeTests: XCTestCase {
    private var folder: URL!
    private var modelPath: String!

    override func setUpWithError() throws {
        folder = try TestSupport.temporaryDirectory()
        modelPath = try AddTwoModel.write(in: folder)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testListsDynamicAndBoundedDimensions() throws {
        let model = try Runtime.loadModel(path: modelPath)
        XCTAssertTrue(model.isDynamic)
        XCTAssertEqual(model.inputs.map(\.description), [
            "x_f32: f32 [?,1..8]", "x_f16: f16 [?,?]", "x_i32: i32 [?]", "x_i64: i64 [?,?]", "x_u8: u8 [?]",
        ])
        XCTAssertEqual(model.inputs[0].shape, [.dynamic, .range(min: 1, max: 8)])
        XCTAssertTrue(model.inputs[0].isDynamic)
        XCTAssertNil(model.inputs[0].staticShape)
        XCTAssertEqual(model.outputs.map(\.name), ElementType.allCases.map { "y_\($0)" })
        XCTAssertEqual(model.outputs.map(\.elementType), ElementType.allCases.map { Optional($0) })
    }

    func testRunsEveryElementTypeWithChangingShapes() throws {
        let compiled = try Runtime.loadModel(path: modelPath).compile()
        let request = try compiled.makeInferRequest()
        for length in [3, 7, 1, 7] {  // growing, shrinking and repeating shapes through one request
            let values = (0..<length).map { Float($0) }
            let outputs = try request.run([
                "x_f32": Tensor(shape: [2, length], floats: values + values),
                "x_f16": Tensor(shape: [1, length], halfs: values.map { Float16($0) }),
                "x_i32": Tensor(shape: [length], int32s: values.map { Int32($0) }),
                "x_i64": Tensor(shape: [length, 1], int64s: values.map { Int64($0) - 5 }),
                "x_u8": Tensor(shape: [length], uint8s: values.map { UInt8($0) }),
            ])
            let expected = values.map { $0 + 2 }
            XCTAssertEqual(outputs["y_f32"]?.shape, [2, length])
            XCTAssertEqual(outputs["y_f32"]?.floats(), expected + expected)
            XCTAssertEqual(outputs["y_f16"]?.elementType, .f16)
            XCTAssertEqual(outputs["y_f16"]?.floats(), expected)
            XCTAssertEqual(outputs["y_i32"]?.elementType, .i32)
            XCTAssertEqual(outputs["y_i32"]?.int64s(), expected.map { Int64($0) })
            XCTAssertEqual(outputs["y_i64"]?.shape, [length, 1])
            XCTAssertEqual(outputs["y_i64"]?.int64s(), values.map { Int64($0) - 3 })
            XCTAssertEqual(outputs["y_u8"]?.elementType, .u8)
            XCTAssertEqual(outputs["y_u8"]?.int64s(), expected.map { Int64($0) })
        }
    }

    func testRunByIndex() throws {
        let compiled = try Runtime.loadModel(path: modelPath).compile()
        let outputs = try compiled.run([
            Tensor(shape: [1, 2], floats: [1, 2]),
            Tensor(shape: [1, 1], halfs: [0.5]),
            Tensor(shape: [0], int32s: []),  // empty tensors pass through
            Tensor(shape: [1, 1], int64s: [40]),
            Tensor(shape: [2], uint8s: [253, 0]),
        ])
        XCTAssertEqual(outputs.count, 5)
        XCTAssertEqual(outputs[0].floats(), [3, 4])
        XCTAssertEqual(outputs[1].floats(), [2.5])
        XCTAssertEqual(outputs[2].shape, [0])
        XCTAssertEqual(outputs[3].int64s(), [42])
        XCTAssertEqual(outputs[4].int64s(), [255, 2])
    }

    func testReshapeToStaticShapes() throws {
        let model = try Runtime.loadModel(path: modelPath)
        try model.reshape(["x_f32": [4, 8], "x_u8": [3]])
        XCTAssertEqual(model.inputs[0].staticShape, [4, 8])
        XCTAssertEqual(model.outputs[0].staticShape, [4, 8])
        XCTAssertEqual(model.inputs[4].staticShape, [3])
        XCTAssertTrue(model.inputs[1].isDynamic, "inputs not named keep their shapes")

        try model.reshape(["x_f16": [.fixed(1), .dynamic], "x_i64": [.range(min: 1, max: 4), .fixed(2)]])
        XCTAssertEqual(model.inputs[1].shape, [.fixed(1), .dynamic])
        XCTAssertEqual(model.inputs[3].shape, [.range(min: 1, max: 4), .fixed(2)])

        let compiled = try model.compile()
        XCTAssertEqual(compiled.inputs[0].staticShape, [4, 8])
        let outputs = try compiled.run([
            "x_f32": Tensor(zeros: [4, 8], elementType: .f32),
            "x_f16": Tensor(zeros: [1, 5], elementType: .f16),
            "x_i32": Tensor(zeros: [2], elementType: .i32),
            "x_i64": Tensor(zeros: [3, 2], elementType: .i64),
            "x_u8": Tensor(zeros: [3], elementType: .u8),
        ])
        XCTAssertEqual(outputs["y_f32"]?.floats(), [Float](repeating: 2, count: 32))
        XCTAssertEqual(outputs["y_f16"]?.shape, [1, 5])
    }

    func testStaticShapeRejectsOtherSizes() throws {
        let model = try Runtime.loadModel(path: modelPath)
        try model.reshape(["x_f32": [1, 4]])
        let compiled = try model.compile()
        let request = try compiled.makeInferRequest()
        let error = assertThrowsMedleyError(try request.setInput("x_f32", Tensor(zeros: [1, 5], elementType: .f32)))
        print("static shape, wrong size: \(error?.message ?? "-")")
        guard case .runtime(let text)? = error else { return XCTFail("expected a runtime error, got \(String(describing: error))") }
        XCTAssertTrue(text.hasPrefix("setting input 'x_f32' of \(modelPath!) to a tensor of type f32 and shape [1, 5]: "), text)
    }
}
