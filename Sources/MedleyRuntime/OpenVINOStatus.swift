internal import COpenVINO
import Foundation
import MedleyCore

/// Throws ``MedleyError/runtime(_:)`` unless `status` is OK.
///
/// The message reads `"<what>: <STATUS_NAME>: <OpenVINO's last error message>"`. OpenVINO 2026.4 keeps that last
/// message in one process-wide slot (guarded by a mutex, not per thread), so when two threads fail at the same
/// moment a message can belong to the other failure; the status name and `what` are always this call's.
@inline(__always)
func check(_ status: ov_status_e, _ what: @autoclosure () -> String) throws {
    if status == OK { return }
    throw runtimeError(status, what())
}

/// The error for a failed OpenVINO call (see ``check(_:_:)``).
/// `hint`, when given, is appended after OpenVINO's message (say, the names a lookup could have matched).
func runtimeError(_ status: ov_status_e, _ what: String, hint: String? = nil) -> MedleyError {
    var text = "\(what): \(statusName(status))"
    if let detail = lastErrorMessage(), !detail.isEmpty { text += ": \(detail)" }
    if let hint {
        if text.hasSuffix(".") { text.removeLast() }
        text += "; \(hint)"
    }
    return MedleyError.runtime(text)
}

/// OpenVINO's last error message on one line, or nil when it has none.
///
/// `ov_get_last_err_msg` returns a heap copy that the caller frees with `ov_free`. The message usually spans three
/// lines (where the exception was raised, which check failed, then the reason); Medley's errors are single lines,
/// so the lines are joined with spaces, each already ending in a colon.
private func lastErrorMessage() -> String? {
    guard let pointer = ov_get_last_err_msg() else { return nil }
    defer { ov_free(pointer) }
    return String(cString: pointer)
        .split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
        .joined(separator: " ")
}

/// The C enumerator's name, e.g. `GENERAL_ERROR`.
func statusName(_ status: ov_status_e) -> String {
    switch status {
    case OK: return "OK"
    case GENERAL_ERROR: return "GENERAL_ERROR"
    case NOT_IMPLEMENTED: return "NOT_IMPLEMENTED"
    case NETWORK_NOT_LOADED: return "NETWORK_NOT_LOADED"
    case PARAMETER_MISMATCH: return "PARAMETER_MISMATCH"
    case NOT_FOUND: return "NOT_FOUND"
    case OUT_OF_BOUNDS: return "OUT_OF_BOUNDS"
    case UNEXPECTED: return "UNEXPECTED"
    case REQUEST_BUSY: return "REQUEST_BUSY"
    case RESULT_NOT_READY: return "RESULT_NOT_READY"
    case NOT_ALLOCATED: return "NOT_ALLOCATED"
    case INFER_NOT_STARTED: return "INFER_NOT_STARTED"
    case NETWORK_NOT_READ: return "NETWORK_NOT_READ"
    case INFER_CANCELLED: return "INFER_CANCELLED"
    case INVALID_C_PARAM: return "INVALID_C_PARAM"
    case UNKNOWN_C_ERROR: return "UNKNOWN_C_ERROR"
    case NOT_IMPLEMENT_C_METHOD: return "NOT_IMPLEMENT_C_METHOD"
    case UNKNOW_EXCEPTION: return "UNKNOWN_EXCEPTION"
    default: return "status \(status.rawValue)"
    }
}

/// Copies a string OpenVINO allocated and frees it with `ov_free`.
func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    defer { ov_free(pointer) }
    return String(cString: pointer)
}
