import Foundation
import MedleyCore
import MedleyModels

extension WhisperModel {
    /// The catalog model used when none is named: English-only, the smallest and fastest.
    public static let defaultModelID = "whisper-tiny.en"
    /// The task a model card must list to be loaded as a Whisper model.
    public static let task = "speech.transcribe"

    /// Loads model `id` from the store, after the license policy and the store's quick check (every file
    /// present, with the size its card gives and unchanged since install).
    ///
    /// - Throws: ``MedleyError/modelNotInstalled(id:installed:)`` listing the installed models,
    ///   ``MedleyError/policyDenied(id:license:rule:)``, ``MedleyError/modelCorrupt(id:file:reason:)`` naming the
    ///   file, or ``MedleyError/invalidModel(id:reason:)`` when the model is not a speech-recognition model.
    public convenience init(store: ModelStore, id: String = WhisperModel.defaultModelID,
                            policy: LicensePolicy = .any) throws {
        let installed = try store.resolve(id: id, policy: policy)
        guard installed.card.tasks.contains(Self.task) else {
            let speechModels = store.installedCards().filter { $0.tasks.contains(Self.task) }.map(\.id)
            throw MedleyError.invalidModel(
                id: id, reason: "is a \(installed.card.tasks.joined(separator: ", ")) model, not speech recognition; "
                    + "use one of: " + (speechModels.isEmpty ? "none installed" : speechModels.joined(separator: ", ")))
        }
        try self.init(directory: installed.directory.path)
    }
}
