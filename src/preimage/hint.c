/* Hint text parsing: "<type> <0x-hex data>", split on the first space. */
#include <string.h>

#include "fpkit/hex.h"
#include "fpkit/preimage.h"

int pre_hint_split(pre_hint_parts *out, const char *hint, size_t len) {
  const char *sp = len ? memchr(hint, ' ', len) : NULL;
  size_t tlen = sp ? (size_t)(sp - hint) : len;
  if (tlen == 0) return fpk_errf(FPK_EFORMAT, "hint: empty type");
  for (size_t i = 0; i < tlen; i++) {
    unsigned char ch = (unsigned char)hint[i];
    if (ch < 0x21 || ch > 0x7e) return fpk_errf(FPK_EFORMAT, "hint: type has byte 0x%02x at %zu", ch, i);
  }
  out->type = hint;
  out->type_len = tlen;
  out->data_hex = sp ? sp + 1 : NULL;
  out->data_hex_len = sp ? len - tlen - 1 : 0;
  return FPK_OK;
}

long pre_hint_data(uint8_t *out, size_t cap, const pre_hint_parts *p) {
  const char *h = p->data_hex;
  size_t n = p->data_hex_len;
  /* Same rule as the Go host: 0x prefix required, at least the prefix present. */
  if (!h || n < 2 || h[0] != '0' || (h[1] != 'x' && h[1] != 'X'))
    return fpk_errf(FPK_EFORMAT, "hint: data is not 0x-prefixed hex");
  if (n % 2) return fpk_errf(FPK_EFORMAT, "hint: data has an odd number of hex digits");
  long r = fpk_hex_decode(out, cap, h, n);
  if (r == FPK_ERANGE) return fpk_errf(FPK_ERANGE, "hint: data longer than %zu bytes", cap);
  if (r < 0) return fpk_errf(FPK_EFORMAT, "hint: data has a non-hex digit");
  return r;
}
