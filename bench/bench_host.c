/* Host throughput: preimages served per second over the real fd protocol (client and server in two
 * threads over pipes), and LMDB put/get rates.
 *   bench_host [--serve N] [--lmdb N] [--size BYTES] [--dir PATH]   (defaults 200000, 1000000, 64, /tmp) */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fpkit/preimage.h"
#include "host/oracle.h"
#include "host/store.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, int rc) {
  fprintf(stderr, "bench_host: %s: %s (%s)\n", what, fpk_strerror(rc), fpk_errmsg());
  exit(1);
}

typedef struct {
  fph_oracle *o;
  pre_server s;
  int rc;
} srv_arg;

static void *server_main(void *p) {
  srv_arg *a = p;
  a->rc = fph_serve(a->o, &a->s, NULL);
  close(a->s.hint_w);
  close(a->s.pre_w);
  return NULL;
}

static void bench_serve(uint64_t n, size_t size, const char *spec, int with_hints) {
  fph_store *raw, *st;
  int rc = fph_store_open(&raw, spec);
  if (rc) die("open", rc);
  if ((rc = fph_store_verified(&st, raw))) die("verify", rc);
  fph_store *src;
  if ((rc = fph_store_synth_open(&src, n, size))) die("synth", rc);
  if ((rc = fph_store_copy(st, src, 10000, NULL, NULL))) die("fill", rc);
  fph_store_close(src);
  fph_oracle o;
  if ((rc = fph_oracle_init(&o, st))) die("oracle", rc);
  int h_c2s[2], h_s2c[2], p_c2s[2], p_s2c[2];
  if (pipe(h_c2s) || pipe(h_s2c) || pipe(p_c2s) || pipe(p_s2c)) die("pipe", FPK_EIO);
  pre_fdio_ctx ctx = {0};
  pre_io io;
  pre_io_fd(&io, &ctx);
  srv_arg a;
  memset(&a, 0, sizeof a);
  a.o = &o;
  pre_server_init(&a.s, &io);
  a.s.hint_r = h_c2s[0], a.s.hint_w = h_s2c[1], a.s.pre_r = p_c2s[0], a.s.pre_w = p_s2c[1];
  pthread_t t;
  pthread_create(&t, NULL, server_main, &a);
  pre_client c;
  pre_client_init(&c, &io);
  c.hint_r = h_s2c[0], c.hint_w = h_c2s[1], c.pre_r = p_s2c[0], c.pre_w = p_c2s[1];
  uint8_t *val = malloc(size), *buf = malloc(size), key[32];
  double t0 = now();
  uint64_t x = 88172645463325252ull;
  for (uint64_t i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    fph_synth_entry(x % n, size, val, key);
    size_t len;
    if (with_hints && (rc = pre_hint(&c, "l2-state-node 0x00", 18))) die("hint", rc);
    if ((rc = pre_get(&c, key, buf, size, &len)) || len != size || memcmp(buf, val, size)) die("get", rc ? rc : FPK_ECORRUPT);
  }
  double dt = now() - t0;
  close(c.hint_w);
  close(c.pre_w);
  pthread_join(t, NULL);
  printf("serve %-6s %s: %llu preimages of %zu B in %.2f s = %.0f preimages/s\n", spec, with_hints ? "hint+get" : "get     ",
         (unsigned long long)n, size, dt, (double)n / dt);
  fph_oracle_close(&o);
  free(val), free(buf);
  close(h_c2s[0]), close(h_s2c[0]), close(p_c2s[0]), close(p_s2c[0]);
}

static void bench_lmdb(uint64_t n, size_t size, const char *dir) {
  char path[512], spec[600];
  snprintf(path, sizeof path, "%s/bench_host_lmdb.%d", dir, (int)getpid());
  snprintf(spec, sizeof spec, "lmdb:%s", path);
  fph_store *st, *src;
  int rc = fph_store_open(&st, spec);
  if (rc) die("open lmdb", rc);
  if ((rc = fph_store_synth_open(&src, n, size))) die("synth", rc);
  double t0 = now();
  if ((rc = fph_store_copy(st, src, 10000, NULL, NULL))) die("put", rc);
  double dt = now() - t0;
  printf("lmdb put  (batches of 10000, synced commits): %llu keys of %zu B in %.2f s = %.0f puts/s\n",
         (unsigned long long)n, size, dt, (double)n / dt);
  uint8_t *val = malloc(size), key[32];
  uint64_t x = 88172645463325252ull, m = n < 1000 ? n : 1000;
  t0 = now();
  for (uint64_t i = 0; i < m; i++) { /* single-put transactions: one fsync each */
    fph_synth_entry(n + i, size, val, key);
    if ((rc = fph_store_put(st, key, val, size))) die("put1", rc);
  }
  dt = now() - t0;
  printf("lmdb put  (one transaction each): %llu keys in %.2f s = %.0f puts/s\n", (unsigned long long)m, dt, (double)m / dt);
  t0 = now();
  for (uint64_t i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    fph_synth_entry(x % n, size, val, key);
    uint8_t *v;
    size_t len;
    if ((rc = fph_store_get(st, key, &v, &len)) || len != size) die("get", rc);
    free(v);
  }
  dt = now() - t0;
  printf("lmdb get  (random, with value copy): %llu keys in %.2f s = %.0f gets/s\n", (unsigned long long)n, dt,
         (double)n / dt);
  free(val);
  fph_store_close(st);
  fph_store_close(src);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  if (system(cmd)) fprintf(stderr, "bench_host: could not remove %s\n", path);
}

int main(int argc, char **argv) {
  uint64_t nserve = 200000, nlmdb = 1000000;
  size_t size = 64;
  const char *dir = "/tmp";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--serve")) nserve = strtoull(argv[i + 1], NULL, 10);
    else if (!strcmp(argv[i], "--lmdb")) nlmdb = strtoull(argv[i + 1], NULL, 10);
    else if (!strcmp(argv[i], "--size")) size = strtoull(argv[i + 1], NULL, 10);
    else if (!strcmp(argv[i], "--dir")) dir = argv[i + 1];
    else {
      fprintf(stderr, "usage: bench_host [--serve N] [--lmdb N] [--size BYTES] [--dir PATH]\n");
      return 2;
    }
  }
  if (size < 8) size = 8;
  if (nserve) {
    bench_serve(nserve, size, "mem", 0);
    bench_serve(nserve, size, "mem", 1);
    char spec[600];
    snprintf(spec, sizeof spec, "lmdb:%s/bench_host_serve.%d", dir, (int)getpid());
    bench_serve(nserve, size, spec, 0);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", spec + 5);
    if (system(cmd)) fprintf(stderr, "bench_host: could not remove %s\n", spec + 5);
  }
  if (nlmdb) bench_lmdb(nlmdb, size, dir);
  return 0;
}
