/* Reading structured values out of a libFuzzer input: big-endian integers of 1..8 bytes, zeros once
 * the input is used up (so every input, however short, decodes to something). */
#ifndef FPK_FUZZ_INPUT_H
#define FPK_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
  const uint8_t *p;
  size_t n;
} src;

static inline uint64_t take(src *s, unsigned bytes) {
  uint64_t v = 0;
  for (unsigned i = 0; i < bytes; i++) {
    v = (v << 8) | (s->n ? *s->p : 0);
    if (s->n) {
      s->p++;
      s->n--;
    }
  }
  return v;
}

/* A pre_io read callback over the input that returns at most `chunk` bytes per call, so the wire
 * code's short-read loops are exercised; 0 (EOF) once the input is used up. */
typedef struct {
  const uint8_t *p;
  size_t n, pos, chunk;
} chunked;

static inline long chunked_read(void *ctx, int fd, void *buf, size_t len) {
  (void)fd;
  chunked *s = ctx;
  size_t k = s->n - s->pos;
  if (k > len) k = len;
  if (k > s->chunk) k = s->chunk;
  memcpy(buf, s->p + s->pos, k);
  s->pos += k;
  return (long)k;
}

#endif
