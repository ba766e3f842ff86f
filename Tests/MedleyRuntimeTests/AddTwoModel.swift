import Foundation
import MedleyCore

/// A tiny OpenVINO IR model written by the tests: for each Medley element type `t`, an input `x_t` with dynamic
/// shape and an output `y_t = x_t + 2` of the same type. It exercises IR reading (`.xml` + `.bin`), dynamic and
/// bounded dimensions, reshaping, and every input and output element type without needing a model download.
enum AddTwoModel {
    /// The input shape each type's branch declares, in IR notation.
    static let declaredShapes: [ElementType: String] = [
        .f32: "?,1..8", .f16: "?,?", .i32: "?", .i64: "?,?", .u8: "?",
    ]

    /// Writes `add_two.xml` and `add_two.bin` into `folder` and returns the `.xml` path.
    static func write(in folder: URL) throws -> String {
        var weights = Data()
        var layers = ""
        var edges = ""
        for (branch, type) in ElementType.allCases.enumerated() {
            let offset = weights.count
            weights.append(two(as: type))
            let shape = declaredShapes[type] ?? "?"
            let dims = shape.split(separator: ",").map { _ in "<dim>-1</dim>" }.joined()
            let precision = irPrecision(type)
            let id = branch * 4
            layers += """
                <layer id="\(id)" name="x_\(type)" type="Parameter" version="opset1">
                  <data shape="\(shape)" element_type="\(type)"/>
                  <output><port id="0" precision="\(precision)" names="x_\(type)">\(dims)</port></output>
                </layer>
                <layer id="\(id + 1)" name="two_\(type)" type="Const" version="opset1">
                  <data element_type="\(type)" shape="1" offset="\(offset)" size="\(type.byteSize)"/>
                  <output><port id="0" precision="\(precision)"><dim>1</dim></port></output>
                </layer>
                <layer id="\(id + 2)" name="add_\(type)" type="Add" version="opset1">
                  <data auto_broadcast="numpy"/>
                  <input>
                    <port id="0" precision="\(precision)">\(dims)</port>
                    <port id="1" precision="\(precision)"><dim>1</dim></port>
                  </input>
                  <output><port id="2" precision="\(precision)" names="y_\(type)">\(dims)</port></output>
                </layer>
                <layer id="\(id + 3)" name="y_\(type)/sink" type="Result" version="opset1">
                  <input><port id="0" precision="\(precision)">\(dims)</port></input>
                </layer>

                """
            edges += """
                <edge from-layer="\(id)" from-port="0" to-layer="\(id + 2)" to-port="0"/>
                <edge from-layer="\(id + 1)" from-port="0" to-layer="\(id + 2)" to-port="1"/>
                <edge from-layer="\(id + 2)" from-port="2" to-layer="\(id + 3)" to-port="0"/>

                """
        }
        let xml = """
            <?xml version="1.0"?>
            <net name="add_two" version="11">
            <layers>
            \(layers)</layers>
            <edges>
            \(edges)</edges>
            </net>

            """
        let xmlURL = folder.appendingPathComponent("add_two.xml")
        try xml.write(to: xmlURL, atomically: true, encoding: .utf8)
        try weights.write(to: folder.appendingPathComponent("add_two.bin"))
        return xmlURL.path
    }

    private static func irPrecision(_ type: ElementType) -> String {
        switch type {
        case .f32: return "FP32"
        case .f16: return "FP16"
        case .i32: return "I32"
        case .i64: return "I64"
        case .u8: return "U8"
        }
    }

    /// The constant 2 in `type`'s little-endian encoding.
    private static func two(as type: ElementType) -> Data {
        switch type {
        case .f32: return withUnsafeBytes(of: Float(2)) { Data($0) }
        case .f16: return withUnsafeBytes(of: Float16(2)) { Data($0) }
        case .i32: return withUnsafeBytes(of: Int32(2)) { Data($0) }
        case .i64: return withUnsafeBytes(of: Int64(2)) { Data($0) }
        case .u8: return Data([2])
        }
    }
}
