#if canImport(Glibc)
import Glibc
#endif
internal import CBLAS
import MedleyCore

/// Dense linear algebra through OpenBLAS (Debian libopenblas, BSD-3-Clause).
public enum BLAS {
    /// OpenBLAS's version and build configuration, for `medley version`.
    public static var library: NativeLibrary {
        let config = openblas_get_config().map { String(cString: $0) } ?? "unknown"
        // The config string starts with "OpenBLAS <version> ..."
        let parts = config.split(separator: " ")
        let version = parts.count > 1 ? String(parts[1]) : config
        return NativeLibrary(name: "OpenBLAS", version: version, license: "BSD-3-Clause",
                             notes: "\(config); \(openblas_get_num_threads()) threads")
    }

    /// Stops OpenBLAS's idle worker threads; the next multi-threaded BLAS call starts them again.
    ///
    /// The pthreads build starts its workers when the library is loaded, and each one spins on `sched_yield` for
    /// 2^28 timestamp ticks (about 0.1 s) waiting for work before it sleeps: 30-70 ms of CPU in every process that
    /// links OpenBLAS, on a core that the analysis wants (a C program that only sleeps 0.3 s: 0.03-0.07 s of
    /// system time, none after this call). The command line calls it first thing.
    ///
    /// `blas_thread_shutdown_` is exported by OpenBLAS's threaded builds (pthreads, OpenMP) but declared in no
    /// installed header, and the single-threaded build lacks it: it is looked up at run time and skipped when absent.
    public static func stopIdleThreads() {
        // A null handle is RTLD_DEFAULT: search every library the process has loaded.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") else { return }
        typealias Shutdown = @convention(c) () -> Int32
        _ = unsafeBitCast(symbol, to: Shutdown.self)()
    }

    /// `C = alpha * A·B + beta * C` for row-major float matrices: A is m×k, B is k×n, C is m×n.
    ///
    /// Set `transposeB` when B is stored n×k (the layout of a linear layer's weight), to compute A·Bᵀ.
    /// The buffers must hold at least the stated number of elements; this is checked.
    public static func sgemm(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
        transposeB: Bool = false, alpha: Float = 1, beta: Float = 0
    ) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(k), b, Int32(transposeB ? k : n),
                    beta, c, Int32(n))
    }
}
