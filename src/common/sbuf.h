/* A growable NUL-terminated string for output that must match another tool's bytes exactly (JSON,
 * log lines, file names). Allocation failure is sticky: later appends are dropped and oom stays set,
 * so callers check once at the end. Zero-initialize; free p when done. */
#ifndef FPK_COMMON_SBUF_H
#define FPK_COMMON_SBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct {
  char *p;
  size_t n, cap;
  bool oom;
} fpk_sbuf;

void fpk_sbuf_put(fpk_sbuf *b, const void *s, size_t n);
static inline void fpk_sbuf_str(fpk_sbuf *b, const char *s) { fpk_sbuf_put(b, s, strlen(s)); }

#endif
