import Foundation
import MedleyCore
import MedleyRuntime

/// The mean style that truncation pulls towards: the average of the mapping network's styles for
/// `config.n_samples` (4096) noises, as random_face's `get_style_mean` estimates it at start-up.
///
/// random_face draws fresh numpy noise for it on every start, so its mean (and every truncated face) changes from
/// run to run. Medley draws the noises from one fixed, documented seed (``seed``) instead, computes the mean once
/// and caches it in the model store, so that a face's seed alone fixes the face:
/// `<store>/.cache/mobilestylegan-ffhq/style-mean-n4096-s<seed>-<mapping sha256 prefix>.f32` holds the
/// `style_dim` floats, little-endian. The file is written atomically; a reader sees either no file or a whole one.
enum MeanStyle {
    /// The seed of the noises averaged into the mean: noise `k` is normals `k * 512 ..< (k + 1) * 512` of this
    /// seed's stream. The value spells "MeanStyl" in ASCII; any fixed value would do, it only has to stay fixed.
    static let seed = GenerationSeed(0x4D65_616E_5374_796C)
    /// Mapped noises per inference when computing the mean: large batches use the CPU well, and 1024 x 512
    /// floats keep each input at 2 MiB.
    static let batchSize = 1024
    /// Hex digits of the mapping network's sha256 in the cache file's name.
    static let checksumPrefixLength = 16

    /// The cache file for a mapping network (by its weights' sha256) and sample count.
    static func cachePath(folder: URL, sampleCount: Int, mappingSHA256: String) -> URL {
        let name = "style-mean-n\(sampleCount)-s\(seed)-\(mappingSHA256.prefix(checksumPrefixLength)).f32"
        return folder.appendingPathComponent(name)
    }

    /// The cached mean when the file exists and has the right size, else nil.
    static func load(from url: URL, dimension: Int) -> [Float]? {
        guard let data = try? Data(contentsOf: url), data.count == dimension * MemoryLayout<Float>.size else {
            return nil
        }
        let values = data.withUnsafeBytes { raw in
            (0..<dimension).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4,
                                                                                        as: UInt32.self))) }
        }
        return values.allSatisfy(\.isFinite) ? values : nil
    }

    /// Writes the mean atomically; returns false (and leaves nothing behind) when the folder cannot be written,
    /// which only costs a recomputation next time.
    @discardableResult
    static func save(_ mean: [Float], to url: URL) -> Bool {
        var data = Data(capacity: mean.count * 4)
        for value in mean { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try writeAtomically(to: url.path) { temporary in
                try data.write(to: URL(fileURLWithPath: temporary))
            }
            return true
        } catch {
            return false
        }
    }

    /// Computes the mean with the mapping network reshaped to batches of ``batchSize``: the styles are summed in
    /// Double, in sample order, and divided by `sampleCount`.
    static func compute(mappingPath: String, sampleCount: Int, dimension: Int) throws -> [Float] {
        let batch = min(batchSize, sampleCount)
        let model = try RuntimeModel(path: mappingPath)
        try model.reshape([FaceGenerator.noiseInput: [batch, dimension]])
        let request = try model.compile(CompileSettings(precision: .f32)).makeInferRequest()
        var noise = GaussianNoise(seed: seed)
        var sum = [Double](repeating: 0, count: dimension)
        var done = 0
        while done < sampleCount {
            try Task.checkCancellation()
            let rows = min(batch, sampleCount - done)
            // A last, partial batch is padded with zeros whose styles are not summed.
            var values = noise.normals(count: rows * dimension)
            values += [Float](repeating: 0, count: (batch - rows) * dimension)
            let outputs = try request.run([FaceGenerator.noiseInput: try Tensor(shape: [batch, dimension],
                                                                                floats: values)])
            guard let styles = outputs[FaceGenerator.styleOutput], styles.elementCount == batch * dimension else {
                throw MedleyError.invalidModel(
                    id: FaceGenerator.modelID,
                    reason: "the mapping network did not return a [\(batch),\(dimension)] style")
            }
            styles.withUnsafeRawBytes { raw in
                for row in 0..<rows {
                    for column in 0..<dimension {
                        sum[column] += Double(raw.loadUnaligned(fromByteOffset: (row * dimension + column) * 4,
                                                                as: Float.self))
                    }
                }
            }
            done += rows
        }
        return sum.map { Float($0 / Double(sampleCount)) }
    }
}
