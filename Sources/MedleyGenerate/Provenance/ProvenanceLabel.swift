import Foundation
import MedleyCore

/// Puts a provenance record inside a PNG or JPEG file's bytes and reads it back.
///
/// PNG: `tEXt` chunks `Software` and `Comment` (the record's ``GenerationProvenance/summary``), an `iTXt` chunk
/// `medley:provenance` with the compact JSON record, and an `iTXt` chunk `XML:com.adobe.xmp` with an XMP packet that
/// carries IPTC's `Iptc4xmpExt:DigitalSourceType` (what exiftool and photo tools read). They go right after `IHDR`.
/// JPEG: an APP1 XMP segment and a COM segment `medley:provenance <json>`, after the JFIF/EXIF headers.
public enum ProvenanceLabel {
    /// The key of the chunk (PNG) or the prefix of the comment (JPEG) that holds the JSON record.
    public static let key = "medley:provenance"

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let xmpNamespace = "http://ns.adobe.com/xap/1.0/"

    /// `data` with the record embedded, for a PNG or JPEG file; other formats come back unchanged (nil) and rely
    /// on the record beside the file.
    public static func embed(_ record: GenerationProvenance, in data: Data) throws -> Data? {
        let json = String(decoding: try record.jsonData(pretty: false), as: UTF8.self)
        let bytes = [UInt8](data)
        if bytes.starts(with: pngSignature) { return Data(try embedPNG(record, json: json, in: bytes)) }
        if bytes.starts(with: [0xFF, 0xD8]) { return Data(try embedJPEG(record, json: json, in: bytes)) }
        return nil
    }

    /// The record embedded in a PNG or JPEG file's bytes, or nil when there is none.
    public static func read(from data: Data, source: String) throws -> GenerationProvenance? {
        let bytes = [UInt8](data)
        let json: String?
        if bytes.starts(with: pngSignature) {
            json = pngText(in: bytes, keyword: key)
        } else if bytes.starts(with: [0xFF, 0xD8]) {
            json = jpegComment(in: bytes, prefix: key + " ")
        } else {
            json = nil
        }
        guard let json else { return nil }
        return try GenerationProvenance.decode(Data(json.utf8), source: source)
    }

    // MARK: - XMP

    /// A minimal XMP packet: IPTC's digital source type, the creator tool and the summary as description.
    static func xmpPacket(_ record: GenerationProvenance) -> String {
        """
        <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>\
        <x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\
        <rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" \
        xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" \
        Iptc4xmpExt:DigitalSourceType="\(xmlEscaped(record.digitalSourceType))" \
        xmp:CreatorTool="\(xmlEscaped(record.claimGenerator))">\
        <dc:description><rdf:Alt><rdf:li xml:lang="x-default">\(xmlEscaped(record.summary))</rdf:li></rdf:Alt>\
        </dc:description></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="r"?>
        """
    }

    static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Latin-1 text for a `tEXt` chunk: characters outside it become '?'.
    static func latin1(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { $0.value < 256 && $0.value != 0 ? UInt8($0.value) : UInt8(ascii: "?") }
    }

    // MARK: - PNG

    static func embedPNG(_ record: GenerationProvenance, json: String, in bytes: [UInt8]) throws -> [UInt8] {
        // The first chunk must be IHDR: 8-byte signature, 4-byte length, "IHDR", 13 bytes, CRC.
        let ihdrEnd = pngSignature.count + 4 + 4 + 13 + 4
        guard bytes.count > ihdrEnd, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw MedleyError.internal("the PNG encoder's output does not start with IHDR")
        }
        var chunks: [UInt8] = []
        chunks += pngChunk("tEXt", latin1("Software") + [0] + latin1(record.claimGenerator))
        chunks += pngChunk("tEXt", latin1("Comment") + [0] + latin1(record.summary))
        chunks += pngChunk("iTXt", iTXt(keyword: key, text: json))
        chunks += pngChunk("iTXt", iTXt(keyword: "XML:com.adobe.xmp", text: xmpPacket(record)))
        return Array(bytes[..<ihdrEnd]) + chunks + Array(bytes[ihdrEnd...])
    }

    /// An uncompressed `iTXt` body: keyword, NUL, compression flag 0, method 0, empty language and translated
    /// keyword (each NUL-terminated), UTF-8 text.
    static func iTXt(keyword: String, text: String) -> [UInt8] {
        latin1(keyword) + [0, 0, 0, 0, 0] + Array(text.utf8)
    }

    static func pngChunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(UInt32(body.count)) + typeBytes + body + bigEndian(CRC32.checksum(typeBytes + body))
    }

    /// The text of the first `tEXt` or `iTXt` chunk with `keyword`.
    static func pngText(in bytes: [UInt8], keyword: String) -> String? {
        var offset = pngSignature.count
        let wanted = Array(keyword.utf8) + [0]
        while offset + 8 <= bytes.count {
            let length = Int(readBigEndian(bytes, at: offset))
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let bodyStart = offset + 8
            guard length >= 0, bodyStart + length + 4 <= bytes.count else { return nil }
            let body = Array(bytes[bodyStart..<(bodyStart + length)])
            if (type == "iTXt" || type == "tEXt"), body.starts(with: wanted) {
                if type == "tEXt" { return String(decoding: body[wanted.count...], as: UTF8.self) }
                // Skip compression flag and method, then the language tag and translated keyword.
                var index = wanted.count + 2
                for _ in 0..<2 {
                    guard let end = body[index...].firstIndex(of: 0) else { return nil }
                    index = end + 1
                }
                guard body[wanted.count] == 0 else { return nil }  // compressed text is not ours
                return String(decoding: body[index...], as: UTF8.self)
            }
            if type == "IEND" { return nil }
            offset = bodyStart + length + 4
        }
        return nil
    }

    // MARK: - JPEG

    static func embedJPEG(_ record: GenerationProvenance, json: String, in bytes: [UInt8]) throws -> [UInt8] {
        // Insert after SOI and any APP0/APP1 headers so JFIF stays first.
        var insertAt = 2
        while insertAt + 4 <= bytes.count, bytes[insertAt] == 0xFF, bytes[insertAt + 1] == 0xE0 || bytes[insertAt + 1] == 0xE1 {
            insertAt += 2 + Int(bytes[insertAt + 2]) << 8 + Int(bytes[insertAt + 3])
        }
        guard insertAt <= bytes.count else { throw MedleyError.internal("the JPEG encoder's headers are malformed") }
        let xmp = Array(xmpNamespace.utf8) + [0] + Array(xmpPacket(record).utf8)
        let comment = Array((key + " " + json).utf8)
        var segments: [UInt8] = []
        for (marker, body) in [(UInt8(0xE1), xmp), (UInt8(0xFE), comment)] {
            guard body.count + 2 <= 0xFFFF else {
                throw MedleyError.invalidArgument("the provenance record is too long for a JPEG segment; write PNG")
            }
            segments += [0xFF, marker, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 0xFF)] + body
        }
        return Array(bytes[..<insertAt]) + segments + Array(bytes[insertAt...])
    }

    /// The text after `prefix` of the first COM segment that starts with it (segments before the scan only).
    static func jpegComment(in bytes: [UInt8], prefix: String) -> String? {
        var offset = 2
        let wanted = Array(prefix.utf8)
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            if marker == 0xDA || marker == 0xD9 { return nil }  // start of scan, end of image
            let length = Int(bytes[offset + 2]) << 8 + Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { return nil }
            let body = bytes[(offset + 4)..<(offset + 2 + length)]
            if marker == 0xFE, body.starts(with: wanted) {
                return String(decoding: body.dropFirst(wanted.count), as: UTF8.self)
            }
            offset += 2 + length
        }
        return nil
    }

    // MARK: - Bytes

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

/// The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320, as in the PNG specification's annex).
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
