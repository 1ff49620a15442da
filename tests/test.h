/* Minimal test harness shared by every test unit: CHECK is always on, failures print file:line and
 * the expression, and the process exits non-zero at the end if any check failed. */
#ifndef FPK_TEST_H
#define FPK_TEST_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/hex.h"

static int fpk_test_failures;
static int fpk_test_checks;
/* Directory of ../shared/vectors (passed as argv[1] by CTest); NULL if not given. */
static const char *fpk_test_vectors_dir;

#define CHECK(expr)                                                                  \
  do {                                                                               \
    fpk_test_checks++;                                                               \
    if (!(expr)) {                                                                   \
      fpk_test_failures++;                                                           \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #expr);      \
    }                                                                                \
  } while (0)

#define CHECK_EQ_U64(a, b)                                                                            \
  do {                                                                                                \
    uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);                                                  \
    fpk_test_checks++;                                                                                \
    if (_a != _b) {                                                                                   \
      fpk_test_failures++;                                                                            \
      fprintf(stderr, "%s:%d: CHECK_EQ failed: %s = 0x%" PRIx64 ", %s = 0x%" PRIx64 "\n", __FILE__, \
              __LINE__, #a, _a, #b, _b);                                                              \
    }                                                                                                 \
  } while (0)

/* Compare n bytes against an expected hex string (optional 0x). */
#define CHECK_HEX(buf, n, hexstr) fpk_test_check_hex(__FILE__, __LINE__, #buf, (const uint8_t *)(buf), (n), (hexstr))

static inline void fpk_test_check_hex(const char *file, int line, const char *what, const uint8_t *buf, size_t n,
                                      const char *hexstr) {
  fpk_test_checks++;
  size_t hl = strlen(hexstr);
  uint8_t *exp = malloc(hl / 2 + 1);
  long m = fpk_hex_decode(exp, hl / 2 + 1, hexstr, hl);
  if (m != (long)n || memcmp(exp, buf, n) != 0) {
    fpk_test_failures++;
    char *got = malloc(2 * n + 1);
    fpk_hex_encode(got, buf, n);
    fprintf(stderr, "%s:%d: CHECK_HEX failed for %s\n  got  %s\n  want %s\n", file, line, what, got, hexstr);
    free(got);
  }
  free(exp);
}

#define RUN(fn)                                   \
  do {                                            \
    int _before = fpk_test_failures;              \
    fn();                                         \
    fprintf(stderr, "%s %s\n", fpk_test_failures == _before ? "ok  " : "FAIL", #fn); \
  } while (0)

static inline int fpk_test_main_end(void) {
  fprintf(stderr, "%d checks, %d failures\n", fpk_test_checks, fpk_test_failures);
  return fpk_test_failures ? 1 : 0;
}

static inline void fpk_test_init(int argc, char **argv) {
  fpk_test_vectors_dir = argc > 1 ? argv[1] : NULL;
}

#endif
