/* fph_oracle: what the host answers. Local keys come from the command line (a memory store, never
 * persisted); everything else from the verified global store, filled lazily by the prefetcher routed from
 * the most recent hint ("last hint wins", as op-program does). */
#ifndef FPH_ORACLE_H
#define FPH_ORACLE_H

#include <stdio.h>

#include "fpkit/preimage.h"
#include "host/store.h"

typedef struct fph_prefetcher fph_prefetcher;
struct fph_prefetcher {
  /* Fetch what the hint describes and put it into dst (a verified store; bad pairs fail the put). */
  int (*fetch)(fph_prefetcher *p, const char *hint, size_t len, fph_store *dst);
  void (*destroy)(fph_prefetcher *p);
};

/* Runs `/bin/sh -c cmd` per hint: hint text + "\n" on stdin (and in $FPH_HINT, $FPH_HINT_TYPE,
 * $FPH_HINT_DATA); stdout lines "0x<key> 0x<value>" (blank lines ignored). Non-zero exit, a malformed line
 * or a pair that fails verification fails the fetch. */
FPK_NODISCARD int fph_prefetcher_exec(fph_prefetcher **out, const char *cmd);

/* Parse one "0x<64 hex> 0x<hex>" line (trailing CR/spaces allowed); *val malloc'd. */
FPK_NODISCARD int fph_kv_line(const char *line, size_t n, uint8_t key[32], uint8_t **val, size_t *len);

typedef struct {
  char *type; /* "*" = any type without its own route */
  fph_prefetcher *p;
} fph_route;

typedef struct {
  fph_store *local;  /* owned */
  fph_store *global; /* owned; should be fph_store_verified */
  fph_route *routes;
  size_t nroutes;
  char *last_hint;
  size_t last_len;
  FILE *hint_log; /* not owned; NULL = off */
  int verbose;
  unsigned retries; /* extra prefetch attempts after a failed or fruitless one (backoff 0.1 s doubling to 10 s) */
  uint64_t n_hints, n_served, n_prefetch;
} fph_oracle;

FPK_NODISCARD int fph_oracle_init(fph_oracle *o, fph_store *global);
void fph_oracle_close(fph_oracle *o); /* closes both stores (flushing them) and the prefetchers */
FPK_NODISCARD int fph_oracle_set_local(fph_oracle *o, uint64_t index, const uint8_t *val, size_t len);
/* Takes ownership of p. Later routes for the same type replace earlier ones. */
FPK_NODISCARD int fph_oracle_route(fph_oracle *o, const char *type, fph_prefetcher *p);
/* Record a hint (logs it; remembered for the next missing key). Never fails the stream by itself except
 * for a hint-log write error. */
FPK_NODISCARD int fph_oracle_hint(fph_oracle *o, const char *hint, size_t len);
/* The preimage for key (malloc'd). Missing: prefetch through the last hint's route (1 + retries attempts),
 * then the last error or FPK_ENOTFOUND with a message naming the key and hint. Never returns unverified
 * global data. op-program retries forever instead; a bounded count keeps a dead source from hanging us. */
FPK_NODISCARD int fph_oracle_get(fph_oracle *o, const uint8_t key[32], uint8_t **val, size_t *len);

/* Serve one client: hints on s->hint_r (acked on s->hint_w, also when handling failed), keys on s->pre_r
 * answered on s->pre_w, whichever arrives first. FPK_OK once the client closed both streams at message
 * boundaries; FPK_ECLOSED when *stop was raised (signal); the first error otherwise (nothing is written for a
 * key that could not be answered). */
FPK_NODISCARD int fph_serve(fph_oracle *o, pre_server *s, volatile int *stop);

/* Start argv[0] (PATH search) with fds 3..6 wired to a fresh server on our side (s gets our ends; the
 * child reads 3/5 and writes 4/6). */
FPK_NODISCARD int fph_spawn_client(pre_server *s, char *const argv[], int *pid);

#endif
