#include "common/sbuf.h"

#include <stdlib.h>

void fpk_sbuf_put(fpk_sbuf *b, const void *s, size_t n) {
  if (b->oom) return;
  if (b->cap - b->n < n + 1) {
    size_t nc = b->cap ? b->cap : 256;
    while (nc - b->n < n + 1) {
      if (nc > (size_t)-1 / 2) {
        b->oom = true;
        return;
      }
      nc *= 2;
    }
    char *np = realloc(b->p, nc);
    if (!np) {
      b->oom = true;
      return;
    }
    b->p = np;
    b->cap = nc;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}
