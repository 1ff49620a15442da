#include <nettle/sha2.h>

#include "fpkit/keccak.h"

void fpk_sha256(uint8_t out[32], const void *data, size_t len) {
  struct sha256_ctx c;
  sha256_init(&c);
  sha256_update(&c, len, data);
  sha256_digest(&c, SHA256_DIGEST_SIZE, out);
}
