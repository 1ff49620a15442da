/* The SDK's 128-bit helpers (linked into MIPS64 programs in place of libgcc) against the host's
 * __int128 arithmetic, on edge values and random operands of every magnitude. */
#include "test.h"

#include "fpkit/fpp.h"

void fpp_panic(const char *fmt, ...) {
  (void)fmt;
  abort();
}

typedef unsigned __int128 u128;
typedef __int128 i128;
u128 fpp_udivmod128(u128 a, u128 b, u128 *rem);
u128 fpp_mul128(u128 a, u128 b);
i128 fpp_div128(i128 a, i128 b, i128 *rem);

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* Random value with a random number of significant bits (0..128). */
static u128 rnd(void) {
  u128 v = ((u128)next() << 64) | next();
  unsigned bits = (unsigned)(next() % 129);
  return bits == 0 ? 0 : bits == 128 ? v : v & (((u128)1 << bits) - 1);
}

static void test_sdk_int128_random(void) {
  int bad = 0;
  for (int i = 0; i < 200000; i++) {
    u128 a = rnd(), b = rnd(), r;
    if (fpp_mul128(a, b) != a * b) bad++;
    if (b == 0) continue;
    u128 q = fpp_udivmod128(a, b, &r);
    if (q != a / b || r != a % b) bad++;
    i128 sa = (i128)a, sb = (i128)b, sr;
    if (sb == -1) continue; /* INT128_MIN / -1 overflows in C */
    i128 sq = fpp_div128(sa, sb, &sr);
    if (sq != sa / sb || sr != sa % sb) bad++;
  }
  CHECK(bad == 0);
}

static void test_sdk_int128_edges(void) {
  const u128 max = ~(u128)0, top = (u128)1 << 127;
  u128 r;
  CHECK(fpp_udivmod128(max, 1, &r) == max && r == 0);
  CHECK(fpp_udivmod128(max, max, &r) == 1 && r == 0);
  CHECK(fpp_udivmod128(top, 3, &r) == top / 3 && r == top % 3);
  CHECK(fpp_udivmod128(5, max, &r) == 0 && r == 5);
  CHECK(fpp_mul128(max, max) == 1);
  i128 sr;
  CHECK(fpp_div128(-7, 2, &sr) == -3 && sr == -1);
  CHECK(fpp_div128(7, -2, &sr) == -3 && sr == 1);
  CHECK(fpp_div128((i128)top, 1, &sr) == (i128)top && sr == 0);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_sdk_int128_random);
  RUN(test_sdk_int128_edges);
  return fpk_test_main_end();
}
