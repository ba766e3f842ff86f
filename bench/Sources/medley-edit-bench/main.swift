// AI-edit benchmark driver: `medley-edit-bench <case> [args]`. Each case compiles its models, runs once to warm up,
// then times the work in-process and prints one JSON line, so bench/stylize.sh and bench/matte.sh can set the
// figures beside the Python peers' (bench/stylize_peer.py, bench/matte_peer.py), which are timed the same way.
import Foundation
import MedleyCore
import MedleyGenerate
import MedleyMedia
import MedleyModels
import MedleyVision

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first else {
    FileHandle.standardError.write(Data("usage: medley-edit-bench style|preset|mask|matte ARGS\n".utf8))
    exit(1)
}
let store = ModelStore(root: ModelStore.defaultRoot())

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now()
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

func report(_ fields: [String: Any]) {
    let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

func option(_ flag: String, default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return value }
    return Int(arguments[index + 1]) ?? value
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// The arguments after the case name that are neither `--flag`s nor their values.
let positional: [String] = {
    var values: [String] = [], skipNext = false
    for argument in arguments.dropFirst() {
        if skipNext { skipNext = false; continue }
        if argument.hasPrefix("--") { skipNext = true; continue }
        values.append(argument)
    }
    return values
}()

do {
    switch name {
    case "style":
        // `style CONTENT STYLE [--repeat N] [--out PNG]`: the whole arbitrary-style pipeline on pictures in memory
        // (style vector of the style picture, transformer at the content's own size), and its two model stages.
        guard positional.count >= 2 else { throw MedleyError.invalidArgument("style CONTENT STYLE") }
        let repeatCount = option("--repeat", default: 5)
        let content = try ImageLoader.load(path: positional[0]).image
        let style = try ImageLoader.load(path: positional[1]).image
        var transfer: StyleTransfer?
        let load = try seconds { transfer = try StyleTransfer(store: store, network: .arbitrary) }
        guard let transfer else { exit(1) }
        var output = content
        let first = try seconds { output = try transfer.stylize(content, styleImage: style) }
        var total: [Double] = [], predict: [Double] = [], transform: [Double] = []
        for _ in 0..<max(1, repeatCount) {
            total.append(try seconds { output = try transfer.stylize(content, styleImage: style) })
            var vector: StyleVector?
            predict.append(try seconds { vector = try transfer.styleVector(of: style) })
            if let vector { transform.append(try seconds { output = try transfer.stylize(content, style: vector) }) }
        }
        if let index = arguments.firstIndex(of: "--out"), index + 1 < arguments.count {
            try ImageIO.write(output, path: arguments[index + 1])
        }
        report(["case": "style", "width": content.width, "height": content.height, "load_s": load, "first_s": first,
                "median_s": median(total), "best_s": total.min() ?? 0, "predict_median_s": median(predict),
                "transform_median_s": median(transform), "runs": total.count])
    case "preset":
        // `preset CONTENT N [--repeat N]`: the 26-style network at the content's own size.
        guard positional.count >= 2, let preset = Int(positional[1]) else {
            throw MedleyError.invalidArgument("preset CONTENT N")
        }
        let repeatCount = option("--repeat", default: 5)
        let content = try ImageLoader.load(path: positional[0]).image
        let transfer = try StyleTransfer(store: store, network: .presets)
        let first = try seconds { _ = try transfer.stylize(content, preset: preset) }
        var total: [Double] = []
        for _ in 0..<max(1, repeatCount) { total.append(try seconds { _ = try transfer.stylize(content, preset: preset) }) }
        report(["case": "preset", "width": content.width, "height": content.height, "first_s": first,
                "median_s": median(total), "best_s": total.min() ?? 0, "runs": total.count])
    case "mask":
        // `mask IMAGE OUT.f32 [--landscape 1]`: the person mask at the picture's size (MediaPipe's
        // `segmentation_mask`) as raw little-endian float32, for the parity check against MediaPipe.
        guard positional.count >= 2 else { throw MedleyError.invalidArgument("mask IMAGE OUT.f32") }
        let image = try ImageIO.read(path: positional[0])
        let matting = try PersonMatting(store: store)
        let choice: MattingModel = option("--landscape", default: 0) == 1 ? .landscape : .general
        let values = try matting.probabilities(for: image, model: choice)
        try values.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: URL(fileURLWithPath: positional[1]))
        report(["case": "mask", "width": image.width, "height": image.height, "model": choice.rawValue])
    case "matte":
        // `matte IMAGE [--repeat N] [--landscape 1]`: one picture through the model, the upsampling, the feather
        // and a blur background, in memory (the per-frame work of a video without decoding and encoding).
        guard let path = positional.first else { throw MedleyError.invalidArgument("matte IMAGE") }
        let image = try ImageIO.read(path: path)
        let choice: MattingModel = option("--landscape", default: 0) == 1 ? .landscape : .general
        let matting = try PersonMatting(store: store, settings: MattingSettings(model: choice))
        let repeatCount = option("--repeat", default: 20)
        var mask: [Double] = [], alpha: [Double] = [], total: [Double] = []
        _ = try matting.matte(image, background: .blur)
        for _ in 0..<max(1, repeatCount) {
            mask.append(try seconds { _ = try matting.mask(for: image) })
            alpha.append(try seconds { _ = try matting.alpha(for: image) })
            total.append(try seconds { _ = try matting.matte(image, background: .blur) })
        }
        report(["case": "matte", "width": image.width, "height": image.height, "model": choice.rawValue,
                "mask_median_s": median(mask), "alpha_median_s": median(alpha), "blur_matte_median_s": median(total)])
    default:
        throw MedleyError.invalidArgument("unknown case \(name)")
    }
} catch {
    FileHandle.standardError.write(Data("medley-edit-bench: \((error as? MedleyError)?.message ?? "\(error)")\n".utf8))
    exit(1)
}
