// Exposes OpenSSL's libcrypto digests (Debian libssl-dev, Apache-2.0) to Swift: SHA-256 with the CPU's SHA
// extensions where it has them (run records hash every input file).
#ifndef MEDLEY_CCRYPTO_SHIM_H
#define MEDLEY_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#endif
