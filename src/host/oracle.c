/* Local/global split, hint bookkeeping and the lazy prefetch. */
#include "host/oracle.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fpkit/hex.h"

int fph_oracle_init(fph_oracle *o, fph_store *global) {
  memset(o, 0, sizeof *o);
  o->global = global;
  return fph_store_mem_open(&o->local);
}

void fph_oracle_close(fph_oracle *o) {
  fph_store_close(o->local);
  fph_store_close(o->global);
  for (size_t i = 0; i < o->nroutes; i++) {
    free(o->routes[i].type);
    o->routes[i].p->destroy(o->routes[i].p);
  }
  free(o->routes);
  free(o->last_hint);
  memset(o, 0, sizeof *o);
}

int fph_oracle_set_local(fph_oracle *o, uint64_t index, const uint8_t *val, size_t len) {
  uint8_t key[32];
  pre_key_local(key, index);
  return fph_store_put(o->local, key, val, len);
}

int fph_oracle_route(fph_oracle *o, const char *type, fph_prefetcher *p) {
  for (size_t i = 0; i < o->nroutes; i++) {
    if (strcmp(o->routes[i].type, type) == 0) {
      o->routes[i].p->destroy(o->routes[i].p);
      o->routes[i].p = p;
      return FPK_OK;
    }
  }
  fph_route *nr = realloc(o->routes, (o->nroutes + 1) * sizeof *nr);
  char *t = strdup(type);
  if (!nr || !t) {
    free(t);
    if (nr) o->routes = nr;
    p->destroy(p);
    return fpk_errf(FPK_ENOMEM, "hint routes");
  }
  o->routes = nr;
  o->routes[o->nroutes].type = t;
  o->routes[o->nroutes].p = p;
  o->nroutes++;
  return FPK_OK;
}

int fph_oracle_hint(fph_oracle *o, const char *hint, size_t len) {
  o->n_hints++;
  if (o->hint_log) {
    if (fwrite(hint, 1, len, o->hint_log) != len || fputc('\n', o->hint_log) == EOF || fflush(o->hint_log) != 0)
      return fpk_errf(FPK_EIO, "hint log: write: %s", strerror(errno));
  }
  if (o->verbose) fprintf(stderr, "fphost: hint %.*s\n", (int)(len > 200 ? 200 : len), hint);
  if (!o->nroutes) return FPK_OK; /* offline: nothing could use it */
  char *copy = malloc(len + 1);
  if (!copy) return fpk_errf(FPK_ENOMEM, "hint copy of %zu bytes", len);
  memcpy(copy, hint, len);
  copy[len] = 0;
  free(o->last_hint);
  o->last_hint = copy;
  o->last_len = len;
  return FPK_OK;
}

static fph_prefetcher *route_for(fph_oracle *o, const char *type, size_t tl) {
  fph_prefetcher *any = NULL;
  for (size_t i = 0; i < o->nroutes; i++) {
    const char *t = o->routes[i].type;
    if (strlen(t) == tl && memcmp(t, type, tl) == 0) return o->routes[i].p;
    if (strcmp(t, "*") == 0) any = o->routes[i].p;
  }
  return any;
}

static int prefetch(fph_oracle *o, const char *keyhex) {
  pre_hint_parts parts;
  int rc = pre_hint_split(&parts, o->last_hint, o->last_len);
  if (rc != FPK_OK) return fph_errctx(rc, "key %s missing and the last hint is malformed", keyhex);
  fph_prefetcher *p = route_for(o, parts.type, parts.type_len);
  if (!p)
    return fpk_errf(FPK_ENOTFOUND, "key %s missing and no prefetcher for hint type '%.*s'", keyhex,
                    (int)parts.type_len, parts.type);
  o->n_prefetch++;
  if ((rc = fph_store_batch_begin(o->global)) != FPK_OK) return rc;
  rc = p->fetch(p, o->last_hint, o->last_len, o->global);
  /* Pairs that did verify are kept even if a later one failed: each was checked on its own. */
  int rc2 = fph_store_batch_commit(o->global);
  if (rc != FPK_OK)
    return fph_errctx(rc, "prefetch for hint '%.*s' failed", (int)(o->last_len > 120 ? 120 : o->last_len),
                      o->last_hint);
  return rc2;
}

int fph_oracle_get(fph_oracle *o, const uint8_t key[32], uint8_t **val, size_t *len) {
  char keyhex[65];
  fpk_hex_encode(keyhex, key, 32);
  int rc = pre_key_check(key);
  if (rc != FPK_OK) return fpk_errf(rc, "key 0x%s: unsupported key type %u", keyhex, key[0]);
  if (key[0] == PRE_KEY_LOCAL) {
    rc = fph_store_get(o->local, key, val, len);
    if (rc == FPK_ENOTFOUND)
      return fpk_errf(rc, "local key 0x%s (index %llu) was not given (--local/--local-file)", keyhex,
                      (unsigned long long)fpk_be64(key + 24));
  } else {
    rc = fph_store_get(o->global, key, val, len);
    if (rc == FPK_ENOTFOUND && o->last_hint) {
      useconds_t delay = 100000;
      for (unsigned attempt = 0;; attempt++) {
        rc = prefetch(o, keyhex);
        if (rc == FPK_OK) {
          rc = fph_store_get(o->global, key, val, len);
          if (rc == FPK_ENOTFOUND)
            rc = fpk_errf(rc, "key 0x%s not found, also not after prefetching hint '%.*s'", keyhex,
                          (int)(o->last_len > 120 ? 120 : o->last_len), o->last_hint);
        }
        if (rc == FPK_OK || attempt >= o->retries) break;
        if (o->verbose) fprintf(stderr, "fphost: retrying prefetch: %s\n", fpk_errmsg());
        usleep(delay);
        delay = delay * 2 > 10000000 ? 10000000 : delay * 2;
      }
      if (rc != FPK_OK) return rc;
    } else if (rc == FPK_ENOTFOUND) {
      return fpk_errf(rc, "key 0x%s not in the store%s", keyhex, o->nroutes ? " and no hint received yet" : " (offline)");
    }
  }
  if (rc == FPK_OK) o->n_served++;
  return rc;
}
