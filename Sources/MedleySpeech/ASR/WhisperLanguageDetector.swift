import Foundation

/// Language identification with a multilingual Whisper model, as CTranslate2 does it: encode the first window,
/// run the decoder once on `<|startoftranscript|>`, and take a softmax over the language tokens' logits only.
struct WhisperLanguageDetector {
    let model: WhisperModel
    let workspace: WorkspacePool.Workspace

    /// Detects the language of `samples` (at most the first 30 s are used).
    ///
    /// The features are computed from these samples alone, and the window takes every frame they give
    /// (including the one past the content), as faster-whisper's `detect_language` does.
    func detect(samples: [Float]) -> LanguageDetection {
        let features = LogMelSpectrogram(melBins: model.dimensions.melBins).features(of: samples)
        features.window(at: 0, frames: min(LogMelSpectrogram.framesPerWindow, features.frameCount),
                        into: workspace.mel.pointer)
        workspace.encoder.encode(mel: workspace.mel.constPointer, output: workspace.encoderOutput.pointer)
        workspace.decoder.setEncoderOutput(workspace.encoderOutput.constPointer)
        return detectFromEncodedWindow()
    }

    /// Language probabilities from the window already encoded into the workspace's decoder.
    func detectFromEncodedWindow() -> LanguageDetection {
        let special = model.tokenizer.special
        let cache = workspace.cache, logits = workspace.logits.pointer
        cache.length = 0
        workspace.decoder.forward(tokens: [special.startOfTranscript], batch: 1, cache: cache, logitRows: [0],
                                  logits: logits)
        // config.json's lang_ids when present (CTranslate2 reads them), else every language token.
        var ids = model.generation.languageIDs.filter { $0 >= 0 && $0 < model.dimensions.vocabularySize }
        if ids.isEmpty { ids = special.languages.map(\.id) }
        guard !ids.isEmpty else {
            return LanguageDetection(language: "en", probability: 1,
                                     probabilities: [LanguageProbability(language: "en", probability: 1)])
        }
        let values = ids.map { Double(logits[$0]) }
        let top = values.max() ?? 0
        let weights = values.map { exp($0 - top) }
        let total = weights.reduce(0, +)
        var probabilities = zip(ids, weights).map { id, weight in
            LanguageProbability(language: Self.code(of: model.tokenizer.tokens[id]), probability: weight / total)
        }
        probabilities.sort { $0.probability > $1.probability }
        let best = probabilities[0]
        return LanguageDetection(language: best.language, probability: best.probability, probabilities: probabilities)
    }

    /// "en" from "<|en|>".
    static func code(of token: String) -> String {
        token.hasPrefix("<|") && token.hasSuffix("|>") ? String(token.dropFirst(2).dropLast(2)) : token
    }
}
