/* Key types the host accepts, and checking a preimage against its key. */
#include <string.h>

#include "fpkit/keccak.h"
#include "fpkit/preimage.h"

void pre_key_sha256(uint8_t key[32], const void *data, size_t len) {
  fpk_sha256(key, data, len);
  key[0] = PRE_KEY_SHA256;
}

const char *pre_key_type_name(uint8_t type) {
  switch (type) {
    case PRE_KEY_LOCAL: return "local";
    case PRE_KEY_KECCAK256: return "keccak256";
    case PRE_KEY_SHA256: return "sha256";
    case PRE_KEY_BLOB: return "blob";
    case PRE_KEY_PRECOMPILE: return "precompile";
    case PRE_KEY_GLOBAL_GENERIC: return "global-generic";
    default: return "invalid";
  }
}

int pre_key_check(const uint8_t key[32]) {
  switch (key[0]) {
    case PRE_KEY_LOCAL:
    case PRE_KEY_KECCAK256:
    case PRE_KEY_SHA256:
    case PRE_KEY_BLOB:
    case PRE_KEY_PRECOMPILE:
      return FPK_OK;
    default:
      /* 3 is reserved without a host-side fetch rule; 0 and 7.. are not defined at all. */
      return fpk_errf(FPK_EUNSUPPORTED, "preimage key: type %u (%s) is not supported", key[0],
                      pre_key_type_name(key[0]));
  }
}

int pre_verify(const uint8_t key[32], const void *data, size_t len) {
  int rc = pre_key_check(key);
  if (rc != FPK_OK) return rc;
  uint8_t want[32];
  if (key[0] == PRE_KEY_KECCAK256)
    pre_key_keccak256(want, data, len);
  else if (key[0] == PRE_KEY_SHA256)
    pre_key_sha256(want, data, len);
  else
    return FPK_OK; /* local (trusted config), blob and precompile (no proof at hand) pass through */
  if (memcmp(want, key, 32) != 0)
    return fpk_errf(FPK_EVERIFY, "preimage key: %zu-byte value does not hash to its %s key", len,
                    pre_key_type_name(key[0]));
  return FPK_OK;
}
