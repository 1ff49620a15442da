/* fpp_snprintf against the C library's snprintf for every conversion the SDK supports. */
#include "test.h"

#include "fpkit/fpp.h"

void fpp_panic(const char *fmt, ...) {
  (void)fmt;
  abort();
}

#define CMP(...)                                                                       \
  do {                                                                                 \
    char x_[300], y_[300];                                                             \
    int nx_ = snprintf(x_, sizeof x_, __VA_ARGS__);                                    \
    int ny_ = fpp_snprintf(y_, sizeof y_, __VA_ARGS__);                                \
    CHECK(nx_ == ny_);                                                                 \
    CHECK(strcmp(x_, y_) == 0);                                                        \
    if (strcmp(x_, y_)) fprintf(stderr, "  libc \"%s\"\n  fpp  \"%s\"\n", x_, y_);     \
  } while (0)

static void test_sdk_fmt_integers(void) {
  static const long long v[] = {0, 1, -1, 7, -42, 123456789, -2147483648LL, 2147483647, INT64_MIN, INT64_MAX};
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    long long x = v[i];
    CMP("%lld|%llu|%llx|%llX|%llo", x, (unsigned long long)x, (unsigned long long)x, (unsigned long long)x,
        (unsigned long long)x);
    CMP("[%5d][%-5d][%05d][%+d][% d][%.3d][%8.3d][%-8.3d|]", (int)x, (int)x, (int)x, (int)x, (int)x, (int)x,
        (int)x, (int)x);
    CMP("[%#x][%#o][%#10x][%#010x][%.0d][%.0u]", (unsigned)x, (unsigned)x, (unsigned)x, (unsigned)x, (int)x,
        (unsigned)x);
    CMP("[%hhd][%hhu][%hd][%hu][%ld][%lu]", (signed char)x, (unsigned char)x, (short)x, (unsigned short)x, (long)x,
        (unsigned long)x);
    CMP("[%zu][%zx][%jd][%td][%i]", (size_t)x, (size_t)x, (intmax_t)x, (ptrdiff_t)x, (int)x);
    CMP("[%*d][%-*d][%.*d][%*.*x]", 7, (int)x, 7, (int)x, 4, (int)x, -6, 3, (unsigned)x);
  }
}

static void test_sdk_fmt_strings(void) {
  CMP("[%s][%10s][%-10s][%.2s][%5.1s][%c][%3c][%-3c][%%]", "hello", "hi", "hi", "hello", "xyz", 'q', 'r', 's');
  CMP("plain text, no conversions");
  CMP("%s", "");
  void *p = (void *)(uintptr_t)0x12345678abcull;
  CMP("%p %20p %-20p|", p, p, p);
}

static void test_sdk_fmt_truncation(void) {
  char buf[8];
  memset(buf, 'z', sizeof buf);
  CHECK(fpp_snprintf(buf, 5, "%d-%s", 12345, "abc") == 9);
  CHECK(strcmp(buf, "1234") == 0);
  CHECK(buf[5] == 'z');
  CHECK(fpp_snprintf(NULL, 0, "%s", "count me") == 8);
  CHECK(fpp_snprintf(buf, 1, "abc") == 3);
  CHECK(buf[0] == 0);
  char hex[9];
  CHECK(strcmp(fpp_hex(hex, "\x01\xab\xff\x00", 4), "01abff00") == 0);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_sdk_fmt_integers);
  RUN(test_sdk_fmt_strings);
  RUN(test_sdk_fmt_truncation);
  return fpk_test_main_end();
}
