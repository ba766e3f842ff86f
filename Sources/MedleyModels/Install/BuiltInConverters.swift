// The converter scripts Medley runs at model-install time, built into the binary so that an installed Medley
// needs no source tree to install them. Each text is byte for byte the file of the same name in scripts/ (a test
// in MedleyModelsTests compares them), and its SHA-256 is pinned by the card that uses it.

/// Converter scripts by file name.
enum BuiltInConverters {
    /// The script called `name`, or nil.
    static func script(named name: String) -> String? {
        switch name {
        case "convert-selfie-segmentation.py": return selfieSegmentation
        default: return nil
        }
    }

    /// scripts/convert-selfie-segmentation.py: MediaPipe selfie segmentation (TFLite) to OpenVINO IR.
    static let selfieSegmentation = #"""
#!/usr/bin/env python3
"""Converts MediaPipe's selfie-segmentation TFLite model to OpenVINO IR, once, at model-install time.

usage: convert-selfie-segmentation.py INPUT.tflite OUTPUT.xml      (OUTPUT.bin is written beside OUTPUT.xml)

OpenVINO 2026.4 cannot read these models as shipped: each ends in MediaPipe's custom op
Convolution2DTransposeBias, for which its TFLite frontend has no translator. This script registers one through
the Python frontend's ConversionExtension: the op is a stride-2 transposed convolution followed by a bias add.
Its inputs are the activation [N, H, W, C] (NHWC, like every TFLite tensor), the kernel [O, kH, kW, C] and the bias
[O]. Because the kernel (2x2) equals the stride (2), the output is out[n, 2y+i, 2x+j, o] =
bias[o] + sum_c in[n, y, x, c] * kernel[o, i, j, c]: no padding question arises (SAME and VALID agree), and the
translation checks those shapes rather than trusting them.

Needs the Python package openvino==2026.4.1 (`python3 -m pip install openvino==2026.4.1`), the release Medley's
runtime is built from. Weights are kept in f32 (no fp16 compression), so the IR computes what the TFLite model does.
"""
import sys

STRIDE = 2  # MediaPipe's selfie models upsample by 2 in their last layer (kernel 2x2, stride 2)


def main(argv):
    if len(argv) != 3 or not argv[2].endswith(".xml"):
        sys.stderr.write("usage: convert-selfie-segmentation.py INPUT.tflite OUTPUT.xml\n")
        return 2
    source, target = argv[1], argv[2]
    try:
        import numpy as np
        import openvino as ov
        import openvino.opset13 as ops
        from openvino.frontend import ConversionExtension, FrontEndManager
    except ImportError as error:
        sys.stderr.write(f"cannot import openvino ({error}); install it with "
                         "`python3 -m pip install openvino==2026.4.1`\n")
        return 3

    def transpose_conv_bias(node):
        activation, kernel, bias = node.get_input(0), node.get_input(1), node.get_input(2)
        kernel_shape = kernel.get_partial_shape()
        if not kernel_shape.is_static or list(kernel_shape.to_shape())[1:3] != [STRIDE, STRIDE]:
            raise RuntimeError(f"Convolution2DTransposeBias: expected a {STRIDE}x{STRIDE} kernel, got {kernel_shape}")
        # NHWC activation -> NCHW; kernel [O, kH, kW, C] -> [C, O, kH, kW] (ConvolutionBackpropData's layout).
        nchw = ops.transpose(activation, ops.constant(np.array([0, 3, 1, 2], dtype=np.int64)))
        weights = ops.transpose(kernel, ops.constant(np.array([3, 0, 1, 2], dtype=np.int64)))
        upsampled = ops.convolution_backprop_data(
            nchw, weights, strides=[STRIDE, STRIDE], pads_begin=[0, 0], pads_end=[0, 0], dilations=[1, 1])
        nhwc = ops.transpose(upsampled, ops.constant(np.array([0, 2, 3, 1], dtype=np.int64)))
        return [ops.add(nhwc, bias).output(0)]

    frontend = FrontEndManager().load_by_framework("tflite")
    frontend.add_extension(ConversionExtension("Convolution2DTransposeBias", transpose_conv_bias))
    model = frontend.convert(frontend.load(source))
    ov.save_model(model, target, compress_to_fp16=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""#
}
