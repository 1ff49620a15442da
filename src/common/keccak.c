/* Keccak-256 with Ethereum's legacy padding (0x01 ... 0x80), portable 64-bit lanes.
 * Freestanding: no libc beyond what the SDK also provides. */
#include "fpkit/keccak.h"

#define RATE 136

static const uint64_t RC[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull};

static inline uint64_t rol(uint64_t x, unsigned n) { return (x << n) | (x >> ((64 - n) & 63)); }

static const unsigned ROT[25] = {0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14};

void fpk_keccakf(uint64_t s[25]) {
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
    s[0] ^= RC[r];
  }
}

static inline uint64_t load64le(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
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
    ctx->st[ctx->pos / 8] ^= (uint64_t)*p++ << (8 * (ctx->pos % 8));
    len--;
    if (++ctx->pos == RATE) {
      fpk_keccakf(ctx->st);
      ctx->pos = 0;
    }
  }
}

void fpk_keccak_final(fpk_keccak_ctx *ctx, uint8_t out[32]) {
  ctx->st[ctx->pos / 8] ^= (uint64_t)0x01 << (8 * (ctx->pos % 8));
  ctx->st[(RATE - 1) / 8] ^= (uint64_t)0x80 << (8 * ((RATE - 1) % 8));
  fpk_keccakf(ctx->st);
  for (int i = 0; i < 32; i++) out[i] = (uint8_t)(ctx->st[i / 8] >> (8 * (i % 8)));
}

void fpk_keccak256(uint8_t out[32], const void *data, size_t len) {
  fpk_keccak_ctx c;
  fpk_keccak_init(&c);
  fpk_keccak_update(&c, data, len);
  fpk_keccak_final(&c, out);
}

void fpk_keccak256_node(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]) {
  uint64_t s[25] = {0};
  for (int i = 0; i < 4; i++) s[i] = load64le(left + 8 * i);
  for (int i = 0; i < 4; i++) s[4 + i] = load64le(right + 8 * i);
  s[8] = 0x01;
  s[16] = 0x8000000000000000ull;
  fpk_keccakf(s);
  for (int i = 0; i < 32; i++) out[i] = (uint8_t)(s[i / 8] >> (8 * (i % 8)));
}

void fpk_keccak256_nodes(uint8_t *out, const uint8_t *in, size_t n) {
  for (size_t i = 0; i < n; i++) fpk_keccak256_node(out + 32 * i, in + 64 * i, in + 64 * i + 32);
}

const char *fpk_keccak_impl(void) { return "portable"; }
