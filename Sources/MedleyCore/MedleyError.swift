/// The one error family of Medley.
///
/// Every case renders as a single human line (``message``) that names the input and says what to do, so
/// front ends (the CLI, later the server) can print it as is. ``isUserError`` tells whether the cause is the
/// caller's input (CLI exit code 1) or Medley itself (exit code 2).
public enum MedleyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path does not exist.
    case fileNotFound(path: String)
    /// The path exists but is a directory where a file was expected.
    case isDirectory(path: String)
    /// The file has zero bytes.
    case emptyFile(path: String)
    /// The file could not be read as media (truncated, corrupt, or not media at all).
    case unreadableMedia(path: String, reason: String)
    /// The file has no stream of the requested kind ("audio", "video").
    case noStream(path: String, kind: String)
    /// The stream's codec has no decoder (or the requested format no encoder) in this FFmpeg build.
    case unsupportedCodec(path: String, codec: String)
    /// Writing an output failed.
    case writeFailed(path: String, reason: String)
    /// A model id that is not in the store.
    case modelNotInstalled(id: String, installed: [String])
    /// A model file is missing or its checksum or size does not match its card.
    case modelCorrupt(id: String, file: String, reason: String)
    /// The license policy forbids loading the model.
    case policyDenied(id: String, license: String, rule: String)
    /// An argument or a parameter value is invalid.
    case invalidArgument(String)
    /// A model file or card is not what Medley expects (format, shape, metadata).
    case invalidModel(id: String, reason: String)
    /// The inference runtime reported an error (the runtime's own message is kept).
    case runtime(String)
    /// The work was cancelled by the caller.
    case cancelled
    /// A bug or an environment problem inside Medley.
    case `internal`(String)

    /// One line for a person: what went wrong, with which input, and what to do.
    public var message: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file; check the path"
        case .isDirectory(let path):
            return "\(path): is a directory; give a file"
        case .emptyFile(let path):
            return "\(path): the file is empty (0 bytes); give a media file with content"
        case .unreadableMedia(let path, let reason):
            return "\(path): cannot be read as media (\(reason)); the file may be truncated, corrupt or not a media file"
        case .noStream(let path, let kind):
            return "\(path): has no \(kind) stream; give a file that contains \(kind)"
        case .unsupportedCodec(let path, let codec):
            return "\(path): codec '\(codec)' is not supported by this FFmpeg build; convert the file (e.g. with ffmpeg) to a common codec"
        case .writeFailed(let path, let reason):
            return "\(path): cannot write (\(reason)); check that the folder exists and is writable"
        case .modelNotInstalled(let id, let installed):
            let list = installed.isEmpty ? "none; run `make setup` or `medley models install`" : installed.joined(separator: ", ")
            return "model '\(id)' is not installed; installed models: \(list)"
        case .modelCorrupt(let id, let file, let reason):
            return "model '\(id)': file \(file) \(reason); reinstall it with `medley models install \(id)`"
        case .policyDenied(let id, let license, let rule):
            return "model '\(id)' (license \(license)) is not allowed by policy '\(rule)'; choose another model or policy"
        case .invalidArgument(let text):
            return text
        case .invalidModel(let id, let reason):
            return "model '\(id)': \(reason)"
        case .runtime(let text):
            return "inference runtime error: \(text)"
        case .cancelled:
            return "cancelled"
        case .internal(let text):
            return "internal error: \(text); please report it"
        }
    }

    public var description: String { message }

    /// True when the caller's input caused the error (exit code 1); false for Medley's own faults (exit code 2).
    public var isUserError: Bool {
        switch self {
        case .runtime, .internal: return false
        default: return true
        }
    }
}
