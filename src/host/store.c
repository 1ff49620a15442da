/* Store dispatch, the spec parser and the bulk copy used by import/export. */
#include "host/store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fph_store_get(fph_store *s, const uint8_t key[32], uint8_t **val, size_t *len) {
  return s->ops->get(s, key, val, len);
}
int fph_store_put(fph_store *s, const uint8_t key[32], const uint8_t *val, size_t len) {
  return s->ops->put(s, key, val, len);
}
int fph_store_has(fph_store *s, const uint8_t key[32]) { return s->ops->has(s, key); }
int fph_store_iterate(fph_store *s, fph_iter_fn fn, void *arg) { return s->ops->iterate(s, fn, arg); }
int fph_store_batch_begin(fph_store *s) { return s->ops->batch_begin ? s->ops->batch_begin(s) : FPK_OK; }
int fph_store_batch_commit(fph_store *s) { return s->ops->batch_commit ? s->ops->batch_commit(s) : FPK_OK; }
int fph_store_close(fph_store *s) { return s ? s->ops->close(s) : FPK_OK; }

int fph_store_open(fph_store **out, const char *spec) {
  if (strcmp(spec, "mem") == 0) return fph_store_mem_open(out);
  const char *colon = strchr(spec, ':');
  if (!colon || !colon[1]) return fpk_errf(FPK_EINVAL, "store spec '%s': want mem|dir:PATH|file:PATH|disk:PATH|lmdb:PATH", spec);
  size_t kl = (size_t)(colon - spec);
  const char *path = colon + 1;
  if (kl == 3 && !strncmp(spec, "dir", 3)) return fph_store_dir_open(out, path, FPH_LAYOUT_DIRECTORY);
  if (kl == 4 && !strncmp(spec, "file", 4)) return fph_store_dir_open(out, path, FPH_LAYOUT_FILE);
  if (kl == 4 && !strncmp(spec, "lmdb", 4)) return fph_store_lmdb_open(out, path);
  if (kl == 4 && !strncmp(spec, "disk", 4)) {
    fph_layout l = FPH_LAYOUT_DIRECTORY;
    int rc = fph_kvformat_read(path, &l);
    if (rc != FPK_OK && rc != FPK_ENOTFOUND) return rc;
    return fph_store_dir_open(out, path, l);
  }
  if (kl == 5 && !strncmp(spec, "synth", 5)) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(path, &end, 10);
    unsigned long long size = 64;
    if (*end == ':') size = strtoull(end + 1, &end, 10);
    if (errno || *end || end == path || size < 8 || size > (1u << 20))
      return fpk_errf(FPK_EINVAL, "store spec '%s': want synth:COUNT[:SIZE] with 8 <= SIZE <= 1048576", spec);
    return fph_store_synth_open(out, n, (size_t)size);
  }
  return fpk_errf(FPK_EINVAL, "store spec '%s': unknown kind", spec);
}

typedef struct {
  fph_store *dst;
  size_t batch, in_batch;
  uint64_t done;
  void (*progress)(void *, uint64_t);
  void *arg;
} copy_ctx;

static int copy_one(void *arg, const uint8_t key[32], const uint8_t *val, size_t len) {
  copy_ctx *c = arg;
  int rc;
  if (c->in_batch == 0 && (rc = fph_store_batch_begin(c->dst)) != FPK_OK) return rc;
  if ((rc = fph_store_put(c->dst, key, val, len)) != FPK_OK) return rc;
  c->in_batch++;
  if (c->in_batch >= c->batch) {
    if ((rc = fph_store_batch_commit(c->dst)) != FPK_OK) return rc;
    c->done += c->in_batch;
    c->in_batch = 0;
    if (c->progress) c->progress(c->arg, c->done);
  }
  return FPK_OK;
}

int fph_store_copy(fph_store *dst, fph_store *src, size_t batch, void (*progress)(void *, uint64_t),
                   void *arg) {
  copy_ctx c = {dst, batch ? batch : 1, 0, 0, progress, arg};
  int rc = fph_store_iterate(src, copy_one, &c);
  if (c.in_batch) {
    int rc2 = fph_store_batch_commit(dst);
    if (rc == FPK_OK) rc = rc2;
    if (rc2 == FPK_OK) {
      c.done += c.in_batch;
      if (progress) progress(arg, c.done);
    }
  }
  return rc;
}

int fph_errctx(int rc, const char *fmt, ...) {
  char ctx[512], detail[512];
  snprintf(detail, sizeof detail, "%s", fpk_errmsg());
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ctx, sizeof ctx, fmt, ap);
  va_end(ap);
  return fpk_errf(rc, "%s: %s", ctx, detail[0] ? detail : fpk_strerror(rc));
}
