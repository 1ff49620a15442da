/* Cannon's log lines: Go slog TextHandler output with the time attribute removed (what Cannon prints
 * when stdout is not a terminal), and its LoggingWriter for guest and host output. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fpkit/hex.h"
#include "run_internal.h"

static void put(fpvm_log_line *l, const char *s, size_t n) { fpk_sbuf_put(l, s, n); }

static void puts_(fpvm_log_line *l, const char *s) { put(l, s, strlen(s)); }

/* slog quotes a value that is empty or holds a space, '=', '"', a control byte or anything outside
 * ASCII that is not printable (non-ASCII is quoted here, conservatively). */
static bool needs_quoting(const char *s) {
  if (!*s) return true;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p == ' ' || *p == '=' || *p == '"' || *p < 0x20 || *p >= 0x80) return true;
  return false;
}

/* strconv.Quote for ASCII; other bytes as \xNN. */
static void put_quoted(fpvm_log_line *l, const char *s, size_t n) {
  put(l, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char e[8];
    switch (c) {
    case '"': puts_(l, "\\\""); break;
    case '\\': puts_(l, "\\\\"); break;
    case '\a': puts_(l, "\\a"); break;
    case '\b': puts_(l, "\\b"); break;
    case '\f': puts_(l, "\\f"); break;
    case '\n': puts_(l, "\\n"); break;
    case '\r': puts_(l, "\\r"); break;
    case '\t': puts_(l, "\\t"); break;
    case '\v': puts_(l, "\\v"); break;
    default:
      if (c < 0x20 || c >= 0x7f) {
        snprintf(e, sizeof e, "\\x%02x", c);
        puts_(l, e);
      } else {
        put(l, (const char *)&c, 1);
      }
    }
  }
  put(l, "\"", 1);
}

static void put_value(fpvm_log_line *l, const char *v) {
  if (needs_quoting(v)) put_quoted(l, v, strlen(v));
  else puts_(l, v);
}

void fpvm_log_begin(fpvm_log_line *l, int level, const char *msg) {
  memset(l, 0, sizeof *l);
  puts_(l, level == FPVM_LOG_ERROR ? "level=ERROR msg=" : level == FPVM_LOG_WARN ? "level=WARN msg=" : "level=INFO msg=");
  put_value(l, msg);
}

void fpvm_log_str(fpvm_log_line *l, const char *key, const char *val) {
  put(l, " ", 1);
  puts_(l, key);
  put(l, "=", 1);
  put_value(l, val ? val : "");
}

void fpvm_log_u64(fpvm_log_line *l, const char *key, uint64_t v) {
  char b[32];
  snprintf(b, sizeof b, "%llu", (unsigned long long)v);
  fpvm_log_str(l, key, b);
}

void fpvm_log_bool(fpvm_log_line *l, const char *key, bool v) { fpvm_log_str(l, key, v ? "true" : "false"); }

void fpvm_log_f64(fpvm_log_line *l, const char *key, double v) {
  char b[64];
  fpvm_log_format_g(b, sizeof b, v);
  fpvm_log_str(l, key, b);
}

void fpvm_log_bytes(fpvm_log_line *l, const char *key, const uint8_t *b, size_t n) {
  put(l, " ", 1);
  puts_(l, key);
  puts_(l, "=0x");
  if (l->oom) return;
  char *h = malloc(2 * n + 1);
  if (!h) {
    l->oom = true;
    return;
  }
  fpk_hex_encode(h, b, n);
  put(l, h, 2 * n);
  free(h);
}

void fpvm_log_end(fpvm_log_line *l, int fd) {
  put(l, "\n", 1);
  if (!l->oom) {
    const char *p = l->p;
    size_t n = l->n;
    while (n) {
      ssize_t w = write(fd, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) break;
      p += w;
      n -= (size_t)w;
    }
  }
  free(l->p);
  memset(l, 0, sizeof *l);
}

void fpvm_log_format_g(char *out, size_t cap, double v) {
  if (isnan(v)) {
    snprintf(out, cap, "NaN");
    return;
  }
  if (isinf(v)) {
    snprintf(out, cap, v > 0 ? "+Inf" : "-Inf");
    return;
  }
  if (v == 0) {
    snprintf(out, cap, signbit(v) ? "-0" : "0");
    return;
  }
  /* Shortest decimal that reads back as v, as d.ddddde±XX. */
  char e[40];
  for (int p = 0; p < 17; p++) {
    snprintf(e, sizeof e, "%.*e", p, v);
    if (strtod(e, NULL) == v) break;
  }
  bool neg = e[0] == '-';
  const char *m = e + (neg ? 1 : 0);
  char dig[24];
  size_t nd = 0;
  const char *x = m;
  for (; *x && *x != 'e'; x++)
    if (*x >= '0' && *x <= '9') dig[nd++] = *x;
  dig[nd] = 0;
  int exp = atoi(x + 1);
  while (nd > 1 && dig[nd - 1] == '0') dig[--nd] = 0;
  size_t o = 0;
  char buf[64];
  if (neg) buf[o++] = '-';
  if (exp < -4 || exp >= 6) { /* strconv: shortest "g" switches at 1e6 */
    /* %e form; Go keeps at least two exponent digits */
    buf[o++] = dig[0];
    if (nd > 1) {
      buf[o++] = '.';
      for (size_t i = 1; i < nd; i++) buf[o++] = dig[i];
    }
    o += (size_t)snprintf(buf + o, sizeof buf - o, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  } else if (exp < 0) {
    buf[o++] = '0';
    buf[o++] = '.';
    for (int i = -1; i > exp; i--) buf[o++] = '0';
    for (size_t i = 0; i < nd; i++) buf[o++] = dig[i];
  } else {
    for (int i = 0; i <= exp; i++) buf[o++] = (size_t)i < nd ? dig[i] : '0';
    if ((size_t)exp + 1 < nd) {
      buf[o++] = '.';
      for (size_t i = (size_t)exp + 1; i < nd; i++) buf[o++] = dig[i];
    }
  }
  buf[o] = 0;
  snprintf(out, cap, "%s", buf);
}

static bool printable_text(const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((b[i] < 0x20 || b[i] >= 0x7f) && b[i] != '\n' && b[i] != '\t') return false;
  return true;
}

void fpvm_log_chunk(int fd, const char *prefix, const uint8_t *buf, size_t len) {
  fpvm_log_line l;
  fpvm_log_begin(&l, FPVM_LOG_INFO, "");
  put(&l, " ", 1);
  puts_(&l, prefix);
  if (printable_text(buf, len)) {
    puts_(&l, " text=");
    /* slog leaves text unquoted when it has no space, '=', '"' or control byte */
    bool q = len == 0;
    for (size_t i = 0; i < len && !q; i++)
      if (buf[i] == ' ' || buf[i] == '=' || buf[i] == '"' || buf[i] < 0x20) q = true;
    if (q) put_quoted(&l, (const char *)buf, len);
    else put(&l, (const char *)buf, len);
  } else {
    fpvm_log_bytes(&l, "data", buf, len);
  }
  fpvm_log_end(&l, fd);
}

void fpvm_log_mem_usage(char *out, size_t cap, uint64_t bytes) {
  if (bytes < 1024) {
    snprintf(out, cap, "%llu B", (unsigned long long)bytes);
    return;
  }
  uint64_t div = 1024;
  int exp = 0;
  for (uint64_t n = bytes / 1024; n >= 1024; n /= 1024) {
    div *= 1024;
    exp++;
  }
  snprintf(out, cap, "%.1f %ciB", (double)bytes / (double)div, "KMGTPE"[exp]);
}
