/* Keccak-256 (Ethereum legacy padding 0x01, not SHA3-256) and SHA-256.
 * keccak.c builds freestanding (the client SDK links the same source inside the VM). */
#ifndef FPKIT_KECCAK_H
#define FPKIT_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  uint64_t st[25];
  unsigned pos; /* bytes absorbed into the current 136-byte block */
} fpk_keccak_ctx;

void fpk_keccak_init(fpk_keccak_ctx *ctx);
void fpk_keccak_update(fpk_keccak_ctx *ctx, const void *data, size_t len);
void fpk_keccak_final(fpk_keccak_ctx *ctx, uint8_t out[32]);

/* One-shot hash of any input. */
void fpk_keccak256(uint8_t out[32], const void *data, size_t len);

/* keccak256(left ‖ right): the merkle node hash, the hottest call in the toolkit. out may alias left/right. */
void fpk_keccak256_node(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]);

/* n independent node hashes: out[32i..32i+32) = keccak256(in[64i..64i+64)). Uses multi-way SIMD
 * (4/8 lanes) when the CPU has it. out must not overlap in unless out == in (in-place halving is allowed
 * because output i is written after inputs 0..i are consumed). */
void fpk_keccak256_nodes(uint8_t *out, const uint8_t *in, size_t n);

/* Name of the implementation chosen at run time (for benchmarks and logs). */
const char *fpk_keccak_impl(void);

/* SHA-256. One-shot fpk_sha256 uses nettle in hosted builds; the incremental functions are the portable
 * code in sha256.c, which the SDK compiles freestanding (so the VM and the tests run the same source). */
void fpk_sha256(uint8_t out[32], const void *data, size_t len);
typedef struct {
  uint32_t h[8];
  uint64_t total; /* bytes hashed so far */
  uint8_t buf[64];
  unsigned fill;
} fpk_sha256_ctx;
void fpk_sha256_init(fpk_sha256_ctx *c);
void fpk_sha256_update(fpk_sha256_ctx *c, const void *data, size_t len);
void fpk_sha256_final(fpk_sha256_ctx *c, uint8_t out[32]);

#ifdef __cplusplus
}
#endif
#endif
