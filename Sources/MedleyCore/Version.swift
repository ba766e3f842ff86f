/// Medley's own version, recorded in model-store files, provenance and (later) run records.
public enum Medley {
    public static let version = "0.1.0"
}
