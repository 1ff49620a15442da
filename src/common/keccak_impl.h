/* Private to the Keccak implementation and its tests/benchmarks: every variant is reachable by name so
 * that each one can be tested and timed, whatever the run-time dispatch picks on this CPU. */
#ifndef FPK_KECCAK_IMPL_H
#define FPK_KECCAK_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "fpkit/keccak.h"

#define FPK_ROL64(x, n) (((x) << (n)) | ((x) >> ((64 - (n)) & 63)))

extern const uint64_t fpk_keccak_rc[24];

/* Keccak-f[1600] on a state in the standard representation (lane i = bytes 8i..8i+8, little-endian). */
void fpk_keccakf(uint64_t s[25]);
/* Portable unrolled lane-complementing version (what fpk_keccakf is off x86-64). */
void fpk_keccakf_lc(uint64_t s[25]);
/* The same, written as the plain textbook loop (the reference the fast versions are tested against). */
void fpk_keccakf_ref(uint64_t s[25]);

/* Single 64-byte node hashes. */
void fpk_keccak256_node_ref(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]);   /* loop */
void fpk_keccak256_node_lc(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]);    /* unrolled, lane complementing */
void fpk_keccak256_node_lc_peeled(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]); /* + first/last round peeled */
void fpk_keccak256_node_plain(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]); /* unrolled */

/* Batched node hashes, one per variant (same contract as fpk_keccak256_nodes). */
void fpk_keccak256_nodes_scalar(uint8_t *out, const uint8_t *in, size_t n);

/* SHA-256 without libc (sha256.c): what freestanding builds use for fpk_sha256; hosted builds use nettle. */
void fpk_sha256_portable(uint8_t out[32], const void *data, size_t len);

/* x86-64 SIMD variants (keccak_x86.c), defined only on hosted x86-64 builds: FPK_KECCAK_HAVE_X86. */
#if defined(__x86_64__) && defined(__STDC_HOSTED__) && __STDC_HOSTED__ && !defined(FPK_KECCAK_PORTABLE)
#define FPK_KECCAK_HAVE_X86 1
/* The CPU can run the variant (checked with __builtin_cpu_supports). */
int fpk_keccak_cpu_avx2(void);
int fpk_keccak_cpu_avx512(void);
int fpk_keccak_cpu_bmi2(void); /* BMI1 and BMI2 */
void fpk_keccak256_node_bmi(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]);    /* needs BMI1/2 */
void fpk_keccak256_node_bmi_peeled(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]); /* needs BMI1/2 */
void fpk_keccak256_node_bmi_lc(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]); /* needs BMI1/2 */
void fpk_keccak256_nodes_avx2(uint8_t *out, const uint8_t *in, size_t n);   /* 4 lanes; needs AVX2 */
void fpk_keccak256_nodes_avx512(uint8_t *out, const uint8_t *in, size_t n); /* 8 lanes; needs AVX-512F */
/* The dispatching entry points used by keccak.c. */
void fpk_keccak256_nodes_x86(uint8_t *out, const uint8_t *in, size_t n);
void fpk_keccak256_node_x86(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]);
void fpk_keccakf_x86(uint64_t s[25]);
void fpk_keccakf_bmi(uint64_t s[25]); /* needs BMI1/2 */
const char *fpk_keccak_impl_x86(void);
#endif

#endif
