import Foundation
import MedleyCore

/// A Whisper speech-recognition model in CTranslate2 format, loaded into memory and ready to transcribe.
///
/// The directory holds `model.bin` (CTranslate2 binary version 4–6, spec `WhisperSpec`), `config.json`
/// (`suppress_ids`, `suppress_ids_begin`, `lang_ids`), `vocabulary.txt` and `tokenizer.json`, as faster-whisper
/// conversions ship them. Weights are widened from float16 to float32 once, at load. A model is immutable and
/// can be shared by any number of concurrent ``WhisperTranscriber``s; each transcription borrows its own work
/// buffers (about 50 MB for tiny, 100 MB for base) from a small pool kept by the model.
public final class WhisperModel: Sendable {
    /// The directory the model was loaded from.
    public let directory: String
    /// The directory's name, used as the model id in messages (for example "whisper-tiny.en").
    public let id: String
    /// Layer sizes, read from the tensor shapes.
    public let dimensions: WhisperDimensions
    /// The model's tokenizer.
    public let tokenizer: WhisperTokenizer
    /// True for multilingual models (vocabulary of 51865 entries or more), false for English-only ones.
    public let isMultilingual: Bool

    let weights: WhisperWeights
    let generation: GenerationConfig
    let workspaces = WorkspacePool()

    /// Token lists from `config.json`.
    struct GenerationConfig: Sendable, Decodable {
        var suppressIDs: [Int] = []
        var suppressIDsBegin: [Int] = []
        var languageIDs: [Int] = []

        enum CodingKeys: String, CodingKey {
            case suppressIDs = "suppress_ids", suppressIDsBegin = "suppress_ids_begin", languageIDs = "lang_ids"
        }

        init() {}

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            suppressIDs = try container.decodeIfPresent([Int].self, forKey: .suppressIDs) ?? []
            suppressIDsBegin = try container.decodeIfPresent([Int].self, forKey: .suppressIDsBegin) ?? []
            languageIDs = try container.decodeIfPresent([Int].self, forKey: .languageIDs) ?? []
        }
    }

    /// Loads and validates the model in `directory`.
    ///
    /// - Throws: ``MedleyError/invalidModel(id:reason:)`` naming the file when a file is missing, truncated,
    ///   corrupt or not a Whisper model.
    public init(directory: String) throws {
        let url = URL(fileURLWithPath: directory)
        self.directory = url.path
        id = url.lastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MedleyError.invalidModel(
                id: id, reason: "\(url.path) is not a directory; give the folder that holds model.bin and vocabulary.txt")
        }
        let modelPath = url.appendingPathComponent("model.bin").path
        guard FileManager.default.fileExists(atPath: modelPath) else {
            throw MedleyError.invalidModel(id: id, reason: "\(modelPath) is missing; reinstall the model")
        }
        let file = try CTranslate2ModelFile(path: modelPath, modelID: id)
        weights = try WhisperWeights(file: file)
        dimensions = weights.dimensions
        tokenizer = try WhisperTokenizer(directory: url.path, modelID: id)
        guard tokenizer.tokens.count == dimensions.vocabularySize else {
            throw MedleyError.invalidModel(
                id: id, reason: "vocabulary.txt has \(tokenizer.tokens.count) tokens but model.bin has "
                    + "\(dimensions.vocabularySize) embedding rows; the files do not belong together")
        }
        // CTranslate2 decides multilinguality from the vocabulary size, as here.
        isMultilingual = dimensions.vocabularySize >= 51865

        let configPath = url.appendingPathComponent("config.json").path
        if let data = FileManager.default.contents(atPath: configPath) {
            do {
                generation = try JSONDecoder().decode(GenerationConfig.self, from: data)
            } catch {
                throw MedleyError.invalidModel(id: id, reason: "\(configPath) is not a valid Whisper config (\(error))")
            }
        } else {
            generation = GenerationConfig()
        }
    }

    /// The language codes the model can transcribe ("en" only for English-only models).
    public var languages: [String] {
        isMultilingual ? tokenizer.special.languages.map(\.code) : ["en"]
    }
}

/// Encoders and decoders with their work buffers, kept for reuse between transcriptions of one model.
final class WorkspacePool: @unchecked Sendable {
    /// An encoder and a decoder that one transcription uses exclusively.
    final class Workspace {
        let encoder: WhisperEncoder
        let decoder: WhisperDecoder
        let cache: DecoderCache
        let mel: FloatBuffer
        let encoderOutput: FloatBuffer
        /// Logit rows: two for a prompt pass, one per candidate for a sampling step.
        let logits: FloatBuffer

        init(weights: WhisperWeights, maxBatch: Int) {
            let dims = weights.dimensions
            encoder = WhisperEncoder(weights: weights)
            decoder = WhisperDecoder(weights: weights, maxBatch: maxBatch)
            cache = DecoderCache(dimensions: dims, batchCapacity: maxBatch)
            mel = FloatBuffer(count: LogMelSpectrogram.framesPerWindow * dims.melBins)
            encoderOutput = FloatBuffer(count: dims.audioContext * dims.width)
            logits = FloatBuffer(count: max(2, maxBatch) * dims.vocabularySize)
        }
    }

    private let lock = NSLock()
    private var idle: [Workspace] = []
    /// Workspaces kept after use; more concurrent transcriptions allocate (and then drop) their own.
    private let keep = 2

    /// A workspace whose decoder batch holds at least `maxBatch` sequences; hand it back with ``give(_:)``.
    func take(weights: WhisperWeights, maxBatch: Int) -> Workspace {
        lock.lock()
        if let index = idle.firstIndex(where: { $0.cache.batchCapacity >= maxBatch }) {
            let workspace = idle.remove(at: index)
            lock.unlock()
            return workspace
        }
        lock.unlock()
        return Workspace(weights: weights, maxBatch: maxBatch)
    }

    func give(_ workspace: Workspace) {
        lock.lock()
        if idle.count < keep { idle.append(workspace) }
        lock.unlock()
    }
}
