import Foundation
import MedleyCore

/// Fixed-width float frames kept for a second look at the end of a stream (for example log-mel frames that
/// wait for the whole-file maximum that `power_to_db`'s `top_db` floor needs).
///
/// Frames stay in memory up to ``memoryLimit`` bytes (32 MiB by default); past that they are appended to an unlinked temporary
/// file, so memory stays flat however long the input is (the disk holds the rest, removed when the store is
/// released).
public final class FrameStore {
    /// Floats per frame.
    public let width: Int
    /// Frames stored.
    public private(set) var count = 0
    /// Bytes kept in memory before spilling to disk (default 32 MiB).
    public let memoryLimit: Int

    private var memory: [Float] = []
    private var spill: FileHandle?
    private var spillPath: String?
    private var spilledFrames = 0

    /// Creates a store for frames of `width` floats.
    public init(width: Int, memoryLimit: Int = 32 << 20) {
        self.width = width
        self.memoryLimit = memoryLimit
    }

    deinit {
        try? spill?.close()
        if let spillPath { try? FileManager.default.removeItem(atPath: spillPath) }
    }

    /// Appends one frame (`width` floats).
    public func append(_ frame: UnsafeBufferPointer<Float>) throws {
        if memory.capacity == 0 {
            // Exactly the limit (plus a frame), so that growth never doubles past it.
            memory.reserveCapacity(memoryLimit / MemoryLayout<Float>.size + width)
        }
        memory.append(contentsOf: frame.prefix(width))
        count += 1
        if memory.count * MemoryLayout<Float>.size >= memoryLimit { try flushToDisk() }
    }

    private func flushToDisk() throws {
        if spill == nil {
            let path = NSTemporaryDirectory() + "medley-frames-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).f32"
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forUpdatingAtPath: path) else {
                throw MedleyError.writeFailed(path: path, reason: "cannot create a temporary file for frames")
            }
            spill = handle
            spillPath = path
        }
        let data = memory.withUnsafeBufferPointer { Data(buffer: $0) }
        do { try spill?.write(contentsOf: data) } catch {
            throw MedleyError.writeFailed(path: spillPath ?? "temporary file", reason: "\(error.localizedDescription)")
        }
        spilledFrames += memory.count / width
        memory.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with each frame in order (valid during the call); `body` may modify the frame in place.
    public func forEach(_ body: (UnsafeMutableBufferPointer<Float>) throws -> Void) throws {
        if let spill, spilledFrames > 0 {
            try spill.seek(toOffset: 0)
            let framesPerRead = max(1, (4 << 20) / (width * MemoryLayout<Float>.size))
            var left = spilledFrames
            var buffer = [Float](repeating: 0, count: framesPerRead * width)
            while left > 0 {
                let n = min(left, framesPerRead)
                guard let data = try spill.read(upToCount: n * width * MemoryLayout<Float>.size),
                      data.count == n * width * MemoryLayout<Float>.size else {
                    throw MedleyError.internal("frame store: short read from \(spillPath ?? "temporary file")")
                }
                buffer.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
                try buffer.withUnsafeMutableBufferPointer { all in
                    for f in 0..<n { try body(UnsafeMutableBufferPointer(rebasing: all[(f * width)..<((f + 1) * width)])) }
                }
                left -= n
            }
            try spill.seekToEnd()
        }
        let inMemory = memory.count / width
        try memory.withUnsafeMutableBufferPointer { all in
            for f in 0..<inMemory { try body(UnsafeMutableBufferPointer(rebasing: all[(f * width)..<((f + 1) * width)])) }
        }
    }
}

@available(*, unavailable, message: "a FrameStore is used by one analyser at a time")
extension FrameStore: Sendable {}
