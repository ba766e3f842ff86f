// Exposes the OpenVINO C API (installed under /usr/local by scripts/setup.sh) to Swift.
#ifndef MEDLEY_COPENVINO_SHIM_H
#define MEDLEY_COPENVINO_SHIM_H
#include <openvino/c/openvino.h>
#endif
