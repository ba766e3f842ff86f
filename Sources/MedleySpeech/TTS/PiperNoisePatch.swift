import Foundation
import MedleyCore

/// Rewrites a Piper (VITS) ONNX model so that its random noise comes from inputs that Medley fills from a seeded
/// generator, which makes synthesis repeatable.
///
/// Why: the model draws Gaussian noise with two `RandomNormalLike` nodes (the stochastic duration predictor's and
/// the prior's), without a seed. OpenVINO turns them into `RandomUniform` ops; unseeded, they differ on every run,
/// and even with a seed written into the file, OpenVINO's CPU plugin advances the generator's state from one
/// inference to the next (checked with OpenVINO 2026.4), so a sentence would sound different depending on what
/// was synthesized before it. Feeding the noise as inputs instead gives the same audio for the same text, seed
/// and settings, and lets duration control compare runs that differ only in `length_scale`.
///
/// Each `RandomNormalLike` node (input `X` of shape `[B, C, T]`, output `Y`) is replaced by nodes that take the
/// first `B*T*C` values of a new 1-D float input `medley_noise_<k>` (repeated with `Tile` if the input is
/// shorter), reshape them time-major to `[B, T, C]` and transpose to `[B, C, T]`. Time-major order keeps the
/// noise of a frame the same however long the output turns out to be.
enum PiperNoisePatch {
    /// Bump when the rewrite changes, so cached rewritten files are made again.
    static let version = 1
    /// The name prefix of the added inputs (`medley_noise_0`, `medley_noise_1`, ...).
    static let inputPrefix = "medley_noise_"

    /// Rewrites the model in `modelBytes` and returns the new file's bytes and the number of noise inputs added
    /// (0 when the model draws no noise; the bytes are then the original ones).
    ///
    /// - Throws: ``MedleyError/invalidModel(id:reason:)`` when the file is not an ONNX model or a
    ///   `RandomNormalLike` node has a non-default mean, scale or type this rewrite does not reproduce.
    static func rewrite(_ modelBytes: [UInt8], modelName: String) throws -> (bytes: [UInt8], noiseInputs: Int) {
        do {
            return try modelBytes.withUnsafeBytes { raw in
                var writer = ProtobufWire.Writer()
                writer.reserve(raw.count + 16_384)
                var added = 0
                var sawGraph = false
                for field in try ProtobufWire.fields(raw, in: 0..<raw.count) {
                    guard field.number == ModelField.graph, field.wireType == .lengthDelimited else {
                        writer.append(UnsafeRawBufferPointer(rebasing: raw[field.bytes]))
                        continue
                    }
                    sawGraph = true
                    let (graph, count) = try rewriteGraph(raw, field.payload, modelName: modelName)
                    added += count
                    writer.bytesField(ModelField.graph, graph)
                }
                guard sawGraph else {
                    throw MedleyError.invalidModel(id: modelName, reason: "the file holds no ONNX graph")
                }
                return added == 0 ? (modelBytes, 0) : (writer.bytes, added)
            }
        } catch let error as MedleyError {
            if case .invalidArgument(let reason) = error {
                throw MedleyError.invalidModel(id: modelName, reason: "not a readable ONNX file (\(reason))")
            }
            throw error
        }
    }

    // MARK: - Graph

    private static func rewriteGraph(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, modelName: String) throws
        -> (bytes: [UInt8], added: Int)
    {
        var writer = ProtobufWire.Writer()
        writer.reserve(range.count + 16_384)
        var added = 0
        for field in try ProtobufWire.fields(raw, in: range) {
            guard field.number == GraphField.node, field.wireType == .lengthDelimited,
                  let node = try randomNormalNode(raw, field.payload, modelName: modelName)
            else {
                writer.append(UnsafeRawBufferPointer(rebasing: raw[field.bytes]))
                continue
            }
            let input = inputPrefix + String(added)
            for replacement in replacementNodes(source: node.input, output: node.output, noise: input) {
                writer.bytesField(GraphField.node, replacement)
            }
            added += 1
        }
        for index in 0..<added {
            writer.messageField(GraphField.input) { valueInfo in
                valueInfo.stringField(1, inputPrefix + String(index))  // name
                valueInfo.messageField(2) { type in  // TypeProto
                    type.messageField(1) { tensor in  // tensor_type
                        tensor.varintField(1, TensorType.float)  // elem_type
                        tensor.messageField(2) { shape in  // TensorShapeProto
                            shape.messageField(1) { dimension in dimension.stringField(2, "medley_noise_length") }
                        }
                    }
                }
            }
        }
        return (writer.bytes, added)
    }

    private struct RandomNormalNode {
        var input: String
        var output: String
    }

    /// The input and output of a `RandomNormalLike` node, or nil for any other node.
    private static func randomNormalNode(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, modelName: String) throws
        -> RandomNormalNode?
    {
        let fields = try ProtobufWire.fields(raw, in: range)
        guard fields.contains(where: { $0.number == NodeField.opType && ProtobufWire.string(raw, $0) == "RandomNormalLike" })
        else { return nil }
        let inputs = fields.filter { $0.number == NodeField.input }.map { ProtobufWire.string(raw, $0) }
        let outputs = fields.filter { $0.number == NodeField.output }.map { ProtobufWire.string(raw, $0) }
        let name = fields.first { $0.number == NodeField.name }.map { ProtobufWire.string(raw, $0) } ?? "RandomNormalLike"
        guard inputs.count == 1, outputs.count == 1 else {
            throw MedleyError.invalidModel(id: modelName, reason: "node \(name) has \(inputs.count) inputs and \(outputs.count) outputs")
        }
        for attribute in fields where attribute.number == NodeField.attribute {
            let parts = try ProtobufWire.fields(raw, in: attribute.payload)
            let attributeName = parts.first { $0.number == 1 }.map { ProtobufWire.string(raw, $0) } ?? ""
            let integer = parts.first { $0.number == 3 }.map { Int64(bitPattern: $0.value) }
            let float = parts.first { $0.number == 2 }.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0.value)) }
            let supported: Bool
            switch attributeName {
            case "dtype": supported = integer == nil || integer == TensorType.float
            case "mean": supported = float == nil || float == 0
            case "scale": supported = float == nil || float == 1
            case "seed": supported = true  // replaced by Medley's own seed
            default: supported = false
            }
            guard supported else {
                throw MedleyError.invalidModel(
                    id: modelName, reason: "node \(name) has attribute '\(attributeName)' with a value Medley cannot feed")
            }
        }
        return RandomNormalNode(input: inputs[0], output: outputs[0])
    }

    // MARK: - Replacement nodes

    /// The nodes that compute `output` from the noise input, shaped like `source` (`[B, C, T]`).
    private static func replacementNodes(source: String, output: String, noise: String) -> [[UInt8]] {
        let p = noise + "_"
        return [
            node("Constant", [], [p + "perm"], [tensorAttribute("value", [0, 2, 1])]),
            node("Constant", [], [p + "zero"], [tensorAttribute("value", [0])]),
            node("Constant", [], [p + "one"], [tensorAttribute("value", [1])]),
            node("Shape", [source], [p + "bct"]),
            node("Gather", [p + "bct", p + "perm"], [p + "btc"], [intAttribute("axis", 0)]),
            node("ReduceProd", [p + "btc"], [p + "count"], [intAttribute("keepdims", 1)]),
            node("Shape", [noise], [p + "length"]),
            // repeats = ceil(count / length) = (count - 1) / length + 1, for a noise input shorter than needed
            node("Sub", [p + "count", p + "one"], [p + "count_minus_one"]),
            node("Div", [p + "count_minus_one", p + "length"], [p + "quotient"]),
            node("Add", [p + "quotient", p + "one"], [p + "repeats"]),
            node("Tile", [noise, p + "repeats"], [p + "tiled"]),
            node("Slice", [p + "tiled", p + "zero", p + "count"], [p + "flat"]),
            node("Reshape", [p + "flat", p + "btc"], [p + "time_major"]),
            node("Transpose", [p + "time_major"], [output], [intsAttribute("perm", [0, 2, 1])]),
        ]
    }

    private static func node(_ type: String, _ inputs: [String], _ outputs: [String], _ attributes: [[UInt8]] = []) -> [UInt8] {
        var writer = ProtobufWire.Writer()
        for input in inputs { writer.stringField(NodeField.input, input) }
        for output in outputs { writer.stringField(NodeField.output, output) }
        writer.stringField(NodeField.name, "medley/" + (outputs.first ?? type))
        writer.stringField(NodeField.opType, type)
        for attribute in attributes { writer.bytesField(NodeField.attribute, attribute) }
        return writer.bytes
    }

    private static func intAttribute(_ name: String, _ value: Int64) -> [UInt8] {
        var writer = ProtobufWire.Writer()
        writer.stringField(1, name)
        writer.varintField(3, value)  // i
        writer.varintField(20, AttributeType.int)
        return writer.bytes
    }

    private static func intsAttribute(_ name: String, _ values: [Int64]) -> [UInt8] {
        var writer = ProtobufWire.Writer()
        writer.stringField(1, name)
        for value in values { writer.varintField(8, value) }  // ints
        writer.varintField(20, AttributeType.ints)
        return writer.bytes
    }

    /// A `value` attribute holding a 1-D int64 tensor.
    private static func tensorAttribute(_ name: String, _ values: [Int64]) -> [UInt8] {
        var writer = ProtobufWire.Writer()
        writer.stringField(1, name)
        writer.messageField(5) { tensor in  // t: TensorProto
            tensor.varintField(1, Int64(values.count))  // dims
            tensor.varintField(2, TensorType.int64)  // data_type
            var raw: [UInt8] = []
            for value in values { withUnsafeBytes(of: value.littleEndian) { raw.append(contentsOf: $0) } }
            tensor.bytesField(9, raw)  // raw_data
        }
        writer.varintField(20, AttributeType.tensor)
        return writer.bytes
    }

    // Field numbers and enum values of onnx.proto.
    private enum ModelField { static let graph = 7 }
    private enum GraphField { static let node = 1, input = 11 }
    private enum NodeField { static let input = 1, output = 2, name = 3, opType = 4, attribute = 5 }
    private enum AttributeType { static let float: Int64 = 1, int: Int64 = 2, tensor: Int64 = 4, ints: Int64 = 7 }
    private enum TensorType { static let float: Int64 = 1, int64: Int64 = 7 }
}
