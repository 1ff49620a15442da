/* fpp_vsnprintf: the printf subset a proof program needs (integers, strings, pointers, hex dumps),
 * no floating point, no locale, no allocation. */
#include "fpkit/fpp.h"

typedef struct {
  char *buf;
  size_t size, len; /* len counts every byte produced, stored or not */
} out_t;

static void put(out_t *o, char c) {
  if (o->len + 1 < o->size) o->buf[o->len] = c;
  o->len++;
}

static void pad(out_t *o, char c, int n) {
  while (n-- > 0) put(o, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16 };

typedef struct {
  int flags, width, prec; /* prec < 0: none */
} spec_t;

static void emit_str(out_t *o, const spec_t *sp, const char *s, size_t n) {
  int w = sp->width > (int)n ? sp->width - (int)n : 0;
  if (!(sp->flags & F_LEFT)) pad(o, ' ', w);
  for (size_t i = 0; i < n; i++) put(o, s[i]);
  if (sp->flags & F_LEFT) pad(o, ' ', w);
}

static void emit_int(out_t *o, const spec_t *sp, uint64_t mag, bool neg, unsigned base, bool upper,
                     const char *prefix) {
  char digits[24];
  int nd = 0;
  const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  while (mag) {
    digits[nd++] = set[mag % base];
    mag /= base;
  }
  /* C: precision 0 with value 0 prints no digits; default precision 1. */
  int prec = sp->prec < 0 ? 1 : sp->prec;
  int zeros = prec > nd ? prec - nd : 0;
  char sign = neg ? '-' : (sp->flags & F_PLUS) ? '+' : (sp->flags & F_SPACE) ? ' ' : 0;
  int plen = prefix ? (int)fpp_strlen(prefix) : 0;
  int body = nd + zeros + (sign ? 1 : 0) + plen;
  int w = sp->width > body ? sp->width - body : 0;
  bool zero_pad = (sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0;
  if (!(sp->flags & F_LEFT) && !zero_pad) pad(o, ' ', w);
  if (sign) put(o, sign);
  for (int i = 0; i < plen; i++) put(o, prefix[i]);
  if (zero_pad) pad(o, '0', w);
  pad(o, '0', zeros);
  while (nd) put(o, digits[--nd]);
  if (sp->flags & F_LEFT) pad(o, ' ', w);
}

enum { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_SIZE, L_MAX, L_PTRDIFF };

static uint64_t arg_unsigned(va_list *ap, int len) {
  switch (len) {
  case L_CHAR: return (unsigned char)va_arg(*ap, unsigned);
  case L_SHORT: return (unsigned short)va_arg(*ap, unsigned);
  case L_LONG: return va_arg(*ap, unsigned long);
  case L_LLONG: return va_arg(*ap, unsigned long long);
  case L_SIZE: return va_arg(*ap, size_t);
  case L_MAX: return va_arg(*ap, uintmax_t);
  case L_PTRDIFF: return (uint64_t)va_arg(*ap, ptrdiff_t);
  default: return va_arg(*ap, unsigned);
  }
}

static int64_t arg_signed(va_list *ap, int len) {
  switch (len) {
  case L_CHAR: return (signed char)va_arg(*ap, int);
  case L_SHORT: return (short)va_arg(*ap, int);
  case L_LONG: return va_arg(*ap, long);
  case L_LLONG: return va_arg(*ap, long long);
  case L_SIZE: return (int64_t)va_arg(*ap, size_t);
  case L_MAX: return va_arg(*ap, intmax_t);
  case L_PTRDIFF: return va_arg(*ap, ptrdiff_t);
  default: return va_arg(*ap, int);
  }
}

static int parse_num(const char **f) {
  int n = 0;
  while (**f >= '0' && **f <= '9') {
    if (n < 100000000) n = n * 10 + (**f - '0');
    (*f)++;
  }
  return n;
}

int fpp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap0) {
  out_t o = {buf, size, 0};
  va_list ap;
  va_copy(ap, ap0);
  for (const char *f = fmt; *f; f++) {
    if (*f != '%') {
      put(&o, *f);
      continue;
    }
    f++;
    spec_t sp = {0, 0, -1};
    for (;; f++) {
      if (*f == '-') sp.flags |= F_LEFT;
      else if (*f == '0') sp.flags |= F_ZERO;
      else if (*f == '+') sp.flags |= F_PLUS;
      else if (*f == ' ') sp.flags |= F_SPACE;
      else if (*f == '#') sp.flags |= F_ALT;
      else break;
    }
    if (*f == '*') {
      sp.width = va_arg(ap, int);
      if (sp.width < 0) {
        sp.flags |= F_LEFT;
        sp.width = sp.width == -2147483647 - 1 ? 0 : -sp.width;
      }
      f++;
    } else {
      sp.width = parse_num(&f);
    }
    if (*f == '.') {
      f++;
      if (*f == '*') {
        sp.prec = va_arg(ap, int);
        if (sp.prec < 0) sp.prec = -1;
        f++;
      } else {
        sp.prec = parse_num(&f);
      }
    }
    int len = L_INT;
    if (*f == 'h') { len = L_SHORT; if (*++f == 'h') { len = L_CHAR; f++; } }
    else if (*f == 'l') { len = L_LONG; if (*++f == 'l') { len = L_LLONG; f++; } }
    else if (*f == 'z') { len = L_SIZE; f++; }
    else if (*f == 'j') { len = L_MAX; f++; }
    else if (*f == 't') { len = L_PTRDIFF; f++; }
    switch (*f) {
    case 'd':
    case 'i': {
      int64_t v = arg_signed(&ap, len);
      uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
      emit_int(&o, &sp, mag, v < 0, 10, false, NULL);
      break;
    }
    case 'u': emit_int(&o, &sp, arg_unsigned(&ap, len), false, 10, false, NULL); break;
    case 'x':
    case 'X': {
      uint64_t v = arg_unsigned(&ap, len);
      const char *pre = (sp.flags & F_ALT) && v ? (*f == 'x' ? "0x" : "0X") : NULL;
      emit_int(&o, &sp, v, false, 16, *f == 'X', pre);
      break;
    }
    case 'o': {
      uint64_t v = arg_unsigned(&ap, len);
      emit_int(&o, &sp, v, false, 8, false, (sp.flags & F_ALT) && v ? "0" : NULL);
      break;
    }
    case 'p': {
      void *p = va_arg(ap, void *);
      spec_t ps = sp;
      ps.flags &= F_LEFT;
      ps.prec = -1;
      emit_int(&o, &ps, (uint64_t)(uintptr_t)p, false, 16, false, "0x");
      break;
    }
    case 'c': {
      char c = (char)va_arg(ap, int);
      emit_str(&o, &sp, &c, 1);
      break;
    }
    case 's': {
      const char *s = va_arg(ap, const char *);
      if (!s) s = "(null)";
      size_t n = sp.prec >= 0 ? fpp_strnlen(s, (size_t)sp.prec) : fpp_strlen(s);
      emit_str(&o, &sp, s, n);
      break;
    }
    case '%': put(&o, '%'); break;
    case 0: f--; break; /* a lone '%' at the end prints nothing */
    default: /* unknown conversion: print it verbatim so the mistake is visible */
      put(&o, '%');
      put(&o, *f);
      break;
    }
  }
  va_end(ap);
  if (size) o.buf[o.len < size ? o.len : size - 1] = 0;
  return o.len > 0x7fffffff ? 0x7fffffff : (int)o.len;
}

int fpp_snprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = fpp_vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}

char *fpp_hex(char *out, const void *data, size_t len) {
  const uint8_t *p = data;
  for (size_t i = 0; i < len; i++) {
    out[2 * i] = "0123456789abcdef"[p[i] >> 4];
    out[2 * i + 1] = "0123456789abcdef"[p[i] & 15];
  }
  out[2 * len] = 0;
  return out;
}
