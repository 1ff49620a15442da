/* The one verifying layer: whatever store sits behind it, nothing enters or leaves it unchecked. */
#include <stdlib.h>

#include "fpkit/preimage.h"
#include "host/store.h"

typedef struct {
  fph_store base;
  fph_store *inner;
} verified;

static int check_key(const uint8_t key[32]) {
  int rc = pre_key_check(key);
  if (rc != FPK_OK) return rc;
  if (key[0] == PRE_KEY_LOCAL)
    return fpk_errf(FPK_EINVAL, "store: local keys belong to the command line, not to a global store");
  return FPK_OK;
}

static int v_get(fph_store *s, const uint8_t key[32], uint8_t **val, size_t *len) {
  verified *v = (verified *)s;
  int rc = check_key(key);
  if (rc != FPK_OK) return rc;
  if ((rc = fph_store_get(v->inner, key, val, len)) != FPK_OK) return rc;
  if ((rc = pre_verify(key, *val, *len)) != FPK_OK) {
    free(*val);
    *val = NULL;
    return fph_errctx(rc, "%s store holds a corrupt entry", v->inner->ops->kind);
  }
  return FPK_OK;
}

static int v_put(fph_store *s, const uint8_t key[32], const uint8_t *val, size_t len) {
  int rc = check_key(key);
  if (rc == FPK_OK) rc = pre_verify(key, val, len);
  return rc == FPK_OK ? fph_store_put(((verified *)s)->inner, key, val, len) : rc;
}

static int v_has(fph_store *s, const uint8_t key[32]) {
  int rc = check_key(key);
  return rc == FPK_OK ? fph_store_has(((verified *)s)->inner, key) : rc;
}

typedef struct {
  fph_iter_fn fn;
  void *arg;
} iter_wrap;

static int v_each(void *arg, const uint8_t key[32], const uint8_t *val, size_t len) {
  iter_wrap *w = arg;
  int rc = check_key(key);
  if (rc == FPK_OK) rc = pre_verify(key, val, len);
  return rc == FPK_OK ? w->fn(w->arg, key, val, len) : rc;
}

static int v_iterate(fph_store *s, fph_iter_fn fn, void *arg) {
  iter_wrap w = {fn, arg};
  return fph_store_iterate(((verified *)s)->inner, v_each, &w);
}

static int v_begin(fph_store *s) { return fph_store_batch_begin(((verified *)s)->inner); }
static int v_commit(fph_store *s) { return fph_store_batch_commit(((verified *)s)->inner); }

static int v_close(fph_store *s) {
  int rc = fph_store_close(((verified *)s)->inner);
  free(s);
  return rc;
}

static const fph_store_ops verified_ops = {"verified", v_get, v_put, v_has, v_iterate, v_begin, v_commit, v_close};

int fph_store_verified(fph_store **out, fph_store *inner) {
  verified *v = calloc(1, sizeof *v);
  if (!v) {
    fph_store_close(inner);
    return fpk_errf(FPK_ENOMEM, "verified store: open");
  }
  v->base.ops = &verified_ops;
  v->inner = inner;
  *out = &v->base;
  return FPK_OK;
}
