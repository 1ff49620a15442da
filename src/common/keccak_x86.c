/* Multi-lane Keccak for x86-64: 4 independent node hashes per AVX2 permutation and 8 per AVX-512
 * permutation (one Keccak state per 64-bit vector element). Compiled on every target, empty unless
 * hosted x86-64; functions carry target attributes, so the rest of the build keeps baseline flags and
 * fpk_keccak256_nodes picks a variant at run time with __builtin_cpu_supports. */
#include "common/keccak_impl.h"
#include "fpkit/fpk.h"

#ifdef FPK_KECCAK_HAVE_X86
#include <immintrin.h>
#include <string.h>

/* ---- AVX2: 4 lanes in __m256i ---- */
#define KV_T __m256i
#define KV_ATTR __attribute__((target("avx2"), always_inline))
#define KV_NAME keccak_p_avx2
#define KV_XOR(a, b) _mm256_xor_si256((a), (b))
#define KV_XOR3(a, b, c) _mm256_xor_si256(_mm256_xor_si256((a), (b)), (c))
#define KV_CHI(a, b, c) _mm256_xor_si256((a), _mm256_andnot_si256((b), (c)))
#define KV_RC(i) _mm256_set1_epi64x((long long)fpk_keccak_rc[i])
/* Rotations by whole bytes are a single byte shuffle. */
#define ROT8_AVX2                                                                                              \
  _mm256_setr_epi8(7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14, 7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, \
                   12, 13, 14)
#define ROT56_AVX2                                                                                           \
  _mm256_setr_epi8(1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8, 1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, \
                   13, 14, 15, 8)
#define KV_ROL(x, n)                                                  \
  ((n) == 8    ? _mm256_shuffle_epi8((x), ROT8_AVX2)                  \
   : (n) == 56 ? _mm256_shuffle_epi8((x), ROT56_AVX2)                 \
               : _mm256_or_si256(_mm256_slli_epi64((x), (n)), _mm256_srli_epi64((x), (64 - (n)) & 63)))
#include "common/keccak_perm_vec.h"
#undef KV_T
#undef KV_ATTR
#undef KV_NAME
#undef KV_XOR
#undef KV_XOR3
#undef KV_CHI
#undef KV_RC
#undef KV_ROL

/* ---- AVX-512: 8 lanes in __m512i, rotations and 3-input logic in one instruction each ---- */
#define KV_T __m512i
#define KV_ATTR __attribute__((target("avx512f"), always_inline))
#define KV_NAME keccak_p_avx512
#define KV_XOR(a, b) _mm512_xor_si512((a), (b))
#define KV_XOR3(a, b, c) _mm512_ternarylogic_epi64((a), (b), (c), 0x96)
#define KV_CHI(a, b, c) _mm512_ternarylogic_epi64((a), (b), (c), 0xD2) /* a ^ (~b & c) */
#define KV_RC(i) _mm512_set1_epi64((long long)fpk_keccak_rc[i])
#define KV_ROL(x, n) _mm512_rol_epi64((x), (n))
#include "common/keccak_perm_vec.h"

/* Lane 8 carries the 0x01 pad byte, lane 16 the final 0x80; lanes 9..24 other than 16 are zero. */
#define PAD_LO 0x01ull
#define PAD_HI 0x8000000000000000ull

/* 4 nodes at in[0..256): 4x4 transposes of 64-bit words into lane-major order and back. */
__attribute__((target("avx2"))) static void nodes4_avx2(uint8_t *out, const uint8_t *in) {
  __m256i s[25];
  for (int h = 0; h < 2; h++) { /* words 0..3 then 4..7 of each node */
    __m256i r0 = _mm256_loadu_si256((const __m256i *)(const void *)(in + 32 * h));
    __m256i r1 = _mm256_loadu_si256((const __m256i *)(const void *)(in + 64 + 32 * h));
    __m256i r2 = _mm256_loadu_si256((const __m256i *)(const void *)(in + 128 + 32 * h));
    __m256i r3 = _mm256_loadu_si256((const __m256i *)(const void *)(in + 192 + 32 * h));
    __m256i t0 = _mm256_unpacklo_epi64(r0, r1), t1 = _mm256_unpackhi_epi64(r0, r1);
    __m256i t2 = _mm256_unpacklo_epi64(r2, r3), t3 = _mm256_unpackhi_epi64(r2, r3);
    s[4 * h + 0] = _mm256_permute2x128_si256(t0, t2, 0x20);
    s[4 * h + 1] = _mm256_permute2x128_si256(t1, t3, 0x20);
    s[4 * h + 2] = _mm256_permute2x128_si256(t0, t2, 0x31);
    s[4 * h + 3] = _mm256_permute2x128_si256(t1, t3, 0x31);
  }
  for (int i = 8; i < 25; i++) s[i] = _mm256_setzero_si256();
  s[8] = _mm256_set1_epi64x((long long)PAD_LO);
  s[16] = _mm256_set1_epi64x((long long)PAD_HI);
  keccak_p_avx2(s);
  __m256i t0 = _mm256_unpacklo_epi64(s[0], s[1]), t1 = _mm256_unpackhi_epi64(s[0], s[1]);
  __m256i t2 = _mm256_unpacklo_epi64(s[2], s[3]), t3 = _mm256_unpackhi_epi64(s[2], s[3]);
  _mm256_storeu_si256((__m256i *)(void *)(out + 0), _mm256_permute2x128_si256(t0, t2, 0x20));
  _mm256_storeu_si256((__m256i *)(void *)(out + 32), _mm256_permute2x128_si256(t1, t3, 0x20));
  _mm256_storeu_si256((__m256i *)(void *)(out + 64), _mm256_permute2x128_si256(t0, t2, 0x31));
  _mm256_storeu_si256((__m256i *)(void *)(out + 96), _mm256_permute2x128_si256(t1, t3, 0x31));
}

void fpk_keccak256_nodes_avx2(uint8_t *out, const uint8_t *in, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) nodes4_avx2(out + 32 * i, in + 64 * i);
  if (i < n) {
    /* Tail of 1..3 nodes: one more 4-lane run on a padded copy costs less than 2-3 scalar hashes. */
    if (n - i == 1) {
      fpk_keccak256_node_x86(out + 32 * i, in + 64 * i, in + 64 * i + 32);
      return;
    }
    uint8_t buf[256] = {0}, res[128];
    for (size_t k = 0; k < 64 * (n - i); k++) buf[k] = in[64 * i + k];
    nodes4_avx2(res, buf);
    for (size_t k = 0; k < 32 * (n - i); k++) out[32 * i + k] = res[k];
  }
}

/* Up to 8 nodes (mask selects which) gathered straight from memory; all loads happen before any store,
 * which keeps in-place halving (out == in) safe. */
__attribute__((target("avx512f"))) static void nodes8_avx512(uint8_t *out, const uint8_t *in, __mmask8 mask) {
  const __m512i idx = _mm512_setr_epi64(0, 64, 128, 192, 256, 320, 384, 448);
  const __m512i oidx = _mm512_setr_epi64(0, 32, 64, 96, 128, 160, 192, 224);
  __m512i s[25];
  for (int j = 0; j < 8; j++)
    s[j] = _mm512_mask_i64gather_epi64(_mm512_setzero_si512(), mask, idx, (const void *)(in + 8 * j), 1);
  for (int j = 8; j < 25; j++) s[j] = _mm512_setzero_si512();
  s[8] = _mm512_set1_epi64((long long)PAD_LO);
  s[16] = _mm512_set1_epi64((long long)PAD_HI);
  keccak_p_avx512(s);
  for (int j = 0; j < 4; j++) _mm512_mask_i64scatter_epi64((void *)(out + 8 * j), mask, oidx, s[j], 1);
}

void fpk_keccak256_nodes_avx512(uint8_t *out, const uint8_t *in, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) nodes8_avx512(out + 32 * i, in + 64 * i, 0xff);
  size_t rest = n - i;
  if (rest == 1)
    fpk_keccak256_node_x86(out + 32 * i, in + 64 * i, in + 64 * i + 32);
  else if (rest)
    nodes8_avx512(out + 32 * i, in + 64 * i, (__mmask8)((1u << rest) - 1));
}

/* ---- scalar with BMI1/BMI2: andn folds chi's NOT, rorx rotates without a register copy ---- */
#define FPK_KECCAK_INLINE inline __attribute__((always_inline, target("bmi,bmi2")))
#include "common/keccak_perm.h"

__attribute__((target("bmi,bmi2"))) static inline void node_state_le(uint64_t s[25], const uint8_t *left,
                                                                      const uint8_t *right) {
  memcpy(s, left, 32); /* x86 is little-endian, as the lanes are */
  memcpy(s + 4, right, 32);
  s[8] = 0x01;
  for (int i = 9; i < 25; i++) s[i] = 0;
  s[16] = 0x8000000000000000ull;
}

__attribute__((target("bmi,bmi2"))) void fpk_keccak256_node_bmi(uint8_t out[32], const uint8_t left[32],
                                                                 const uint8_t right[32]) {
  uint64_t s[25];
  node_state_le(s, left, right);
  keccak_p_plain(s);
  memcpy(out, s, 32);
}

__attribute__((target("bmi,bmi2"))) void fpk_keccak256_node_bmi_lc(uint8_t out[32], const uint8_t left[32],
                                                                    const uint8_t right[32]) {
  uint64_t s[25];
  node_state_le(s, left, right);
  s[1] = ~s[1];
  s[2] = ~s[2];
  s[8] = ~s[8];
  s[12] = ~s[12];
  s[17] = ~s[17];
  s[20] = ~s[20];
  keccak_p_lc(s);
  s[1] = ~s[1];
  s[2] = ~s[2];
  memcpy(out, s, 32);
}

__attribute__((target("bmi,bmi2"))) void fpk_keccak256_node_bmi_peeled(uint8_t out[32], const uint8_t left[32],
                                                                        const uint8_t right[32]) {
  uint64_t s[25];
  node_state_le(s, left, right);
  keccak_p_plain_peeled(s);
  memcpy(out, s, 32);
}

__attribute__((target("bmi,bmi2"))) void fpk_keccakf_bmi(uint64_t s[25]) { keccak_p_plain(s); }

int fpk_keccak_cpu_bmi2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
}

int fpk_keccak_cpu_avx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
int fpk_keccak_cpu_avx512(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}

typedef void (*nodes_fn)(uint8_t *, const uint8_t *, size_t);
typedef void (*node_fn)(uint8_t *, const uint8_t *, const uint8_t *);
typedef void (*perm_fn)(uint64_t *);
static nodes_fn chosen_nodes;
static perm_fn chosen_perm;
static node_fn chosen_node;
static const char *chosen_name;

/* Measured here (bench_keccak, loaded machine): one node with BMI and peeled rounds ~275 ns vs ~320 ns for
 * the baseline lane-complementing code; per hash in batches AVX-512x8 ~37 ns, AVX2x4 ~105 ns. Races
 * between first callers store the same values. */
static void choose(void) {
  if (__atomic_load_n(&chosen_nodes, __ATOMIC_ACQUIRE)) return;
  node_fn one = fpk_keccak_cpu_bmi2() ? fpk_keccak256_node_bmi_peeled : fpk_keccak256_node_lc_peeled;
  nodes_fn many;
  const char *name;
  int bmi = one == fpk_keccak256_node_bmi_peeled;
  if (fpk_keccak_cpu_avx512()) {
    many = fpk_keccak256_nodes_avx512;
    name = bmi ? "scalar-bmi+avx512x8" : "scalar-lc-peeled+avx512x8";
  } else if (fpk_keccak_cpu_avx2()) {
    many = fpk_keccak256_nodes_avx2;
    name = bmi ? "scalar-bmi+avx2x4" : "scalar-lc-peeled+avx2x4";
  } else {
    many = fpk_keccak256_nodes_scalar;
    name = "scalar-lc-peeled";
  }
  __atomic_store_n(&chosen_name, name, __ATOMIC_RELAXED);
  __atomic_store_n(&chosen_node, one, __ATOMIC_RELAXED);
  __atomic_store_n(&chosen_perm, bmi ? fpk_keccakf_bmi : fpk_keccakf_lc, __ATOMIC_RELAXED);
  __atomic_store_n(&chosen_nodes, many, __ATOMIC_RELEASE);
}

void fpk_keccak256_nodes_x86(uint8_t *out, const uint8_t *in, size_t n) {
  nodes_fn f = __atomic_load_n(&chosen_nodes, __ATOMIC_ACQUIRE);
  if (FPK_UNLIKELY(!f)) {
    choose();
    f = __atomic_load_n(&chosen_nodes, __ATOMIC_ACQUIRE);
  }
  f(out, in, n);
}

void fpk_keccak256_node_x86(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]) {
  node_fn f = __atomic_load_n(&chosen_node, __ATOMIC_ACQUIRE);
  if (FPK_UNLIKELY(!f)) {
    choose();
    f = __atomic_load_n(&chosen_node, __ATOMIC_ACQUIRE);
  }
  f(out, left, right);
}

void fpk_keccakf_x86(uint64_t s[25]) {
  perm_fn f = __atomic_load_n(&chosen_perm, __ATOMIC_ACQUIRE);
  if (FPK_UNLIKELY(!f)) {
    choose();
    f = __atomic_load_n(&chosen_perm, __ATOMIC_ACQUIRE);
  }
  f(s);
}

const char *fpk_keccak_impl_x86(void) {
  choose();
  return __atomic_load_n(&chosen_name, __ATOMIC_RELAXED);
}
#else
typedef int fpk_keccak_x86_unused; /* keeps the translation unit non-empty */
#endif
