/* Go fmt.Sprintf(format, step) for Cannon's --proof-fmt / --snapshot-fmt, so file names come out as
 * Cannon would name them (including its %!… markers for odd patterns). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_internal.h"
#include "common/sbuf.h"


static void sb_pad(fpk_sbuf *b, char c, size_t n) {
  for (size_t i = 0; i < n; i++) fpk_sbuf_put(b, &c, 1);
}

/* Digits of v in base (lowercase unless upper). */
static size_t digits(char *out, uint64_t v, unsigned base, bool upper) {
  const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[70];
  size_t n = 0;
  do {
    tmp[n++] = d[v % base];
    v /= base;
  } while (v);
  for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  out[n] = 0;
  return n;
}

typedef struct {
  bool minus, plus, space, sharp, zero;
  bool has_width, has_prec;
  size_t width, prec;
} spec;

static void fmt_int(fpk_sbuf *b, uint64_t v, char verb, const spec *s) {
  unsigned base = 10;
  const char *prefix = "";
  switch (verb) {
  case 'x': base = 16; prefix = s->sharp ? "0x" : ""; break;
  case 'X': base = 16; prefix = s->sharp ? "0X" : ""; break;
  case 'o': base = 8; prefix = s->sharp ? "0" : ""; break;
  case 'O': base = 8; prefix = "0o"; break;
  case 'b': base = 2; prefix = s->sharp ? "0b" : ""; break;
  default: break;
  }
  char num[80];
  size_t nd = digits(num, v, base, verb == 'X');
  if (s->has_prec && s->prec == 0 && v == 0) nd = 0, num[0] = 0; /* Go prints nothing */
  if (verb == 'o' && s->sharp && num[0] == '0') prefix = "";
  size_t zeros = s->has_prec && s->prec > nd ? s->prec - nd : 0;
  const char *sign = s->plus ? "+" : s->space ? " " : "";
  size_t body = strlen(sign) + strlen(prefix) + zeros + nd;
  size_t pad = s->has_width && s->width > body ? s->width - body : 0;
  if (s->zero && !s->minus && !s->has_prec) { /* zero padding goes after sign and prefix */
    zeros += pad;
    pad = 0;
  }
  if (!s->minus) sb_pad(b, ' ', pad);
  fpk_sbuf_str(b, sign);
  fpk_sbuf_str(b, prefix);
  sb_pad(b, '0', zeros);
  fpk_sbuf_put(b, num, nd);
  if (s->minus) sb_pad(b, ' ', pad);
}

char *fpvm_run_sprintf_u64(const char *f, uint64_t v) {
  fpk_sbuf b = {0};
  bool used = false;
  char dec[32];
  snprintf(dec, sizeof dec, "%llu", (unsigned long long)v);
  fpk_sbuf_put(&b, "", 0);
  for (size_t i = 0; f[i];) {
    if (f[i] != '%') {
      size_t j = i;
      while (f[j] && f[j] != '%') j++;
      fpk_sbuf_put(&b, f + i, j - i);
      i = j;
      continue;
    }
    i++;
    spec s = {0};
    for (;; i++) {
      char c = f[i];
      if (c == '-') s.minus = true;
      else if (c == '+') s.plus = true;
      else if (c == ' ') s.space = true;
      else if (c == '#') s.sharp = true;
      else if (c == '0') s.zero = true;
      else break;
    }
    while (f[i] >= '0' && f[i] <= '9') {
      s.has_width = true;
      s.width = s.width * 10 + (size_t)(f[i++] - '0');
      if (s.width > 1000000) s.width = 1000000;
    }
    if (f[i] == '.') {
      i++;
      s.has_prec = true;
      while (f[i] >= '0' && f[i] <= '9') {
        s.prec = s.prec * 10 + (size_t)(f[i++] - '0');
        if (s.prec > 1000000) s.prec = 1000000;
      }
    }
    char verb = f[i];
    if (!verb) {
      fpk_sbuf_str(&b, "%!(NOVERB)");
      break;
    }
    i++;
    if (verb == '%') {
      fpk_sbuf_put(&b, "%", 1);
      continue;
    }
    char tmp[64];
    if (used) {
      snprintf(tmp, sizeof tmp, "%%!%c(MISSING)", verb);
      fpk_sbuf_str(&b, tmp);
      continue;
    }
    used = true;
    if (strchr("dvxXoOb", verb)) {
      fmt_int(&b, v, verb == 'v' ? 'd' : verb, &s);
    } else {
      snprintf(tmp, sizeof tmp, "%%!%c(uint64=%s)", verb, dec);
      fpk_sbuf_str(&b, tmp);
    }
  }
  if (!used) {
    fpk_sbuf_str(&b, "%!(EXTRA uint64=");
    fpk_sbuf_str(&b, dec);
    fpk_sbuf_str(&b, ")");
  }
  if (b.oom) {
    free(b.p);
    return NULL;
  }
  return b.p;
}
