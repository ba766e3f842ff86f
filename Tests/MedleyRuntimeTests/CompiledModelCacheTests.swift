import Foundation
import MedleyCore
import MedleyRuntime
import XCTest

final class CompiledModelCacheTests: XCTestCase {
    /// A stand-in for the sha256 Medley takes from the model card.
    private let sileroKey = "test-silero-vad-openvino-16k"

    func testSameKeyAndSettingsReturnTheSameCompiledModel() throws {
        let path = try TestSupport.sileroModelPath()
        let cache = CompiledModelCache()
        var compilations = 0
        let compile = { (settings: CompileSettings) throws -> CompiledModel in
            compilations += 1
            return try Runtime.loadModel(path: path).compile(settings)
        }
        let first = try cache.compiledModel(key: sileroKey, settings: .default) { try compile(.default) }
        let second = try cache.compiledModel(key: sileroKey, settings: CompileSettings()) { try compile(.default) }
        XCTAssertTrue(first === second)
        XCTAssertEqual(compilations, 1)

        let bf16 = CompileSettings(precision: .bf16)
        let other = try cache.compiledModel(key: sileroKey, settings: bf16) { try compile(bf16) }
        XCTAssertFalse(first === other)
        XCTAssertEqual(other.settings, bf16)
        let oneThread = CompileSettings(threads: 1)
        XCTAssertFalse(first === (try cache.compiledModel(key: sileroKey, settings: oneThread) { try compile(oneThread) }))
        XCTAssertFalse(first === (try cache.compiledModel(key: "another-model", settings: .default) { try compile(.default) }))
        XCTAssertEqual(compilations, 4)
        XCTAssertEqual(cache.count, 4)

        cache.remove(key: sileroKey)
        XCTAssertEqual(cache.count, 1)
        let recompiled = try cache.compiledModel(key: sileroKey, settings: .default) { try compile(.default) }
        XCTAssertFalse(first === recompiled)
        XCTAssertEqual(try first.run(["input": Tensor(zeros: [1, 576], elementType: .f32),
                                      "state": Tensor(zeros: [2, 1, 128], elementType: .f32)]).count, 2,
                       "a model removed from the cache stays usable")
        cache.removeAll()
        XCTAssertEqual(cache.count, 0)
    }

    func testFailedCompilationsAreNotCached() throws {
        let cache = CompiledModelCache()
        XCTAssertThrowsError(try cache.compiledModel(key: "k", settings: .default) {
            throw MedleyError.runtime("compile failed")
        })
        XCTAssertEqual(cache.count, 0)
        let path = try TestSupport.sileroModelPath()
        XCTAssertNoThrow(try cache.compiledModel(key: "k", settings: .default) { try Runtime.loadModel(path: path).compile() })
        XCTAssertEqual(cache.count, 1)
    }

    func testEmptyKeyIsRefused() {
        let error = assertThrowsMedleyError(try CompiledModelCache().compiledModel(key: "", settings: .default) {
            throw MedleyError.internal("must not compile")
        })
        guard case .invalidArgument? = error else { return XCTFail("\(String(describing: error))") }
    }

    func testRuntimeCompiledModelUsesTheSharedCache() throws {
        let path = try TestSupport.sileroModelPath()
        let key = "\(sileroKey)-shared-\(UUID().uuidString)"
        defer { CompiledModelCache.shared.remove(key: key) }
        let first = try Runtime.compiledModel(path: path, cacheKey: key)
        let second = try Runtime.compiledModel(path: path, cacheKey: key, settings: .default)
        XCTAssertTrue(first === second)
        let bf16 = try Runtime.compiledModel(path: path, cacheKey: key, settings: CompileSettings(precision: .bf16))
        XCTAssertFalse(first === bf16)
        // OpenVINO reports the precision it runs: bf16 where the CPU has it, f32 on CPUs without (AVX2-only EPYC).
        XCTAssertTrue(["bf16", "f32"].contains(try bf16.property("INFERENCE_PRECISION_HINT")))
    }

    func testInputShapesArePartOfTheKey() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try AddTwoModel.write(in: folder)
        let key = "add-two-\(UUID().uuidString)"
        defer { CompiledModelCache.shared.remove(key: key) }
        let dynamic = try Runtime.compiledModel(path: path, cacheKey: key)
        let fixed = try Runtime.compiledModel(path: path, cacheKey: key, inputShapes: ["x_f32": [2, 3]])
        XCTAssertFalse(dynamic === fixed)
        XCTAssertTrue(fixed === (try Runtime.compiledModel(path: path, cacheKey: key, inputShapes: ["x_f32": [2, 3]])))
        XCTAssertTrue(dynamic.inputs[0].isDynamic)
        XCTAssertEqual(fixed.inputs[0].staticShape, [2, 3])
    }
}
