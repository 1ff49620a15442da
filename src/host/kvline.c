/* "0x<key> 0x<value>": the line format prefetch commands print and `fphost put --stdin` reads. */
#include <stdlib.h>
#include <string.h>

#include "fpkit/hex.h"
#include "host/oracle.h"

int fph_kv_line(const char *line, size_t n, uint8_t key[32], uint8_t **val, size_t *len) {
  while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t')) n--;
  const char *sp = memchr(line, ' ', n);
  if (!sp) return fpk_errf(FPK_EFORMAT, "key/value line: want '0x<key> 0x<value>'");
  size_t kl = (size_t)(sp - line);
  const char *v = sp + 1;
  size_t vl = n - kl - 1;
  if (kl != 66 || line[0] != '0' || line[1] != 'x' || fpk_hex_decode(key, 32, line, kl) != 32)
    return fpk_errf(FPK_EFORMAT, "key/value line: key is not 0x + 64 hex digits");
  if (vl < 2 || v[0] != '0' || v[1] != 'x' || vl % 2)
    return fpk_errf(FPK_EFORMAT, "key/value line: value is not 0x-prefixed even-length hex");
  uint8_t *buf = malloc(vl / 2 ? vl / 2 : 1);
  if (!buf) return fpk_errf(FPK_ENOMEM, "key/value line: %zu bytes", vl / 2);
  long r = fpk_hex_decode(buf, vl / 2, v, vl);
  if (r < 0) {
    free(buf);
    return fpk_errf(FPK_EFORMAT, "key/value line: value has a non-hex digit");
  }
  *val = buf;
  *len = (size_t)r;
  return FPK_OK;
}
