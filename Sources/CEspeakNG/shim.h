// Exposes espeak-ng 1.51 (Debian libespeak-ng-dev) to Swift.
#ifndef MEDLEY_CESPEAKNG_SHIM_H
#define MEDLEY_CESPEAKNG_SHIM_H
#include <espeak-ng/speak_lib.h>
#endif
