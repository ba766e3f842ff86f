/// The license that governs a model's weights.
public struct ModelLicense: Codable, Sendable, Equatable {
    /// SPDX license id or expression (`MIT`, `Apache-2.0`, `GPL-3.0-or-later`), or `LicenseRef-...`.
    public var spdx: String
    /// What the license allows, in the coarse terms that ``LicensePolicy`` decides on.
    public var category: LicenseCategory
    /// Where the license text or the statement of license can be read.
    public var url: String?
    /// Anything a user should know: licenses of bundled data, differing terms of code and weights.
    public var notes: String?

    /// A license from its fields.
    public init(spdx: String, category: LicenseCategory, url: String? = nil, notes: String? = nil) {
        self.spdx = spdx
        self.category = category
        self.url = url
        self.notes = notes
    }
}

/// A license's coarse category.
public enum LicenseCategory: String, Codable, Sendable, CaseIterable {
    /// Use, change and redistribute freely, commercially too (MIT, BSD, Apache-2.0, CC0, CC-BY).
    case permissive
    /// Free use; redistributing or linking brings share-alike obligations (GPL, LGPL, CC-BY-SA).
    case copyleft
    /// No commercial use (CC-BY-NC, CC-BY-NC-SA).
    case nonCommercial = "non-commercial"
    /// Use restricted by purpose or field (OpenRAIL-style use clauses, custom research-only terms).
    case restrictedUse = "restricted-use"
    /// Nobody has determined the license.
    case unknown
}
