/* Reading structured values out of a libFuzzer input: big-endian integers of 1..8 bytes, zeros once
 * the input is used up (so every input, however short, decodes to something). */
#ifndef FPK_FUZZ_INPUT_H
#define FPK_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

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

#endif
