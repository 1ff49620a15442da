/* The SDK checking itself where it really runs: freestanding, natively and on MIPS64 (qemu, the VM).
 * No preimage I/O. Exit 0 when every check passes, 1 otherwise. */
#include "../fingerprint.h"
#include "fpkit/fpp.h"

static int failures;

#define EXPECT(c)                                             \
  do {                                                        \
    if (!(c)) {                                               \
      failures++;                                             \
      fpp_eprintf("selftest:%d: failed: %s\n", __LINE__, #c); \
    }                                                         \
  } while (0)

static void check_hashes(void) {
  uint8_t h[32], fp[32];
  char hex[65];
  fpk_keccak256(h, "", 0);
  EXPECT(!fpp_strcmp(fpp_hex(hex, h, 32), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"));
  fpp_sha256(h, "abc", 3);
  EXPECT(!fpp_strcmp(fpp_hex(hex, h, 32), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  fpp_fingerprint(fp, fpp_sha256);
  EXPECT(!fpp_strcmp(fpp_hex(hex, fp, 32), FPP_FINGERPRINT));
}

static void check_heap(void) {
  enum { N = 300 };
  uint8_t *p[N];
  size_t len[N];
  for (int i = 0; i < N; i++) {
    len[i] = (size_t)(i * 97) % 5000;
    p[i] = fpp_malloc(len[i]);
    EXPECT(p[i] && ((uintptr_t)p[i] & 15) == 0);
    fpp_memset(p[i], i, len[i]);
  }
  for (int i = 0; i < N; i += 2) fpp_free(p[i]);
  for (int i = 0; i < N; i += 2) {
    p[i] = fpp_calloc(1, len[i]);
    for (size_t k = 0; k < len[i]; k++) EXPECT(p[i][k] == 0);
  }
  for (int i = 1; i < N; i += 2)
    for (size_t k = 0; k < len[i]; k++)
      if (p[i][k] != (uint8_t)i) {
        failures++;
        break;
      }
  /* The standard names go to the same heap. */
  void *m = malloc(33);
  EXPECT(m != NULL);
  free(m);
  uint8_t *big = fpp_malloc((size_t)64 << 20); /* 64 MiB: address space only, until touched */
  EXPECT(big != NULL);
  if (big) big[((size_t)64 << 20) - 1] = 1;
}

static void check_fmt(void) {
  char b[128];
  fpp_snprintf(b, sizeof b, "%d|%5u|%-4x|%08llx|%s|%c|%%", -12, 34u, 0xabu, 0x1234abcdull, "str", 'z');
  EXPECT(!fpp_strcmp(b, "-12|   34|ab  |1234abcd|str|z|%"));
  EXPECT(fpp_snprintf(b, 4, "%s", "truncated") == 9 && !fpp_strcmp(b, "tru"));
  /* memcpy/memmove the compiler may emit for struct copies and overlapping moves */
  char s[16] = "abcdefghij";
  fpp_memmove(s + 2, s, 8);
  EXPECT(!fpp_memcmp(s, "ababcdefgh", 10));
  uint64_t x = 0x0102030405060708ull, y;
  fpp_memcpy(&y, &x, 8);
  EXPECT(y == x);
}

/* Division, 128-bit multiply and shifts: compiled to ddivu/dmultu/dsrav etc., which the VM must run. */
static void check_arith(void) {
  volatile uint64_t a = 0xfedcba9876543210ull, b = 12345;
  EXPECT(a / b == 0x548fd367c6dfeull && a % b == 0x1482ull);
  volatile int64_t c = -1000000007, d = 37;
  EXPECT(c / d == -27027027 && c % d == -8);
  unsigned __int128 m = (unsigned __int128)a * a;
  EXPECT((uint64_t)(m >> 64) == 0xfdbac097c8dc5accull && (uint64_t)m == 0xdeec6cd7a44a4100ull);
  /* 128-bit division: the SDK's own __udivti3/__divti3 on MIPS64 (libgcc natively) */
  volatile unsigned __int128 u = ((unsigned __int128)0x123456789abcdefull << 64) | 0xfedcba9876543210ull;
  volatile unsigned __int128 v = 0x1234567;
  unsigned __int128 q = u / v, r = u % v;
  EXPECT((uint64_t)(q >> 64) == 0x100000079ull && (uint64_t)q == 0x3920001b0020ull && (uint64_t)r == 0xe8530);
  volatile __int128 s = -((__int128)1 << 100), t = 12345;
  __int128 sq = s / t, sr = s % t;
  EXPECT((uint64_t)sq == 0x38e7183de12f428cull && (uint64_t)(sq >> 64) == 0xffffffffffab0f88ull && sr == -4396);
}

int main(void) {
  check_hashes();
  check_heap();
  check_fmt();
  check_arith();
  if (failures) {
    fpp_eprintf("selftest: %d failures\n", failures);
    return 1;
  }
  fpp_printf("selftest: ok (heap used %zu bytes)\n", fpp_heap_used());
  return 0;
}
