/* The PreimageOracle as the contract sees it: readPreimage(key, offset) returns the 32-byte part of
 * (u64 BE length ‖ preimage) at offset and datLen = min(32, 8 + length - offset), or reverts
 * "pre-image must exist" when no such part was loaded.
 *
 * The verifier has no oracle contract, only the answer the caller recorded (Cannon's oracle-key /
 * oracle-value / oracle-offset). It accepts that answer only if the real oracle could hold it:
 * the key and offset are the ones the state would query, the length prefix matches, and the value
 * hashes to the key where the key type commits to a hash (keccak256, sha256). Local keys (type 1)
 * are localized on-chain with the caller's address, which a proof file does not carry, so their
 * value is trusted like blob (5) and precompile (6) parts; the oracle has no loader for any other
 * type, so such a read reverts on-chain. */
#include <string.h>

#include "fpkit/hex.h"
#include "fpkit/keccak.h"
#include "voracle.h"

static bool hash_key_matches(uint8_t type, const uint8_t key[32], const uint8_t *data, size_t len) {
  uint8_t h[32];
  if (type == 2)
    fpk_keccak256(h, data, len);
  else
    fpk_sha256(h, data, len);
  h[0] = type;
  return memcmp(h, key, 32) == 0;
}

int vm_oracle_read(vm_ctx *c, const uint8_t key[32], uint64_t offset, uint8_t dat[32], uint64_t *dat_len) {
  const fpvm_mips64_verify_oracle *o = c->oracle;
  char kh[65];
  fpk_hex_encode(kh, key, 32);
  uint8_t type = key[0];
  if (type != 1 && type != 2 && type != 4 && type != 5 && type != 6) /* no loader: never in the oracle */
    return vm_revert(c, "pre-image must exist");
  if (!o || !o->present)
    return vm_fail(c, FPK_ENOTFOUND, "verify: the step reads preimage 0x%s at offset %llu but no oracle data was given",
                   kh, (unsigned long long)offset);
  if (memcmp(o->key, key, 32) != 0) {
    char oh[65];
    fpk_hex_encode(oh, o->key, 32);
    return vm_fail(c, FPK_EINVAL, "verify: oracle key 0x%s is not the state's preimage key 0x%s", oh, kh);
  }
  if (o->offset != offset)
    return vm_fail(c, FPK_EINVAL, "verify: oracle offset %llu is not the state's preimage offset %llu",
                   (unsigned long long)o->offset, (unsigned long long)offset);
  if (!o->value || o->value_len < 8 || fpk_be64(o->value) != o->value_len - 8)
    return vm_fail(c, FPK_EINVAL, "verify: oracle value of %zu bytes does not start with its length", o->value_len);

  const uint8_t *data = o->value + 8;
  size_t len = o->value_len - 8;
  switch (type) {
  case 2: /* keccak256 */
  case 4: /* sha256 */
    if (!hash_key_matches(type, key, data, len))
      return vm_fail(c, FPK_EVERIFY, "verify: oracle value does not hash to the %s key 0x%s",
                     type == 2 ? "keccak256" : "sha256", kh);
    break;
  case 1: /* local: loadLocalData takes at most one word */
    if (len > 32) return vm_fail(c, FPK_EVERIFY, "verify: local preimage of %zu bytes cannot be in the oracle", len);
    break;
  case 5: /* blob field element */
    if (len != 32) return vm_fail(c, FPK_EVERIFY, "verify: blob preimage of %zu bytes cannot be in the oracle", len);
    break;
  default: /* 6: precompile result */
    break;
  }

  if (offset >= o->value_len) return vm_revert(c, "pre-image must exist");
  uint64_t avail = o->value_len - offset;
  *dat_len = avail < 32 ? avail : 32;
  memset(dat, 0, 32);
  memcpy(dat, o->value + offset, (size_t)*dat_len);
  return FPK_OK;
}
