internal import COpenVINO
import MedleyCore

// Owners of OpenVINO C handles. Each wraps exactly one handle and frees it in `deinit`, so a handle can never leak
// on an error path: a wrapper is created the moment the C call hands the handle over, before anything else can
// throw. None of them is public; the public types hold them.

/// Owns an `ov_core_t`. OpenVINO's Core is safe to use from several threads at once (reading and compiling models
/// takes its own locks), hence `@unchecked Sendable`.
final class CoreHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init() throws {
        var raw: OpaquePointer?
        try check(ov_core_create(&raw), "creating the OpenVINO core")
        guard let raw else { throw MedleyError.runtime("creating the OpenVINO core: no core was returned") }
        pointer = raw
    }

    deinit { ov_core_free(pointer) }
}

/// Owns an `ov_model_t` (a model read from a file, not yet compiled). Not thread-safe: reshaping mutates it.
final class ModelHandle {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { ov_model_free(pointer) }
}

/// Owns an `ov_compiled_model_t`. OpenVINO's CompiledModel is thread-safe (several threads may create infer requests
/// and read its ports at once), hence `@unchecked Sendable`.
final class CompiledModelHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { ov_compiled_model_free(pointer) }
}

/// Owns an `ov_infer_request_t`. Not thread-safe: one caller at a time. Keeps the compiled model it came from alive.
final class InferRequestHandle {
    let pointer: OpaquePointer
    private let compiledModel: CompiledModelHandle

    init(taking pointer: OpaquePointer, of compiledModel: CompiledModelHandle) {
        self.pointer = pointer
        self.compiledModel = compiledModel
    }

    deinit { ov_infer_request_free(pointer) }
}

/// Owns one reference to an `ov_tensor_t` (OpenVINO tensors are shared: freeing this wrapper drops one reference).
final class TensorHandle {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { ov_tensor_free(pointer) }
}

/// Owns an `ov_output_const_port_t` (a model input or output).
final class PortHandle {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) { self.pointer = pointer }

    deinit { ov_output_const_port_free(pointer) }
}

/// Owns the dimension array of an `ov_shape_t` that OpenVINO filled in (`ov_tensor_get_shape`).
///
/// Starts zeroed: OpenVINO leaves a scalar's shape untouched (its allocator refuses rank 0), so a zeroed shape reads
/// as rank 0, and `ov_shape_free` accepts a null `dims`.
final class ShapeBuffer {
    var raw = ov_shape_t(rank: 0, dims: nil)

    deinit { ov_shape_free(&raw) }

    /// The dimensions as Swift integers.
    var dimensions: [Int] {
        guard raw.rank > 0, let dims = raw.dims else { return [] }
        return (0..<Int(raw.rank)).map { Int(dims[$0]) }
    }
}

/// Owns the dimension array of an `ov_partial_shape_t` that OpenVINO filled in or created.
final class PartialShapeBuffer {
    var raw = ov_partial_shape_t(rank: ov_dimension_t(min: 0, max: 0), dims: nil)

    deinit { ov_partial_shape_free(&raw) }
}

/// Calls `body` with an `ov_shape_t` that points at `dimensions` for the duration of the call.
///
/// Built by hand rather than with `ov_shape_create`, which rejects rank 0, so scalars (such as silero's `sr`) work;
/// OpenVINO only copies the dimensions out of the struct.
func withShape<R>(_ dimensions: [Int], _ body: (ov_shape_t) throws -> R) rethrows -> R {
    var dims = dimensions.map { Int64($0) }
    return try dims.withUnsafeMutableBufferPointer { buffer in
        try body(ov_shape_t(rank: Int64(buffer.count), dims: buffer.baseAddress))
    }
}
