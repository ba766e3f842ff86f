internal import CBLAS

extension BLAS {
    /// `C = alpha * op(A)·op(B) + beta * C` for row-major float matrices with explicit leading dimensions.
    ///
    /// `op(A)` is m×k and `op(B)` is k×n; C is m×n with rows `ldc` floats apart. A stored matrix's leading
    /// dimension is the distance between its rows as stored (so a transposed A stored k×m has `lda >= m`).
    /// This is the form attention needs, where one head's columns are a strided slice of a wider matrix.
    /// Nothing is checked: the caller guarantees the buffers cover the described matrices.
    public static func sgemm(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        alpha: Float = 1, beta: Float = 0
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `y = alpha * A·x + beta * y` for a row-major m×n matrix A (rows `lda` floats apart), or `Aᵀ·x` when
    /// `transpose` is set (then x has m elements and y has n).
    public static func sgemv(
        m: Int, n: Int, a: UnsafePointer<Float>, lda: Int, transpose: Bool = false,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda),
                    x, 1, beta, y, 1)
    }

    /// The number of threads OpenBLAS uses for one call (it splits large products over them).
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// The kernel family OpenBLAS picked for this CPU (for example "Haswell", "SkylakeX", "Zen").
    public static var coreName: String {
        openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }
}
