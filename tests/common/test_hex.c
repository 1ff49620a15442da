/* Hex encoding and decoding: round trips, prefixes, case, and every error path. */
#include "fpkit/fpk.h"
#include "fpkit/hex.h"
#include "test.h"

static void test_encode(void) {
  char s[2 * 4 + 1];
  const uint8_t b[4] = {0x00, 0x9f, 0xa0, 0xff};
  fpk_hex_encode(s, b, 4);
  CHECK(strcmp(s, "009fa0ff") == 0);
  fpk_hex_encode(s, b, 0);
  CHECK(s[0] == 0);
}

static void test_decode(void) {
  uint8_t out[8];
  CHECK(fpk_hex_decode(out, sizeof out, "009fA0Ff", 8) == 4);
  CHECK(out[0] == 0x00 && out[1] == 0x9f && out[2] == 0xa0 && out[3] == 0xff);
  CHECK(fpk_hex_decode(out, sizeof out, "0x0102", 6) == 2 && out[0] == 1 && out[1] == 2);
  CHECK(fpk_hex_decode(out, sizeof out, "0X0a", 4) == 1 && out[0] == 0x0a);
  CHECK(fpk_hex_decode(out, sizeof out, "", 0) == 0);
  CHECK(fpk_hex_decode(out, sizeof out, "0x", 2) == 0);
  CHECK(fpk_hex_decode(out, sizeof out, "abc", 3) == FPK_EFORMAT);     /* odd length */
  CHECK(fpk_hex_decode(out, sizeof out, "0g", 2) == FPK_EFORMAT);      /* bad digit */
  CHECK(fpk_hex_decode(out, sizeof out, "g0", 2) == FPK_EFORMAT);
  CHECK(fpk_hex_decode(out, sizeof out, "0 ", 2) == FPK_EFORMAT);
  CHECK(fpk_hex_decode(out, 1, "0102", 4) == FPK_ERANGE);              /* does not fit */
  CHECK(fpk_hex_decode(out, sizeof out, "0102", 2) == 1 && out[0] == 1); /* inlen bounds the read */
}

static void test_roundtrip(void) {
  uint8_t b[256], back[256];
  char s[513];
  for (int i = 0; i < 256; i++) b[i] = (uint8_t)i;
  fpk_hex_encode(s, b, 256);
  CHECK(strlen(s) == 512);
  CHECK(fpk_hex_decode(back, sizeof back, s, 512) == 256);
  CHECK(memcmp(b, back, 256) == 0);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_encode);
  RUN(test_decode);
  RUN(test_roundtrip);
  return fpk_test_main_end();
}
