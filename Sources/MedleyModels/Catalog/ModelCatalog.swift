import MedleyCore

/// The models Medley knows how to install and run, as card templates compiled into the binary.
///
/// Every checksum and size was measured on the files of the named package release; installing compares the files
/// against them, so a catalog card pins one exact release. The templates have no `installed_at`: the store adds it.
public enum ModelCatalog {
    /// Every catalog card, speech first, then vision.
    public static let cards: [ModelCard] = [
        sileroVAD, whisperTinyEN, whisperBase, piperJoe, espeakNGData,
        ppocrDetector, ppocrRecognizer, ppocrClassifier, blazeFaceShortRange, openNSFW,
        mobileStyleGANFFHQ,
        magentaArbitraryStyle, magentaMultistyle26,
        mediapipeSelfieSegmentation,
        terrainConsistencyUNet,
    ]

    /// Every catalog id, in catalog order.
    public static var ids: [String] { cards.map(\.id) }

    /// The catalog card with this id.
    ///
    /// - Throws: ``MedleyError/invalidArgument(_:)`` listing the catalog ids when `id` is not one of them.
    public static func card(id: String) throws -> ModelCard {
        guard let card = cards.first(where: { $0.id == id }) else {
            throw MedleyError.invalidArgument(
                "'\(id)' is not in Medley's model catalog; catalog models: \(ids.joined(separator: ", "))")
        }
        return card
    }

    /// Every wheel the catalog installs from, as pip requirements (`name==version`), sorted, without repeats.
    /// `scripts/setup.sh` downloads these into its wheel cache.
    public static var wheelRequirements: [String] {
        Array(Set(cards.flatMap(\.source.wheelRequirements))).sorted()
    }
}
