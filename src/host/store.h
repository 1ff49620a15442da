/* fph_store: one key/value interface for every preimage store kind (memory, op-program directory/file,
 * LMDB). Keys are 32 bytes, values raw preimage bytes. Stores do not verify; fph_store_verified wraps any
 * store with the key checks so every kind gets the same guarantee. */
#ifndef FPH_STORE_H
#define FPH_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fpkit/fpk.h"

typedef struct fph_store fph_store;
/* Iteration callback: return FPK_OK to continue, anything else stops and is returned by iterate. val is
 * only valid during the call. */
typedef int (*fph_iter_fn)(void *arg, const uint8_t key[32], const uint8_t *val, size_t len);

typedef struct {
  const char *kind;
  /* *val is malloc'd (caller frees; non-NULL even for an empty value). FPK_ENOTFOUND when absent. */
  int (*get)(fph_store *s, const uint8_t key[32], uint8_t **val, size_t *len);
  int (*put)(fph_store *s, const uint8_t key[32], const uint8_t *val, size_t len);
  int (*has)(fph_store *s, const uint8_t key[32]); /* 1, 0 or a negative code */
  int (*iterate)(fph_store *s, fph_iter_fn fn, void *arg);
  /* Group puts into one commit (LMDB); NULL means each put is already durable on its own. */
  int (*batch_begin)(fph_store *s);
  int (*batch_commit)(fph_store *s);
  int (*close)(fph_store *s); /* flush, release, free s */
} fph_store_ops;

struct fph_store {
  const fph_store_ops *ops;
};

FPK_NODISCARD int fph_store_get(fph_store *s, const uint8_t key[32], uint8_t **val, size_t *len);
FPK_NODISCARD int fph_store_put(fph_store *s, const uint8_t key[32], const uint8_t *val, size_t len);
FPK_NODISCARD int fph_store_has(fph_store *s, const uint8_t key[32]);
FPK_NODISCARD int fph_store_iterate(fph_store *s, fph_iter_fn fn, void *arg);
FPK_NODISCARD int fph_store_batch_begin(fph_store *s);
FPK_NODISCARD int fph_store_batch_commit(fph_store *s);
int fph_store_close(fph_store *s); /* NULL is a no-op */

/* Constructors. */
FPK_NODISCARD int fph_store_mem_open(fph_store **out);
typedef enum { FPH_LAYOUT_DIRECTORY, FPH_LAYOUT_FILE } fph_layout;
/* op-program disk layouts. Creates the directory and writes the kvformat marker when it is absent; a marker
 * naming another format is FPK_EFORMAT (FPK_EUNSUPPORTED for "pebble"). */
FPK_NODISCARD int fph_store_dir_open(fph_store **out, const char *path, fph_layout layout);
/* Read path/kvformat: FPK_OK with *layout set, FPK_ENOTFOUND when absent, FPK_EUNSUPPORTED/EFORMAT else. */
FPK_NODISCARD int fph_kvformat_read(const char *path, fph_layout *layout);
FPK_NODISCARD int fph_store_lmdb_open(fph_store **out, const char *path);
/* Read-only source of n deterministic keccak256 preimages (entry i: u64be(i) ‖ filler up to size bytes);
 * iterate only, get is FPK_ENOTFOUND. For tests and benchmarks. */
FPK_NODISCARD int fph_store_synth_open(fph_store **out, uint64_t n, size_t size);
void fph_synth_entry(uint64_t i, size_t size, uint8_t *val, uint8_t key[32]);

/* "mem" | "dir:PATH" | "file:PATH" | "disk:PATH" (kvformat decides, default directory) | "lmdb:PATH" |
 * "synth:N[:SIZE]". */
FPK_NODISCARD int fph_store_open(fph_store **out, const char *spec);

/* Verification layer (takes ownership of inner): put and get check the key type and, for keccak256/sha256
 * keys, the value's hash; local keys are refused (they never enter a global store). */
FPK_NODISCARD int fph_store_verified(fph_store **out, fph_store *inner);

/* Directory-store parsing helpers (also the fuzz surface). value_decode: strict lowercase-or-uppercase hex,
 * no 0x, even length; *val malloc'd. name_key: file name (and its directory for the directory layout) back
 * to the key; FPK_EFORMAT if it is not a store entry name. */
FPK_NODISCARD int fph_dir_value_decode(const char *text, size_t n, uint8_t **val, size_t *len);
FPK_NODISCARD int fph_dir_name_key(fph_layout layout, const char *dir, const char *name, uint8_t key[32]);

/* Copy every entry of src into dst in batches of `batch` puts; after each commit, progress (may be NULL)
 * gets the running count. */
FPK_NODISCARD int fph_store_copy(fph_store *dst, fph_store *src, size_t batch,
                                 void (*progress)(void *arg, uint64_t done), void *arg);

/* fpk_errf(rc, "<fmt...>: <current detail>") without passing the detail buffer into its own rewrite. */
int fph_errctx(int rc, const char *fmt, ...) FPK_PRINTF(2, 3);

#endif
