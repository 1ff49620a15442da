/* A generated, read-only source of keccak256 preimages: feeds imports, crash tests and benchmarks without
 * shipping data files. */
#include <stdlib.h>
#include <string.h>

#include "fpkit/preimage.h"
#include "host/store.h"

typedef struct {
  fph_store base;
  uint64_t n;
  size_t size;
} synth;

void fph_synth_entry(uint64_t i, size_t size, uint8_t *val, uint8_t key[32]) {
  fpk_put_be64(val, i);
  /* cheap filler that still differs per entry */
  uint64_t x = i * 0x9e3779b97f4a7c15ull + 1;
  for (size_t j = 8; j < size; j++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    val[j] = (uint8_t)x;
  }
  pre_key_keccak256(key, val, size);
}

static int s_get(fph_store *s, const uint8_t key[32], uint8_t **val, size_t *len) { return FPK_ENOTFOUND; }
static int s_has(fph_store *s, const uint8_t key[32]) { return 0; }
static int s_put(fph_store *s, const uint8_t key[32], const uint8_t *val, size_t len) {
  return fpk_errf(FPK_EINVAL, "synth store is read-only");
}

static int s_iterate(fph_store *s, fph_iter_fn fn, void *arg) {
  synth *y = (synth *)s;
  uint8_t *val = malloc(y->size), key[32];
  if (!val) return fpk_errf(FPK_ENOMEM, "synth store: %zu bytes", y->size);
  int rc = FPK_OK;
  for (uint64_t i = 0; i < y->n && rc == FPK_OK; i++) {
    fph_synth_entry(i, y->size, val, key);
    rc = fn(arg, key, val, y->size);
  }
  free(val);
  return rc;
}

static int s_close(fph_store *s) {
  free(s);
  return FPK_OK;
}

static const fph_store_ops synth_ops = {"synth", s_get, s_put, s_has, s_iterate, NULL, NULL, s_close};

int fph_store_synth_open(fph_store **out, uint64_t n, size_t size) {
  if (size < 8) return fpk_errf(FPK_EINVAL, "synth store: size %zu < 8", size);
  synth *y = calloc(1, sizeof *y);
  if (!y) return fpk_errf(FPK_ENOMEM, "synth store: open");
  y->base.ops = &synth_ops;
  y->n = n;
  y->size = size;
  *out = &y->base;
  return FPK_OK;
}
