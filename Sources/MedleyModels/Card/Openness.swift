/// How open a model is, in the terms of the OSI Open Source AI Definition 1.0 (the three components it asks to
/// be available under OSI-approved terms) plus a Model Openness Framework class.
///
/// Cards say `unknown` where nobody has checked; a status other than `unknown` is a claim someone verified.
public struct Openness: Codable, Sendable, Equatable {
    /// Information about the training data detailed enough to rebuild a substantially equivalent system.
    public var dataInformation: OpennessComponent
    /// The code used to train and to run the model.
    public var code: OpennessComponent
    /// The model parameters (weights).
    public var parameters: OpennessComponent
    /// The Model Openness Framework class (`Class I`, `Class II`, `Class III`), `unknown` where not judged, or
    /// nil when the question does not apply.
    public var modelOpennessFrameworkClass: String?

    /// Openness from its components; the MOF class defaults to `unknown` (not judged).
    public init(
        dataInformation: OpennessComponent, code: OpennessComponent, parameters: OpennessComponent,
        modelOpennessFrameworkClass: String? = "unknown"
    ) {
        self.dataInformation = dataInformation
        self.code = code
        self.parameters = parameters
        self.modelOpennessFrameworkClass = modelOpennessFrameworkClass
    }

    /// Nothing checked.
    public static let unknown = Openness(
        dataInformation: .init(status: .unknown), code: .init(status: .unknown), parameters: .init(status: .unknown))

    enum CodingKeys: String, CodingKey {
        case dataInformation = "data_information"
        case code, parameters
        case modelOpennessFrameworkClass = "model_openness_framework_class"
    }

    // Written out so that `model_openness_framework_class` is always present in the JSON, null included.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dataInformation, forKey: .dataInformation)
        try c.encode(code, forKey: .code)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(modelOpennessFrameworkClass, forKey: .modelOpennessFrameworkClass)
    }
}

/// The state of one openness component.
public struct OpennessComponent: Codable, Sendable, Equatable {
    /// Whether it is available.
    public var status: OpennessStatus
    /// Where to find it.
    public var url: String?
    /// What exactly is or is not available, and how that was established.
    public var note: String?

    /// A component from its fields.
    public init(status: OpennessStatus, url: String? = nil, note: String? = nil) {
        self.status = status
        self.url = url
        self.note = note
    }
}

/// Availability of an openness component.
public enum OpennessStatus: String, Codable, Sendable, CaseIterable {
    case available
    case partial
    case notAvailable = "not-available"
    case unknown
}
