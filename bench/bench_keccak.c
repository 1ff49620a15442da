/* Keccak-256 timings on one core: ns per 64-byte node hash for every variant, ns per hash for
 * fpk_keccak256_nodes batches, MB/s for long inputs. Usage: bench_keccak [seconds-per-figure] */
#include <nettle/sha3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/keccak_impl.h"
#include "fpkit/keccak.h"

static double budget = 0.3; /* seconds per measurement */
/* The machine is shared: every figure is the best of TRIALS short runs, which filters out the time
 * slices lost to other processes. */
#define TRIALS 15

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint8_t sink;

/* nettle's permutation (x86-64 assembly in Debian's build) wrapped as a node hash */
static void node_nettle(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]) {
  struct sha3_state s;
  memset(&s, 0, sizeof s);
  memcpy(s.a, left, 32); /* little-endian host */
  memcpy((uint8_t *)s.a + 32, right, 32);
  s.a[8] = 1;
  s.a[16] = 0x8000000000000000ull;
  sha3_permute(&s);
  memcpy(out, s.a, 32);
}

typedef void (*node_fn)(uint8_t *, const uint8_t *, const uint8_t *);
typedef void (*nodes_fn)(uint8_t *, const uint8_t *, size_t);

/* Chained (each hash feeds the next): latency of one hash, the case of a proof or a tree path. */
static void bench_node(const char *name, node_fn f) {
  uint8_t buf[64] = {1, 2, 3};
  double best = 1e99;
  for (int trial = 0; trial < TRIALS; trial++) {
    long iters = 0;
    double t0 = now(), t;
    do {
      for (int i = 0; i < 200; i++) f(buf, buf, buf + 32);
      iters += 200;
    } while ((t = now() - t0) < budget / TRIALS);
    if (t / (double)iters < best) best = t / (double)iters;
  }
  sink ^= buf[0];
  printf("node %-20s %8.1f ns/hash\n", name, 1e9 * best);
}

static void bench_nodes(const char *name, nodes_fn f, size_t n) {
  uint8_t *in = malloc(64 * n), *out = malloc(32 * n);
  memset(in, 0x3c, 64 * n);
  double best = 1e99;
  for (int trial = 0; trial < TRIALS; trial++) {
    long hashes = 0;
    double t0 = now(), t;
    int reps = n >= 100 ? 10 : (int)(1000 / n); /* amortize the clock read (a system call for CPU time) */
    do {
      for (int i = 0; i < reps; i++) {
        f(out, in, n);
        in[0] ^= out[0];
      }
      hashes += reps * (long)n;
    } while ((t = now() - t0) < budget / TRIALS);
    if (t / (double)hashes < best) best = t / (double)hashes;
  }
  sink ^= out[0];
  printf("nodes %-10s n=%-4zu %8.1f ns/hash\n", name, n, 1e9 * best);
  free(in);
  free(out);
}

static void bench_long(size_t len) {
  uint8_t *buf = malloc(len), h[32];
  memset(buf, 0x61, len);
  double best = 0;
  for (int trial = 0; trial < TRIALS; trial++) {
    long bytes = 0;
    double t0 = now(), t;
    do {
      for (int i = 0; i < 16; i++) { /* amortize the clock read (a system call for CPU time) */
        fpk_keccak256(h, buf, len);
        buf[0] ^= h[0];
      }
      bytes += 16 * (long)len;
    } while ((t = now() - t0) < budget / TRIALS);
    if ((double)bytes / t > best) best = (double)bytes / t;
  }
  printf("keccak256 %8zu-byte input %8.1f MB/s\n", len, best / 1e6);
  free(buf);
}

int main(int argc, char **argv) {
  if (argc > 1) budget = atof(argv[1]);
  printf("dispatch: %s\n", fpk_keccak_impl());
  bench_node("ref-loop", fpk_keccak256_node_ref);
  bench_node("unrolled", fpk_keccak256_node_plain);
  bench_node("unrolled-lc", fpk_keccak256_node_lc);
  bench_node("unrolled-lc-peeled", fpk_keccak256_node_lc_peeled);
  bench_node("nettle", node_nettle);
#ifdef FPK_KECCAK_HAVE_X86
  if (fpk_keccak_cpu_bmi2()) {
    bench_node("unrolled-bmi", fpk_keccak256_node_bmi);
    bench_node("unrolled-lc-bmi", fpk_keccak256_node_bmi_lc);
    bench_node("unrolled-bmi-peeled", fpk_keccak256_node_bmi_peeled);
  }
#endif
  bench_node("public", fpk_keccak256_node);
  static const size_t ns[] = {1, 2, 4, 7, 8, 16, 64, 127, 1024};
  for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) bench_nodes("scalar", fpk_keccak256_nodes_scalar, ns[k]);
#ifdef FPK_KECCAK_HAVE_X86
  if (fpk_keccak_cpu_avx2())
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) bench_nodes("avx2", fpk_keccak256_nodes_avx2, ns[k]);
  if (fpk_keccak_cpu_avx512())
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) bench_nodes("avx512", fpk_keccak256_nodes_avx512, ns[k]);
#endif
  for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) bench_nodes("public", fpk_keccak256_nodes, ns[k]);
  bench_long(1000);
  bench_long(1 << 20);
  return sink == 0x7f ? 1 : 0;
}
