/* One digest over many Keccak-256 and SHA-256 results (lengths 0..300 one by one, then up to 1100 in
 * steps of 97, across both hashes' block boundaries). The hosted test computes it with the host's hashes
 * (nettle SHA-256, dispatched Keccak), the freestanding selftest with the SDK's, and both compare it with
 * FPP_FINGERPRINT: that is how "SDK == host" is checked inside the VM and under qemu. */
#ifndef FPP_TEST_FINGERPRINT_H
#define FPP_TEST_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "fpkit/keccak.h"

#define FPP_FINGERPRINT "0ed22d3ae282eaec7d32e35e3e15228714e4b8a89e4162e0c55ac09b941c7a73"

static inline void fpp_fingerprint(uint8_t out[32], void (*sha)(uint8_t *, const void *, size_t)) {
  static uint8_t buf[1100];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 7 + 3);
  fpk_keccak_ctx all;
  fpk_keccak_init(&all);
  for (size_t len = 0; len <= sizeof buf; len += len < 300 ? 1 : 97) {
    uint8_t h[32];
    fpk_keccak256(h, buf, len);
    fpk_keccak_update(&all, h, 32);
    sha(h, buf, len);
    fpk_keccak_update(&all, h, 32);
  }
  uint8_t node[32];
  fpk_keccak256_node(node, buf, buf + 32);
  fpk_keccak_update(&all, node, 32);
  fpk_keccak_final(&all, out);
}

#endif
