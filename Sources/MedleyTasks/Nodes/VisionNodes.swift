import Foundation
import MedleyCore
import MedleyVision
import MedleyWorkflow

/// `vision.ocr`: the text in an image (PP-OCRv4).
struct OCRNode: NodeType {
    let name = "vision.ocr"
    let version = 1
    let summary = "Read the text in an image with PP-OCRv4, lines in reading order."
    let inputs = [InputSpec("image", .image, help: "A PNG, JPEG, WebP... image.")]
    let outputs = [
        OutputSpec("text", .detections, help: "{\"lines\": [{\"text\", \"confidence\", \"box\"}], \"width\", \"height\"}."),
        OutputSpec("table", .table, help: "One row a line: image, line, text, confidence, box corners."),
    ]

    func models(for inputs: NodeInputs) -> [String] { ["ppocr-v4-det", "ppocr-v4-rec", "ppocr-mobile-v2-cls"] }

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let image = try inputs.file("image")
        let engine = try OCREngine(store: context.models, policy: context.policy)
        let (result, _) = try engine.read(path: image.path)
        let rows: [[JSONValue]] = result.lines.enumerated().map { index, line in
            [.string(image.name), .number(Double(index + 1)), .string(line.text), .number(line.confidence)]
                + line.box.corners.flatMap { [JSONValue.number($0.x), JSONValue.number($0.y)] }
        }
        let table = DataTable(columns: ["image", "line", "text", "confidence", "x1", "y1", "x2", "y2", "x3", "y3", "x4", "y4"],
                              rows: rows)
        return ["text": try .encoding(result), "table": table.value]
    }
}

/// `vision.faces`: faces in an image (BlazeFace short range).
struct FacesNode: NodeType {
    let name = "vision.faces"
    let version = 1
    let summary = "Find faces (boxes and six keypoints) with MediaPipe BlazeFace short range."
    let inputs = [InputSpec("image", .image, help: "An image.")]
    let outputs = [OutputSpec("faces", .detections, help: "{\"faces\": [{\"box\": [x, y, w, h], \"score\", \"keypoints\"}]}.")]

    func models(for inputs: NodeInputs) -> [String] { ["blazeface-short-range"] }

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let detector = try FaceDetector(store: context.models, policy: context.policy)
        return ["faces": try .encoding(try detector.detect(path: inputs.path("image")).result)]
    }
}

/// `vision.safety`: the open_nsfw score of an image.
struct SafetyNode: NodeType {
    let name = "vision.safety"
    let version = 1
    let summary = "Score an image for explicit content with Yahoo's open_nsfw classifier (0 safe ... 1 explicit)."
    let inputs = [InputSpec("image", .image, help: "An image.")]
    let outputs = [
        OutputSpec("score", .number, help: "The score in [0, 1]."),
        OutputSpec("result", .table, help: "{\"score\", \"verdict\"}."),
    ]

    func models(for inputs: NodeInputs) -> [String] { ["open-nsfw"] }

    func run(_ inputs: NodeInputs, context: NodeContext) async throws -> [String: WorkflowValue] {
        let classifier = try SafetyClassifier(store: context.models, policy: context.policy)
        let result = try classifier.classify(path: inputs.path("image")).result
        return ["score": .number(result.score), "result": try .encoding(result)]
    }
}
