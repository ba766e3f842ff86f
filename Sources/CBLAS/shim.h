// Exposes OpenBLAS's CBLAS interface (Debian libopenblas-dev) to Swift.
#ifndef MEDLEY_CBLAS_SHIM_H
#define MEDLEY_CBLAS_SHIM_H
#include <cblas.h>
#endif
