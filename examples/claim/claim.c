/* claim: the fault proof program of Cannon's claim test, in C.
 *
 * Boot info: local key 0 = keccak(s), local key 1 = keccak(keccak(a) ‖ keccak(b)), local key 2 = the
 * claimed value of s·a + b (u64 BE); s, a, b are 8-byte big-endian preimages behind those hashes.
 * Exit 0 if the claim holds, 1 if not; a missing preimage panics (exit 2). */
#include "fpkit/fpp.h"

static uint64_t get_u64(const uint8_t hash[32]) {
  size_t n;
  uint8_t *v = fpp_get_keccak(hash, &n);
  if (n != 8) fpp_panic("expected an 8-byte value, got %zu bytes", n);
  uint64_t x = fpp_be64(v);
  fpp_free(v);
  return x;
}

int main(void) {
  uint8_t pre_hash[32], diff_hash[32];
  fpp_boot_hash(0, pre_hash);
  fpp_boot_hash(1, diff_hash);
  uint64_t claim = fpp_boot_u64(2);

  /* Hint first, then read: an online host fetches what the hint names. */
  fpp_hint_hex("fetch-state", pre_hash, 32);
  uint64_t s = get_u64(pre_hash);

  fpp_hint_hex("fetch-diff", diff_hash, 32);
  size_t n;
  uint8_t *diff = fpp_get_keccak(diff_hash, &n);
  if (n != 64) fpp_panic("diff preimage: expected 64 bytes, got %zu", n);
  uint64_t a = get_u64(diff);
  uint64_t b = get_u64(diff + 32);

  uint64_t result = s * a + b; /* wraps mod 2^64, like the Go original */
  if (result != claim) {
    fpp_eprintf("claim %llu is wrong: s*a+b = %llu\n", (unsigned long long)claim, (unsigned long long)result);
    fpp_claim(false);
  }
  fpp_printf("claim %llu holds (s=%llu a=%llu b=%llu)\n", (unsigned long long)claim, (unsigned long long)s,
             (unsigned long long)a, (unsigned long long)b);
  fpp_claim(true);
}
