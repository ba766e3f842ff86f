import Foundation

/// How a workflow runs.
public struct ExecutionOptions: Sendable {
    /// Use cached outputs when a node's inputs, settings and models are unchanged. Off (`--no-cache`), every
    /// node runs again and its fresh outputs replace the cached ones.
    public var useCache: Bool
    /// Nodes that may run at the same time: independent branches run in parallel up to this bound.
    public var maxConcurrency: Int
    /// Seconds any node may run, unless the node sets its own `timeout`; nil for no limit.
    public var defaultTimeout: Double?
    /// The artifact store is trimmed to this size after a run, least-recently-used entries first.
    public var cacheLimitBytes: Int64

    /// 10 GiB: room for the intermediate files of many long videos.
    public static let defaultCacheLimit: Int64 = 10 << 30

    public init(useCache: Bool = true, maxConcurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
                defaultTimeout: Double? = nil, cacheLimitBytes: Int64 = ExecutionOptions.defaultCacheLimit) {
        self.useCache = useCache
        self.maxConcurrency = max(1, maxConcurrency)
        self.defaultTimeout = defaultTimeout
        self.cacheLimitBytes = cacheLimitBytes
    }
}

/// The outcome of a run: its record, and the values it produced.
public struct WorkflowRun: Sendable {
    /// What was recorded (status, timings, cache hits, inputs, models, outputs).
    public var record: RunRecord
    /// Every finished node's outputs, by node id.
    public var nodeOutputs: [String: [String: WorkflowValue]]
    /// The workflow's named outputs that were produced.
    public var outputs: [String: WorkflowValue]
    /// The error of the first node that failed, as the node threw it.
    public var failure: (any Error)?

    /// The outputs, or the failure rethrown (with the node named when it is not already in the message).
    public func get() throws -> [String: WorkflowValue] {
        if let failure { throw failure }
        return outputs
    }
}
