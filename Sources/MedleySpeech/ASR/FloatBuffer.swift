/// A fixed-size, heap-allocated array of floats with a stable address, for weights and work buffers.
///
/// Numeric kernels pass raw pointers to BLAS many thousands of times per window; a plain `[Float]` would need
/// a closure (and an exclusivity check) around every call. The memory is zero-filled at creation and freed in
/// `deinit`. Instances that are shared between tasks (model weights) are never written after loading; work
/// buffers belong to one transcription at a time, which is what makes the `@unchecked Sendable` sound.
final class FloatBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = max(count, 0)
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { pointer.deallocate() }

    /// A read-only view of the first `count` floats.
    var constPointer: UnsafePointer<Float> { UnsafePointer(pointer) }

    /// The contents as an array (a copy), for tests and small tensors.
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    subscript(index: Int) -> Float {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }
}
