import Foundation
import MedleyCore

/// Which models may be loaded, judged from their cards' license category, openness and id.
///
/// ``ModelStore/resolve(id:policy:)`` checks the policy before a model is loaded. Built-in policies:
/// - ``any`` (the default): everything.
/// - ``commercial``: licenses that allow commercial use, permissive and copyleft (copyleft brings its own
///   share-alike duties, which the audit reports but does not forbid); not non-commercial, restricted-use or unknown.
/// - ``osiOpen``: permissive or copyleft, and the card says both the code and the parameters are available under
///   the OSI Open Source AI Definition 1.0.
///
/// A policy file is JSON with the same keys, for example
/// `{"name": "team", "allowed_categories": ["permissive"], "denied_models": ["open-nsfw"]}`; missing
/// `allowed_categories` means all, `require_osi_open` defaults to false.
public struct LicensePolicy: Codable, Sendable, Equatable {
    /// The policy's name, shown in refusals.
    public var name: String
    /// The license categories it allows.
    public var allowedCategories: [LicenseCategory]
    /// Model ids it forbids whatever their license.
    public var deniedModels: [String]
    /// Whether the card's OSI openness must say `available` for both code and parameters.
    public var requireOSIOpen: Bool

    /// A policy from its rules.
    public init(
        name: String, allowedCategories: [LicenseCategory], deniedModels: [String] = [], requireOSIOpen: Bool = false
    ) {
        self.name = name
        self.allowedCategories = allowedCategories
        self.deniedModels = deniedModels
        self.requireOSIOpen = requireOSIOpen
    }

    /// Allows every model.
    public static let any = LicensePolicy(name: "any", allowedCategories: LicenseCategory.allCases)
    /// Allows licenses that permit commercial use.
    public static let commercial = LicensePolicy(name: "commercial", allowedCategories: [.permissive, .copyleft])
    /// Allows open licenses whose code and parameters are available (OSI Open Source AI Definition 1.0).
    public static let osiOpen = LicensePolicy(
        name: "osi-open", allowedCategories: [.permissive, .copyleft], requireOSIOpen: true)
    /// The built-in policies, by name.
    public static let builtIn: [LicensePolicy] = [.any, .commercial, .osiOpen]

    enum CodingKeys: String, CodingKey {
        case name
        case allowedCategories = "allowed_categories"
        case deniedModels = "denied_models"
        case requireOSIOpen = "require_osi_open"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? "custom"
        allowedCategories = try c.decodeIfPresent([LicenseCategory].self, forKey: .allowedCategories)
            ?? LicenseCategory.allCases
        deniedModels = try c.decodeIfPresent([String].self, forKey: .deniedModels) ?? []
        requireOSIOpen = try c.decodeIfPresent(Bool.self, forKey: .requireOSIOpen) ?? false
    }

    /// A built-in policy by name (`any`, `commercial`, `osi-open`), or else a policy file at that path.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` when it is neither.
    public static func named(_ nameOrPath: String) throws -> LicensePolicy {
        if let policy = builtIn.first(where: { $0.name == nameOrPath }) { return policy }
        guard FileManager.default.fileExists(atPath: nameOrPath) else {
            throw MedleyError.invalidArgument(
                "'\(nameOrPath)' is neither a built-in policy (\(builtIn.map(\.name).joined(separator: ", "))) nor a "
                    + "policy file")
        }
        return try load(from: URL(fileURLWithPath: nameOrPath))
    }

    /// Reads a policy file. A file without a `name` is named after the file.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` naming the file and what is wrong with it.
    public static func load(from url: URL) throws -> LicensePolicy {
        try requireReadableFile(url.path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw MedleyError.invalidArgument("\(url.path): cannot read the policy file")
        }
        do {
            var policy = try JSONDecoder().decode(LicensePolicy.self, from: data)
            if !Self.hasName(data) { policy.name = url.deletingPathExtension().lastPathComponent }
            return policy
        } catch let error as DecodingError {
            throw MedleyError.invalidArgument(
                "\(url.path): not a valid policy file: \(describe(error)); expected JSON like "
                    + #"{"name": "...", "allowed_categories": ["permissive"], "denied_models": []}"#)
        } catch {
            throw MedleyError.invalidArgument("\(url.path): not valid JSON (\(error.localizedDescription))")
        }
    }

    private static func hasName(_ data: Data) -> Bool {
        struct Named: Decodable { var name: String? }
        return (try? JSONDecoder().decode(Named.self, from: data))?.name != nil
    }

    /// Whether the policy allows the model, and if not, which rule it breaks.
    public func evaluate(_ card: ModelCard) -> PolicyDecision {
        if deniedModels.contains(card.id) {
            return PolicyDecision(allowed: false, rule: "\(name): model '\(card.id)' is on the denied_models list")
        }
        guard allowedCategories.contains(card.license.category) else {
            let allowed = allowedCategories.map(\.rawValue).joined(separator: ", ")
            return PolicyDecision(
                allowed: false,
                rule: "\(name): license category \(card.license.category.rawValue) is not allowed (allowed: \(allowed))")
        }
        if requireOSIOpen {
            let components = [("code", card.openness.code), ("parameters", card.openness.parameters)]
            for (label, component) in components where component.status != .available {
                return PolicyDecision(
                    allowed: false,
                    rule: "\(name): OSI openness of the \(label) is \(component.status.rawValue), it must be available")
            }
        }
        return PolicyDecision(allowed: true, rule: nil)
    }

    /// Throws when the policy forbids the model.
    ///
    /// - Throws: ``MedleyError/policyDenied(id:license:rule:)`` naming the model, its license and the rule.
    public func check(_ card: ModelCard) throws {
        let decision = evaluate(card)
        if !decision.allowed, let rule = decision.rule {
            throw MedleyError.policyDenied(id: card.id, license: card.license.spdx, rule: rule)
        }
    }
}

/// A policy's verdict on one model.
public struct PolicyDecision: Sendable, Equatable {
    /// Whether the model may be loaded.
    public let allowed: Bool
    /// The broken rule, `<policy>: <what>`, when not allowed.
    public let rule: String?

    /// A decision from its fields.
    public init(allowed: Bool, rule: String?) {
        self.allowed = allowed
        self.rule = rule
    }
}
