/* LMDB store: one environment directory (data.mdb + lock.mdb), key = 32 raw bytes, value raw. Every commit is
 * synced, so a killed process loses only the open batch. Several processes may open the same directory:
 * LMDB serialises writers with its lock file and readers never wait. */
#include <errno.h>
#include <lmdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host/store.h"

typedef struct {
  fph_store base;
  MDB_env *env;
  MDB_dbi dbi;
  MDB_txn *rtxn;  /* reset between gets and renewed, which avoids a reader-slot search per get */
  MDB_txn *batch; /* open write transaction between batch_begin and batch_commit */
  char *path;
} lmdb_store;

static int lerr(int rc, const char *path, const char *what) {
  return fpk_errf(rc == MDB_MAP_FULL ? FPK_ERANGE : FPK_EIO, "%s: lmdb %s: %s", path, what, mdb_strerror(rc));
}

static int l_get(fph_store *s, const uint8_t key[32], uint8_t **val, size_t *len) {
  lmdb_store *l = (lmdb_store *)s;
  MDB_txn *txn = l->batch;
  int rc;
  if (!txn) {
    rc = l->rtxn ? mdb_txn_renew(l->rtxn) : mdb_txn_begin(l->env, NULL, MDB_RDONLY, &l->rtxn);
    if (rc) return lerr(rc, l->path, "read txn");
    txn = l->rtxn;
  }
  MDB_val k = {32, (void *)key}, v;
  rc = mdb_get(txn, l->dbi, &k, &v);
  int out = FPK_OK;
  if (rc == MDB_NOTFOUND)
    out = FPK_ENOTFOUND;
  else if (rc)
    out = lerr(rc, l->path, "get");
  else if (!(*val = malloc(v.mv_size ? v.mv_size : 1)))
    out = fpk_errf(FPK_ENOMEM, "lmdb store: get of %zu bytes", v.mv_size);
  else {
    memcpy(*val, v.mv_data, v.mv_size);
    *len = v.mv_size;
  }
  if (txn == l->rtxn) mdb_txn_reset(l->rtxn);
  return out;
}

static int l_has(fph_store *s, const uint8_t key[32]) {
  uint8_t *v;
  size_t n;
  int rc = l_get(s, key, &v, &n);
  if (rc == FPK_OK) free(v);
  return rc == FPK_OK ? 1 : rc == FPK_ENOTFOUND ? 0 : rc;
}

static int l_put(fph_store *s, const uint8_t key[32], const uint8_t *val, size_t len) {
  lmdb_store *l = (lmdb_store *)s;
  MDB_txn *txn = l->batch;
  int rc;
  if (!txn && (rc = mdb_txn_begin(l->env, NULL, 0, &txn))) return lerr(rc, l->path, "write txn");
  MDB_val k = {32, (void *)key}, v = {len, (void *)val};
  rc = mdb_put(txn, l->dbi, &k, &v, 0);
  if (rc) {
    /* A failed put poisons the transaction: abort it, batch included, rather than commit half of it. */
    mdb_txn_abort(txn);
    l->batch = NULL;
    return lerr(rc, l->path, "put");
  }
  if (!l->batch && (rc = mdb_txn_commit(txn))) return lerr(rc, l->path, "commit");
  return FPK_OK;
}

static int l_batch_begin(fph_store *s) {
  lmdb_store *l = (lmdb_store *)s;
  if (l->batch) return fpk_errf(FPK_EINVAL, "lmdb store: batch already open");
  int rc = mdb_txn_begin(l->env, NULL, 0, &l->batch);
  if (rc) {
    l->batch = NULL;
    return lerr(rc, l->path, "write txn");
  }
  return FPK_OK;
}

static int l_batch_commit(fph_store *s) {
  lmdb_store *l = (lmdb_store *)s;
  if (!l->batch) return fpk_errf(FPK_EIO, "%s: lmdb batch was aborted by an earlier failure", l->path);
  int rc = mdb_txn_commit(l->batch);
  l->batch = NULL;
  return rc ? lerr(rc, l->path, "commit") : FPK_OK;
}

static int l_iterate(fph_store *s, fph_iter_fn fn, void *arg) {
  lmdb_store *l = (lmdb_store *)s;
  MDB_txn *txn;
  MDB_cursor *cur;
  int rc = mdb_txn_begin(l->env, NULL, MDB_RDONLY, &txn);
  if (rc) return lerr(rc, l->path, "read txn");
  if ((rc = mdb_cursor_open(txn, l->dbi, &cur))) {
    mdb_txn_abort(txn);
    return lerr(rc, l->path, "cursor");
  }
  MDB_val k, v;
  int out = FPK_OK;
  for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
    if (k.mv_size != 32) {
      out = fpk_errf(FPK_EFORMAT, "%s: lmdb entry with a %zu-byte key", l->path, k.mv_size);
      break;
    }
    if ((out = fn(arg, k.mv_data, v.mv_data, v.mv_size)) != FPK_OK) break;
  }
  if (out == FPK_OK && rc != MDB_NOTFOUND) out = lerr(rc, l->path, "cursor get");
  mdb_cursor_close(cur);
  mdb_txn_abort(txn);
  return out;
}

static int l_close(fph_store *s) {
  lmdb_store *l = (lmdb_store *)s;
  int out = FPK_OK;
  if (l->batch) {
    int rc = mdb_txn_commit(l->batch);
    if (rc) out = lerr(rc, l->path, "commit at close");
  }
  if (l->rtxn) mdb_txn_abort(l->rtxn);
  mdb_env_close(l->env);
  free(l->path);
  free(l);
  return out;
}

static const fph_store_ops lmdb_ops = {"lmdb",  l_get,          l_put,          l_has, l_iterate,
                                       l_batch_begin, l_batch_commit, l_close};

int fph_store_lmdb_open(fph_store **out, const char *path) {
  if (mkdir(path, 0777) != 0 && errno != EEXIST) return fpk_errf(FPK_EIO, "%s: mkdir: %s", path, strerror(errno));
  lmdb_store *l = calloc(1, sizeof *l);
  if (!l || !(l->path = strdup(path))) {
    free(l);
    return fpk_errf(FPK_ENOMEM, "lmdb store: open");
  }
  int rc = mdb_env_create(&l->env);
  if (rc) {
    free(l->path);
    free(l);
    return lerr(rc, path, "env create");
  }
  /* Address space only: the file grows as data arrives. 1 TiB leaves room for any witness set. */
  mdb_env_set_mapsize(l->env, (size_t)1 << 40);
  mdb_env_set_maxreaders(l->env, 512);
  MDB_txn *txn = NULL;
  rc = mdb_env_open(l->env, path, MDB_NOTLS, 0664);
  if (!rc) rc = mdb_txn_begin(l->env, NULL, 0, &txn);
  if (!rc) {
    rc = mdb_dbi_open(txn, NULL, 0, &l->dbi);
    if (rc)
      mdb_txn_abort(txn);
    else
      rc = mdb_txn_commit(txn); /* frees txn either way */
  }
  if (rc) {
    int code = lerr(rc, path, "open");
    mdb_env_close(l->env);
    free(l->path);
    free(l);
    return code;
  }
  int dead;
  mdb_reader_check(l->env, &dead); /* free reader slots of processes that were killed */
  l->base.ops = &lmdb_ops;
  *out = &l->base;
  return FPK_OK;
}
