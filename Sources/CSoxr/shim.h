// Exposes libsoxr (Debian libsoxr-dev, LGPL-2.1) to Swift: the resampler librosa.load uses ("soxr_hq").
#ifndef MEDLEY_CSOXR_SHIM_H
#define MEDLEY_CSOXR_SHIM_H
#include <soxr.h>
#endif
