/* keccak.h's fpk_sha256 inside the SDK (the host's version calls nettle). */
#include "fpkit/fpp.h"

void fpk_sha256(uint8_t out[32], const void *data, size_t len) { fpp_sha256(out, data, len); }
