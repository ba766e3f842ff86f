internal import COpenVINO
import MedleyCore

extension ElementType {
    /// The OpenVINO element type with the same layout.
    var openVINO: ov_element_type_e {
        switch self {
        case .f32: return F32
        case .f16: return F16
        case .i32: return I32
        case .i64: return I64
        case .u8: return U8
        }
    }

    /// The Medley type for an OpenVINO element type, or nil when a ``Tensor`` cannot hold it.
    init?(openVINO type: ov_element_type_e) {
        switch type {
        case F32: self = .f32
        case F16: self = .f16
        case I32: self = .i32
        case I64: self = .i64
        case U8: self = .u8
        default: return nil
        }
    }
}

/// OpenVINO's own lower-case name for an element type (`f32`, `boolean`, `bf16`...), as its C++ API prints it.
func openVINOTypeName(_ type: ov_element_type_e) -> String {
    switch type {
    case DYNAMIC: return "dynamic"
    case OV_BOOLEAN: return "boolean"  // openvino.h renames BOOLEAN to dodge Windows.h
    case BF16: return "bf16"
    case F16: return "f16"
    case F32: return "f32"
    case F64: return "f64"
    case I4: return "i4"
    case I8: return "i8"
    case I16: return "i16"
    case I32: return "i32"
    case I64: return "i64"
    case U1: return "u1"
    case U2: return "u2"
    case U3: return "u3"
    case U4: return "u4"
    case U6: return "u6"
    case U8: return "u8"
    case U16: return "u16"
    case U32: return "u32"
    case U64: return "u64"
    case NF4: return "nf4"
    case F8E4M3: return "f8e4m3"
    case F8E5M3: return "f8e5m2"
    case STRING: return "string"
    case F4E2M1: return "f4e2m1"
    case F8E8M0: return "f8e8m0"
    default: return "type \(type.rawValue)"
    }
}
