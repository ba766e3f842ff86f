import Foundation
import MedleyCore

/// Float32 arrays as NumPy `.npy` files (format version 1.0, little-endian `<f4`, C order), so that the exact
/// noise and outputs of a generation can be read by `numpy.load` and checked against other implementations.
public enum NumpyArrayFile {
    /// The format's magic string, `\x93NUMPY`.
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// Header blocks are padded to this many bytes (the format's alignment).
    static let alignment = 64

    /// The bytes of a `.npy` file holding `values` with `shape`.
    ///
    /// - Throws: `invalidArgument` when the shape does not match the value count.
    public static func encode(_ values: [Float], shape: [Int]) throws -> Data {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw MedleyError.invalidArgument("an array of shape \(shape) cannot hold \(values.count) values")
        }
        let dimensions = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dimensions)), }"
        // magic (6) + version (2) + header length (2) + header, ending in a newline, padded with spaces.
        let unpadded = magic.count + 4 + header.utf8.count + 1
        header += String(repeating: " ", count: (alignment - unpadded % alignment) % alignment) + "\n"
        var data = Data(magic)
        data.append(contentsOf: [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        values.withUnsafeBufferPointer { buffer in
            for value in buffer {
                let bits = value.bitPattern.littleEndian
                withUnsafeBytes(of: bits) { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    /// Writes `values` with `shape` to `path`.
    ///
    /// - Throws: `writeFailed` naming the path (missing folder, no permission).
    public static func write(_ values: [Float], shape: [Int], to path: String) throws {
        let data = try encode(values, shape: shape)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw MedleyError.writeFailed(path: path, reason: error.localizedDescription)
        }
    }
}
