import MedleyCore

/// How a model is compiled for the CPU. Plain values: two equal settings compile to interchangeable models, which
/// is what ``CompiledModelCache`` relies on.
public struct CompileSettings: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The precision the CPU plugin computes in (OpenVINO's `INFERENCE_PRECISION_HINT`).
    public enum Precision: String, Sendable, Hashable, Codable, CaseIterable {
        /// Full 32-bit floats. Medley's default: on this CPU OpenVINO would otherwise pick bf16, which moved silero
        /// VAD's probabilities by up to 0.055 against 1.8e-5 in f32 (DESIGN.md section 4).
        case f32
        /// bfloat16 where the CPU supports it (AVX-512 BF16 or AMX): faster, less accurate.
        case bf16
    }

    /// What OpenVINO tunes for (its `PERFORMANCE_HINT`).
    public enum PerformanceHint: String, Sendable, Hashable, Codable, CaseIterable {
        /// One request at a time, as fast as possible (one stream). Medley's default.
        case latency = "LATENCY"
        /// Many requests in parallel (several streams); pays off only with concurrent infer requests.
        case throughput = "THROUGHPUT"
    }

    public var precision: Precision
    /// Threads the CPU plugin may use (`INFERENCE_NUM_THREADS`); nil lets OpenVINO choose (all physical cores).
    public var threads: Int?
    public var performanceHint: PerformanceHint

    public init(precision: Precision = .f32, threads: Int? = nil, performanceHint: PerformanceHint = .latency) {
        self.precision = precision
        self.threads = threads
        self.performanceHint = performanceHint
    }

    /// f32, OpenVINO's thread count, latency.
    public static let `default` = CompileSettings()

    /// `f32, threads auto, LATENCY`.
    public var description: String {
        "\(precision.rawValue), threads \(threads.map(String.init) ?? "auto"), \(performanceHint.rawValue)"
    }

    /// The OpenVINO properties these settings stand for, as key and value strings.
    ///
    /// The keys are spelled out rather than read from the C API's `ov_property_key_*` globals: those are mutable C
    /// globals, which Swift 6 refuses to read without an unsafe escape, and their values are these fixed strings.
    func properties() throws -> [(key: String, value: String)] {
        var properties: [(key: String, value: String)] = [
            ("INFERENCE_PRECISION_HINT", precision.rawValue),
            ("PERFORMANCE_HINT", performanceHint.rawValue),
        ]
        // Only f32 compiles (Medley's default everywhere) are cached; bf16 is for experiments and stays uncached.
        if precision == .f32, let cache = Runtime.modelCacheDirectory { properties.append(("CACHE_DIR", cache)) }
        if let threads {
            guard threads > 0 else {
                throw MedleyError.invalidArgument(
                    "thread count \(threads) is invalid; give a positive number or leave it unset")
            }
            properties.append(("INFERENCE_NUM_THREADS", String(threads)))
        }
        return properties
    }
}
