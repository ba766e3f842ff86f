import Foundation
import MedleyCore

/// Compiled models kept for reuse, keyed by a caller-supplied content key (Medley uses the model file's sha256),
/// the compile settings and any static input shapes.
///
/// Thread-safe. Compiling happens outside the lock, so a long compile never blocks lookups of other models; two
/// threads that ask for the same missing model at the same moment may both compile it, and both get the one that
/// was stored first. Entries live until removed: Medley loads a handful of models per process.
public final class CompiledModelCache: @unchecked Sendable {
    /// The cache ``Runtime/compiledModel(path:cacheKey:settings:inputShapes:)`` uses.
    public static let shared = CompiledModelCache()

    struct Key: Hashable {
        var key: String
        var settings: CompileSettings
        var inputShapes: [String: [Int]]
    }

    private let lock = NSLock()
    private var entries: [Key: CompiledModel] = [:]  // guarded by `lock`

    public init() {}

    /// The cached compiled model for `key`, `settings` and `inputShapes`, or the result of `compile` (stored first).
    public func compiledModel(
        key: String,
        settings: CompileSettings,
        inputShapes: [String: [Int]] = [:],
        compile: () throws -> CompiledModel
    ) throws -> CompiledModel {
        guard !key.isEmpty else {
            throw MedleyError.invalidArgument(
                "a compiled-model cache key must not be empty; pass the model file's sha256")
        }
        let entryKey = Key(key: key, settings: settings, inputShapes: inputShapes)
        if let cached = lock.withLock({ entries[entryKey] }) { return cached }
        let compiled = try compile()
        return lock.withLock {
            if let raced = entries[entryKey] { return raced }
            entries[entryKey] = compiled
            return compiled
        }
    }

    /// The number of compiled models held.
    public var count: Int { lock.withLock { entries.count } }

    /// Forgets every compiled model with this key (all settings). Models still in use stay valid.
    public func remove(key: String) {
        lock.withLock { entries = entries.filter { $0.key.key != key } }
    }

    /// Forgets every compiled model. Models still in use stay valid.
    public func removeAll() {
        lock.withLock { entries.removeAll() }
    }
}
