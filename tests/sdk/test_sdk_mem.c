/* The SDK's mem and str functions against libc, over every small length and misalignment. */
#include "test.h"

#include "fpkit/fpp.h"

void fpp_panic(const char *fmt, ...) {
  (void)fmt;
  abort();
}

static uint8_t src[200], a[200], b[200];

static void fill(uint8_t *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(i * 37 + seed);
}

static void test_sdk_mem_memcpy_memset(void) {
  fill(src, sizeof src, 1);
  int bad = 0;
  for (size_t so = 0; so < 16; so++)
    for (size_t d = 0; d < 16; d++)
      for (size_t n = 0; n <= 80; n++) {
        fill(a, sizeof a, 9);
        fill(b, sizeof b, 9);
        CHECK(fpp_memcpy(a + d, src + so, n) == a + d);
        memcpy(b + d, src + so, n);
        bad += memcmp(a, b, sizeof a) != 0;
        fpp_memset(a + d, (int)(n + 0x100), n); /* only the low byte counts */
        memset(b + d, (int)(n + 0x100), n);
        bad += memcmp(a, b, sizeof a) != 0;
      }
  CHECK(bad == 0);
}

static void test_sdk_mem_memmove(void) {
  int bad = 0;
  for (size_t s = 0; s < 24; s++)
    for (size_t d = 0; d < 24; d++)
      for (size_t n = 0; n <= 100; n++) {
        fill(a, sizeof a, 3);
        fill(b, sizeof b, 3);
        fpp_memmove(a + d, a + s, n);
        memmove(b + d, b + s, n);
        bad += memcmp(a, b, sizeof a) != 0;
      }
  CHECK(bad == 0);
}

static int sign(int x) { return (x > 0) - (x < 0); }

static void test_sdk_mem_memcmp(void) {
  fill(a, sizeof a, 5);
  int bad = 0;
  for (size_t n = 0; n <= 64; n++)
    for (size_t pos = 0; pos < 64; pos++)
      for (int delta = -1; delta <= 1; delta++) {
        memcpy(b, a, sizeof a);
        b[pos] = (uint8_t)(b[pos] + delta);
        bad += sign(fpp_memcmp(a, b, n)) != sign(memcmp(a, b, n));
      }
  CHECK(bad == 0);
  uint8_t x = 0x80, y = 0x7f; /* unsigned byte compare */
  CHECK(fpp_memcmp(&x, &y, 1) > 0);
}

static void test_sdk_mem_strings(void) {
  static const char *const s[] = {"", "a", "ab", "abc", "abd", "b", "\x80", "abcdefghijklmnop"};
  size_t n = sizeof s / sizeof s[0];
  for (size_t i = 0; i < n; i++) {
    CHECK_EQ_U64(fpp_strlen(s[i]), strlen(s[i]));
    CHECK_EQ_U64(fpp_strnlen(s[i], 2), strnlen(s[i], 2));
    for (size_t j = 0; j < n; j++) {
      CHECK(sign(fpp_strcmp(s[i], s[j])) == sign(strcmp(s[i], s[j])));
      for (size_t k = 0; k < 5; k++) CHECK(sign(fpp_strncmp(s[i], s[j], k)) == sign(strncmp(s[i], s[j], k)));
    }
    for (int c = 0; c < 256; c += 17) CHECK(fpp_strchr(s[i], c) == strchr(s[i], c));
    CHECK(fpp_strchr(s[i], 0) == s[i] + strlen(s[i]));
  }
  char d[4];
  CHECK_EQ_U64(fpp_strlcpy(d, "hello", sizeof d), 5);
  CHECK(strcmp(d, "hel") == 0);
  CHECK_EQ_U64(fpp_strlcpy(d, "hi", sizeof d), 2);
  CHECK(strcmp(d, "hi") == 0);
  d[0] = 'x';
  CHECK_EQ_U64(fpp_strlcpy(d, "hi", 0), 2);
  CHECK(d[0] == 'x');
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_sdk_mem_memcpy_memset);
  RUN(test_sdk_mem_memmove);
  RUN(test_sdk_mem_memcmp);
  RUN(test_sdk_mem_strings);
  return fpk_test_main_end();
}
