internal import COpenVINO
import Foundation
import MedleyCore

/// Medley's inference runtime: OpenVINO on the CPU.
///
/// ```swift
/// let vad = try Runtime.compiledModel(path: file, cacheKey: card.sha256)   // compiled once per process
/// let request = try vad.makeInferRequest()                                 // one per caller
/// let outputs = try request.run(["input": samples, "state": state])        // [String: Tensor]
/// state = outputs["stateN"]
/// ```
public enum Runtime {
    /// The device every model is compiled for. Medley targets CPUs only for now.
    static let device = "CPU"

    /// OpenVINO's build version, such as `2026.4.1-22982-e213a147257-releases/2026/4`, or `unknown` when the
    /// library does not report one.
    public static let version: String = {
        var raw = ov_version_t(buildNumber: nil, description: nil)
        guard ov_get_openvino_version(&raw) == OK else { return "unknown" }
        defer { ov_version_free(&raw) }
        return raw.buildNumber.map { String(cString: $0) } ?? "unknown"
    }()

    /// OpenVINO as `medley version` lists it.
    public static var library: NativeLibrary {
        NativeLibrary(name: "OpenVINO", version: version, license: "Apache-2.0",
                      notes: "C API from the openvino PyPI wheel; CPU plugin with ONNX, TFLite, Paddle and IR readers")
    }

    /// Reads a model file for inspection or custom compilation; see ``RuntimeModel``.
    public static func loadModel(path: String, weightsPath: String? = nil) throws -> RuntimeModel {
        try RuntimeModel(path: path, weightsPath: weightsPath)
    }

    /// The compiled model for a file, compiled on first use and reused afterwards (see ``CompiledModelCache``).
    ///
    /// - Parameters:
    ///   - path: the model file (for OpenVINO IR, the `.xml`; its `.bin` must sit beside it).
    ///   - cacheKey: identifies the file's content; Medley passes the sha256 from the model card. Two files with the
    ///     same key are taken to be the same model.
    ///   - settings: how to compile.
    ///   - inputShapes: static shapes to fix before compiling, by input name (empty: keep the model's shapes).
    public static func compiledModel(
        path: String,
        cacheKey: String,
        settings: CompileSettings = .default,
        inputShapes: [String: [Int]] = [:]
    ) throws -> CompiledModel {
        try CompiledModelCache.shared.compiledModel(key: cacheKey, settings: settings, inputShapes: inputShapes) {
            let model = try RuntimeModel(path: path)
            try model.reshape(inputShapes)
            return try model.compile(settings)
        }
    }

    /// The process-wide OpenVINO core, created on first use. One core serves every model: it loads the CPU plugin
    /// once and is safe to share between threads.
    static func core() throws -> CoreHandle {
        try sharedCore.get()
    }

    /// Where OpenVINO keeps compiled f32 models between processes (its `CACHE_DIR`), so that a command compiles a model
    /// once per machine rather than once per run: `$MEDLEY_OPENVINO_CACHE`, else `$XDG_CACHE_HOME/medley/openvino`,
    /// else `~/.cache/medley/openvino`; nil (no cache) when the variable is `off` or the folder cannot be created.
    /// OpenVINO keys each entry by a hash of the model, its properties and its own version, so a changed model file
    /// or an upgrade never reuses a stale entry.
    public static let modelCacheDirectory: String? = {
        let environment = ProcessInfo.processInfo.environment
        let folder: String
        if let custom = environment["MEDLEY_OPENVINO_CACHE"], !custom.isEmpty {
            if custom == "off" { return nil }
            folder = custom
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            folder = (xdg as NSString).appendingPathComponent("medley/openvino")
        } else {
            folder = (NSHomeDirectory() as NSString).appendingPathComponent(".cache/medley/openvino")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            return nil
        }
        return FileManager.default.isWritableFile(atPath: folder) ? folder : nil
    }()

    private static let sharedCore = SharedCore()
}

/// Creates the OpenVINO core once; a failed creation is retried on the next call rather than remembered.
private final class SharedCore: @unchecked Sendable {
    private let lock = NSLock()
    private var core: CoreHandle?  // guarded by `lock`

    func get() throws -> CoreHandle {
        try lock.withLock {
            if let core { return core }
            let created = try CoreHandle()
            core = created
            return created
        }
    }
}
