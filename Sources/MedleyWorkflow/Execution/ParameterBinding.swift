import Foundation
import MedleyCore

extension ExecutionPlan {
    /// Binds workflow parameters from command-line text (`--set name=value`), applying defaults.
    ///
    /// - Throws: one error listing every unknown name (with the nearest declared one), every value that does
    ///   not fit its type and every required parameter left unset.
    public func bind(commandLine values: [String: String], baseDirectory: URL) throws -> [String: WorkflowValue] {
        var issues: [WorkflowIssue] = []
        var bound: [String: WorkflowValue] = [:]
        for (name, text) in values.sorted(by: { $0.key < $1.key }) {
            guard let declared = workflow.params[name] else {
                let near = workflow.params.keys.min { editDistance($0, name) < editDistance($1, name) }
                let hint = near.map { "; did you mean '\($0)'?" } ?? "; this workflow has no parameters"
                issues.append(WorkflowIssue(path: "--set \(name)", message: "unknown parameter '\(name)'\(hint)"))
                continue
            }
            guard let value = WorkflowValue.commandLine(text, as: declared.type, baseDirectory: baseDirectory) else {
                issues.append(WorkflowIssue(path: "--set \(name)", message: "'\(text)' is not a valid \(declared.type)"))
                continue
            }
            bound[name] = value
        }
        try finish(&bound, issues: &issues)
        return bound
    }

    /// Binds workflow parameters given as values (from a recorded run or the Swift API), applying defaults.
    public func bind(_ values: [String: WorkflowValue]) throws -> [String: WorkflowValue] {
        var issues: [WorkflowIssue] = []
        var bound: [String: WorkflowValue] = [:]
        for (name, value) in values {
            if workflow.params[name] == nil {
                issues.append(WorkflowIssue(path: "params.\(name)", message: "unknown parameter '\(name)'"))
            } else {
                bound[name] = value
            }
        }
        try finish(&bound, issues: &issues)
        return bound
    }

    private func finish(_ bound: inout [String: WorkflowValue], issues: inout [WorkflowIssue]) throws {
        for (name, declared) in workflow.params.sorted(by: { $0.key < $1.key }) where bound[name] == nil {
            if let json = declared.defaultValue,
               let value = WorkflowValue.literal(json, as: declared.type, baseDirectory: workflow.baseDirectory) {
                bound[name] = value
            } else {
                let about = declared.description.isEmpty ? "" : " (\(declared.description))"
                issues.append(WorkflowIssue(path: "--set \(name)", message: "required parameter '\(name)' (\(declared.type))\(about) is not set; add --set \(name)=VALUE"))
            }
        }
        guard issues.isEmpty else { throw WorkflowIssue.error(issues, workflow: workflow.name) }
    }
}
