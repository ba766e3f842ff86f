/// A first-in first-out store of interleaved Float samples with one reusable allocation.
///
/// The resampler writes straight into the free space at the tail (``reserve(_:)``, ``writePointer``,
/// ``commit(_:)``) and readers take from the head. Consumed space is reclaimed by moving the remainder to the
/// front, so the allocation stays at the size of the largest backlog (one chunk plus one decoded frame)
/// however long the stream is. Not thread-safe.
final class SampleFIFO {
    private var storage: UnsafeMutablePointer<Float>
    private var capacity: Int
    private var head = 0
    private var tail = 0

    init(initialCapacity: Int = 1 << 14) {
        capacity = max(1, initialCapacity)
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    /// Samples (not frames) waiting to be read.
    var count: Int { tail - head }

    /// Makes room for at least `samples` more samples at the tail.
    func reserve(_ samples: Int) {
        if tail + samples <= capacity { return }
        if head > 0 {
            let waiting = count
            if waiting > 0 { storage.update(from: storage + head, count: waiting) }
            head = 0
            tail = waiting
            if tail + samples <= capacity { return }
        }
        let newCapacity = max(capacity * 2, tail + samples)
        let grown = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity)
        if tail > 0 { grown.update(from: storage, count: tail) }
        storage.deallocate()
        storage = grown
        capacity = newCapacity
    }

    /// Where the next samples go; valid until the next ``reserve(_:)``.
    var writePointer: UnsafeMutablePointer<Float> { storage + tail }

    /// Marks `samples` written at ``writePointer`` as stored.
    func commit(_ samples: Int) {
        precondition(samples >= 0 && tail + samples <= capacity, "SampleFIFO overflow")
        tail += samples
    }

    /// Moves the `samples` oldest samples to the end of `destination`.
    func pop(_ samples: Int, appendingTo destination: inout [Float]) {
        let taken = min(samples, count)
        destination.append(contentsOf: UnsafeBufferPointer(start: storage + head, count: taken))
        head += taken
        if head == tail {
            head = 0
            tail = 0
        }
    }
}
