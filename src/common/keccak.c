/* Keccak-256 with Ethereum's legacy padding (0x01 ... 0x80), portable 64-bit lanes.
 * Freestanding: no libc at all (the SDK compiles this file for the MIPS64 guest with -ffreestanding).
 * The hot permutation is the generated, unrolled, lane-complementing one in keccak_perm.h; the
 * textbook loop stays as fpk_keccakf_ref, the reference the tests compare everything against.
 * On hosted x86-64 builds fpk_keccak256_nodes dispatches to the SIMD code in keccak_x86.c. */
#include "fpkit/keccak.h"

#include "common/keccak_impl.h"

#define RATE 136
#define FPK_KECCAK_INLINE inline __attribute__((always_inline))

const uint64_t fpk_keccak_rc[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull};

#include "common/keccak_perm.h"

static inline uint64_t rol(uint64_t x, unsigned n) { return (x << n) | (x >> ((64 - n) & 63)); }

static const unsigned ROT[25] = {0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14};

void fpk_keccakf_ref(uint64_t s[25]) {
  for (int r = 0; r < 24; r++) {
    uint64_t c[5], d[5], b[25];
    for (int x = 0; x < 5; x++) c[x] = s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20];
    for (int x = 0; x < 5; x++) d[x] = c[(x + 4) % 5] ^ rol(c[(x + 1) % 5], 1);
    for (int i = 0; i < 25; i++) s[i] ^= d[i % 5];
    /* rho + pi: B[y][2x+3y] = rot(A[x][y]) */
    for (int x = 0; x < 5; x++)
      for (int y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rol(s[x + 5 * y], ROT[x + 5 * y]);
    for (int y = 0; y < 5; y++)
      for (int x = 0; x < 5; x++) s[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
    s[0] ^= fpk_keccak_rc[r];
  }
}

/* The complemented lanes of keccak_p_lc: flipping them before and after gives the standard permutation. */
static inline void complement_lanes(uint64_t s[25]) {
  s[1] = ~s[1];
  s[2] = ~s[2];
  s[8] = ~s[8];
  s[12] = ~s[12];
  s[17] = ~s[17];
  s[20] = ~s[20];
}

void fpk_keccakf_lc(uint64_t s[25]) {
  complement_lanes(s);
  keccak_p_lc(s);
  complement_lanes(s);
}

void fpk_keccakf(uint64_t s[25]) {
#ifdef FPK_KECCAK_HAVE_X86
  fpk_keccakf_x86(s);
#else
  fpk_keccakf_lc(s);
#endif
}

/* Byte-wise so that the result does not depend on host byte order or alignment (compilers turn these
 * into single loads/stores on little-endian targets). */
static inline uint64_t load64le(const uint8_t *p) {
  return (uint64_t)p[0] | ((uint64_t)p[1] << 8) | ((uint64_t)p[2] << 16) | ((uint64_t)p[3] << 24) |
         ((uint64_t)p[4] << 32) | ((uint64_t)p[5] << 40) | ((uint64_t)p[6] << 48) | ((uint64_t)p[7] << 56);
}
static inline void store64le(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

void fpk_keccak_init(fpk_keccak_ctx *ctx) {
  for (int i = 0; i < 25; i++) ctx->st[i] = 0;
  ctx->pos = 0;
}

void fpk_keccak_update(fpk_keccak_ctx *ctx, const void *data, size_t len) {
  const uint8_t *p = data;
  while (len) {
    if (ctx->pos == 0 && len >= RATE) {
      for (int i = 0; i < RATE / 8; i++) ctx->st[i] ^= load64le(p + 8 * i);
      fpk_keccakf(ctx->st);
      p += RATE;
      len -= RATE;
      continue;
    }
    if (ctx->pos % 8 == 0 && len >= 8) { /* whole lanes inside a partial block */
      ctx->st[ctx->pos / 8] ^= load64le(p);
      p += 8;
      len -= 8;
      ctx->pos += 8;
    } else {
      ctx->st[ctx->pos / 8] ^= (uint64_t)*p++ << (8 * (ctx->pos % 8));
      len--;
      ctx->pos++;
    }
    if (ctx->pos == RATE) {
      fpk_keccakf(ctx->st);
      ctx->pos = 0;
    }
  }
}

void fpk_keccak_final(fpk_keccak_ctx *ctx, uint8_t out[32]) {
  ctx->st[ctx->pos / 8] ^= (uint64_t)0x01 << (8 * (ctx->pos % 8));
  ctx->st[(RATE - 1) / 8] ^= (uint64_t)0x80 << (8 * ((RATE - 1) % 8));
  fpk_keccakf(ctx->st);
  for (int i = 0; i < 4; i++) store64le(out + 8 * i, ctx->st[i]);
}

void fpk_keccak256(uint8_t out[32], const void *data, size_t len) {
  fpk_keccak_ctx c;
  fpk_keccak_init(&c);
  fpk_keccak_update(&c, data, len);
  fpk_keccak_final(&c, out);
}

/* A 64-byte message fills lanes 0..7; padding puts 0x01 in lane 8 and 0x80 at the top of lane 16. */
static inline void node_state(uint64_t s[25], const uint8_t left[32], const uint8_t right[32]) {
  for (int i = 0; i < 4; i++) s[i] = load64le(left + 8 * i);
  for (int i = 0; i < 4; i++) s[4 + i] = load64le(right + 8 * i);
  s[8] = 0x01;
  for (int i = 9; i < 25; i++) s[i] = 0;
  s[16] = 0x8000000000000000ull;
}

void fpk_keccak256_node_ref(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]) {
  uint64_t s[25];
  node_state(s, left, right);
  fpk_keccakf_ref(s);
  for (int i = 0; i < 4; i++) store64le(out + 8 * i, s[i]);
}

void fpk_keccak256_node_plain(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]) {
  uint64_t s[25];
  node_state(s, left, right);
  keccak_p_plain(s);
  for (int i = 0; i < 4; i++) store64le(out + 8 * i, s[i]);
}

void fpk_keccak256_node_lc(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]) {
  uint64_t s[25];
  node_state(s, left, right);
  complement_lanes(s);
  keccak_p_lc(s);
  s[1] = ~s[1];
  s[2] = ~s[2];
  for (int i = 0; i < 4; i++) store64le(out + 8 * i, s[i]);
}

void fpk_keccak256_node_lc_peeled(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]) {
  uint64_t s[25];
  node_state(s, left, right);
  complement_lanes(s);
  keccak_p_lc_peeled(s);
  s[1] = ~s[1];
  s[2] = ~s[2];
  for (int i = 0; i < 4; i++) store64le(out + 8 * i, s[i]);
}

void fpk_keccak256_node(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]) {
#ifdef FPK_KECCAK_HAVE_X86
  fpk_keccak256_node_x86(out, left, right);
#else
  fpk_keccak256_node_lc_peeled(out, left, right);
#endif
}

void fpk_keccak256_nodes_scalar(uint8_t *out, const uint8_t *in, size_t n) {
  for (size_t i = 0; i < n; i++) fpk_keccak256_node_lc_peeled(out + 32 * i, in + 64 * i, in + 64 * i + 32);
}

void fpk_keccak256_nodes(uint8_t *out, const uint8_t *in, size_t n) {
#ifdef FPK_KECCAK_HAVE_X86
  fpk_keccak256_nodes_x86(out, in, n);
#else
  fpk_keccak256_nodes_scalar(out, in, n);
#endif
}

const char *fpk_keccak_impl(void) {
#ifdef FPK_KECCAK_HAVE_X86
  return fpk_keccak_impl_x86();
#else
  return "scalar-lc-peeled";
#endif
}
