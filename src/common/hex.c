#include "fpkit/hex.h"

#include "fpkit/fpk.h"

void fpk_hex_encode(char *out, const uint8_t *in, size_t n) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 15];
  }
  out[2 * n] = 0;
}

static int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

long fpk_hex_decode(uint8_t *out, size_t cap, const char *in, size_t inlen) {
  if (inlen >= 2 && in[0] == '0' && (in[1] == 'x' || in[1] == 'X')) {
    in += 2;
    inlen -= 2;
  }
  if (inlen % 2) return FPK_EFORMAT;
  if (inlen / 2 > cap) return FPK_ERANGE;
  for (size_t i = 0; i < inlen / 2; i++) {
    int hi = nibble(in[2 * i]), lo = nibble(in[2 * i + 1]);
    if (hi < 0 || lo < 0) return FPK_EFORMAT;
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  return (long)(inlen / 2);
}
