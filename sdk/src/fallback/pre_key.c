/* Stand-in for libpreimage's key helpers, compiled into the SDK only while src/preimage/ has no
 * key source of its own (sdk/fpkit-cc picks). */
#include "fpkit/fpp.h"

void pre_key_local(uint8_t key[32], uint64_t index) {
  fpp_memset(key, 0, 32);
  key[0] = PRE_KEY_LOCAL;
  fpk_put_be64(key + 24, index);
}

void pre_key_from_hash(uint8_t key[32], uint8_t type, const uint8_t hash[32]) {
  fpp_memmove(key, hash, 32);
  key[0] = type;
}

void pre_key_keccak256(uint8_t key[32], const void *data, size_t len) {
  fpk_keccak256(key, data, len);
  key[0] = PRE_KEY_KECCAK256;
}
