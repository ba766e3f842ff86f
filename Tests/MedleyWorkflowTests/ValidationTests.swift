import MedleyCore
@testable import MedleyWorkflow
import XCTest

/// Everything wrong with a workflow is found before anything runs, all at once, each with its JSON path.
final class ValidationTests: XCTestCase {
    func testValidWorkflowPlansInDependencyOrder() throws {
        let plan = try WorkflowValidator(registry: testRegistry).plan(try workflow("""
            {"params": {"x": {"type": "Number", "default": 2}},
             "nodes": {"c": {"type": "test.add", "inputs": {"a": ["b", "sum"], "b": ["a", "sum"]}},
                       "b": {"type": "test.add", "inputs": {"a": ["a", "sum"]}},
                       "a": {"type": "test.add", "inputs": {"a": {"param": "x"}, "b": 3}}},
             "outputs": {"total": ["c", "sum"]}}
            """))
        XCTAssertEqual(plan.order, ["a", "b", "c"])
        XCTAssertEqual(plan.outputTypes["total"], .number)
        XCTAssertEqual(plan.nodes["c"]?.dependencies, ["a", "b"])
    }

    func testUnknownNodeTypeSuggestsTheNearestName() throws {
        let found = try issues(#"{"nodes": {"asr": {"type": "speech.synthesise", "inputs": {}}}}"#)
        XCTAssertEqual(found.map(\.path), ["$.nodes.asr.type"])
        XCTAssertTrue(found[0].message.contains("did you mean 'speech.synthesize'?"), found[0].message)
    }

    func testAllProblemsAreReportedTogetherWithTheirPaths() throws {
        let found = try issues("""
            {"params": {"unused": {"type": "Number"}, "n": {"type": "Number"}},
             "nodes": {
               "a": {"type": "test.add", "inputs": {"a": "three", "c": 1}},
               "b": {"type": "test.add", "inputs": {"a": ["missing", "sum"]}},
               "c": {"type": "test.add", "inputs": {"a": ["a", "total"]}},
               "d": {"type": "test.add", "inputs": {"b": 1}},
               "e": {"type": "test.write", "inputs": {"text": ["a", "sum"]}},
               "f": {"type": "test.add", "inputs": {"a": {"param": "nope"}, "delay": 99}},
               "g": {"type": "test.write", "inputs": {"text": {"param": "n"}}}
             },
             "outputs": {"x": ["zzz", "sum"], "y": ["a", "nothing"]}}
            """)
        let byPath = Dictionary(grouping: found, by: \.path).mapValues { $0.map(\.message).joined(separator: " | ") }
        XCTAssertTrue(byPath["$.nodes.a.inputs.a"]?.contains("a string is not a valid Number") ?? false, "\(byPath)")
        XCTAssertTrue(byPath["$.nodes.a.inputs.c"]?.contains("has no input 'c'") ?? false, "\(byPath)")
        XCTAssertTrue(byPath["$.nodes.b.inputs.a"]?.contains("node 'missing', which is not in the workflow") ?? false, "\(byPath)")
        XCTAssertTrue(byPath["$.nodes.c.inputs.a"]?.contains("has no output 'total'") ?? false, "\(byPath)")
        XCTAssertTrue(byPath["$.nodes.d.inputs"]?.contains("missing required input 'a'") ?? false, "\(byPath)")
        XCTAssertTrue(byPath["$.nodes.e.inputs.text"]?.contains("type mismatch: input 'text' takes Text, but 'a'.'sum' gives Number") ?? false, "\(byPath)")
        XCTAssertTrue(byPath["$.nodes.f.inputs.a"]?.contains("parameter 'nope' is not declared") ?? false, "\(byPath)")
        XCTAssertTrue(byPath["$.nodes.f.inputs.delay"]?.contains("must be between 0 and 60, not 99") ?? false, "\(byPath)")
        XCTAssertTrue(byPath["$.nodes.g.inputs.text"]?.contains("parameter 'n' is Number") ?? false, "\(byPath)")
        XCTAssertTrue(byPath["$.params.unused"]?.contains("declared but no node uses it") ?? false, "\(byPath)")
        XCTAssertTrue(byPath["$.outputs.x"]?.contains("node 'zzz'") ?? false, "\(byPath)")
        XCTAssertTrue(byPath["$.outputs.y"]?.contains("has no output 'nothing'") ?? false, "\(byPath)")
        XCTAssertEqual(found.count, 12, found.map(\.description).joined(separator: "\n"))

        // Thrown as one error whose message lists them all.
        XCTAssertThrowsError(try WorkflowValidator(registry: testRegistry).plan(try workflow(#"{"nodes": {"a": {"type": "test.add"}, "b": {"type": "nope"}}}"#))) { error in
            let message = (error as? MedleyError)?.message ?? ""
            XCTAssertTrue(message.contains("has 2 problems"), message)
            XCTAssertTrue(message.contains("$.nodes.a.inputs: missing required input 'a'"), message)
            XCTAssertTrue(message.contains("$.nodes.b.type: unknown node type 'nope'"), message)
        }
    }

    func testCycleIsFoundAndNamed() throws {
        let found = try issues("""
            {"nodes": {"a": {"type": "test.add", "inputs": {"a": ["c", "sum"]}},
                       "b": {"type": "test.add", "inputs": {"a": ["a", "sum"]}},
                       "c": {"type": "test.add", "inputs": {"a": ["b", "sum"]}},
                       "d": {"type": "test.add", "inputs": {"a": 1}}}}
            """)
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertEqual(found.first?.path, "$.nodes")
        XCTAssertTrue(found.first?.message.contains("cycle through 'a', 'b', 'c'") ?? false, "\(found)")
    }

    func testShapeProblemsOfTheDocument() throws {
        XCTAssertThrowsError(try workflow("[1, 2]"))
        XCTAssertThrowsError(try workflow(#"{"nodes": {}, "extra": 1, "params": {"p": {"type": "Banana"}}}"#)) { error in
            let message = (error as? MedleyError)?.message ?? ""
            XCTAssertTrue(message.contains("$.extra: unknown member"), message)
            XCTAssertTrue(message.contains("$.nodes: must be a non-empty object"), message)
            XCTAssertTrue(message.contains("$.params.p.type: unknown type 'Banana'"), message)
        }
        XCTAssertThrowsError(try workflow(#"{"nodes": {"my node": {"inputs": {}}}}"#)) { error in
            XCTAssertTrue(((error as? MedleyError)?.message ?? "").contains(#"$.nodes["my node"].type: missing"#))
        }
    }

    func testListsMapOverSingleValueInputs() throws {
        let plan = try WorkflowValidator(registry: testRegistry).plan(try workflow("""
            {"params": {"folder": {"type": "File"}},
             "nodes": {"files": {"type": "files.list", "inputs": {"folder": {"param": "folder"}}},
                       "ocr": {"type": "vision.ocr", "inputs": {"image": ["files", "files"]}},
                       "all": {"type": "table.concat", "inputs": {"tables": ["ocr", "table"]}}}}
            """))
        XCTAssertEqual(plan.nodes["ocr"]?.mappedInput, "image")
        XCTAssertEqual(plan.nodes["ocr"]?.outputTypes["table"], .list(.table))
        XCTAssertNil(plan.nodes["all"]?.mappedInput)
    }

    func testParametersFromTheCommandLine() throws {
        let plan = try WorkflowValidator(registry: testRegistry).plan(try workflow("""
            {"params": {"x": {"type": "Number"}, "y": {"type": "Number", "default": 1}, "t": {"type": "Text", "default": "hi"}},
             "nodes": {"a": {"type": "test.add", "inputs": {"a": {"param": "x"}, "b": {"param": "y"}}},
                       "w": {"type": "test.write", "inputs": {"text": {"param": "t"}}}}}
            """))
        let here = URL(fileURLWithPath: "/")
        XCTAssertEqual(try plan.bind(commandLine: ["x": "2.5"], baseDirectory: here)["x"], .number(2.5))
        XCTAssertEqual(try plan.bind(commandLine: ["x": "2"], baseDirectory: here)["y"], .number(1))
        XCTAssertThrowsError(try plan.bind(commandLine: [:], baseDirectory: here)) { error in
            XCTAssertTrue(((error as? MedleyError)?.message ?? "").contains("required parameter 'x' (Number)"))
        }
        XCTAssertThrowsError(try plan.bind(commandLine: ["x": "two", "z": "1"], baseDirectory: here)) { error in
            let message = (error as? MedleyError)?.message ?? ""
            XCTAssertTrue(message.contains("'two' is not a valid Number"), message)
            XCTAssertTrue(message.contains("unknown parameter 'z'"), message)
        }
    }

    /// 10,000 nodes in a chain validate in well under a second (the issue's figure is measured in bench/).
    func testLargeGraphValidates() throws {
        var nodes: [String] = [#""n0": {"type": "test.add", "inputs": {"a": 1}}"#]
        for i in 1..<10_000 { nodes.append(#""n\#(i)": {"type": "test.add", "inputs": {"a": ["n\#(i - 1)", "sum"], "b": 1}}"#) }
        let text = "{\"nodes\": {" + nodes.joined(separator: ",\n") + "}}"
        let plan = try WorkflowValidator(registry: testRegistry).plan(try workflow(text))
        XCTAssertEqual(plan.order.count, 10_000)
        XCTAssertEqual(plan.order.first, "n0")
        XCTAssertEqual(plan.order.last, "n9999")
    }
}
