/* Keccak-256: known answers, the sponge's block boundaries, and every permutation / node variant
 * (scalar, AVX2, AVX-512 where the CPU has them) against the textbook reference loop. */
#include <nettle/sha3.h>

#include "common/keccak_impl.h"
#include "fpkit/keccak.h"
#include "test.h"

/* splitmix64: deterministic pseudo-random test data */
static uint64_t rng_state = 0x1234;
static uint64_t rnd(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static void fill(uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)rnd();
}

static void test_known(void) {
  uint8_t h[32], a3[200];
  fpk_keccak256(h, "", 0);
  CHECK_HEX(h, 32, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  fpk_keccak256(h, "abc", 3);
  CHECK_HEX(h, 32, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  memset(a3, 0xa3, sizeof a3);
  fpk_keccak256(h, a3, sizeof a3);
  CHECK_HEX(h, 32, "3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a");
}

/* Expected values from an independent model; message byte i = (7i + 3) mod 256. */
static void test_lengths(void) {
  static const struct {
    size_t n;
    const char *hex;
  } v[] = {
      {1, "69c322e3248a5dfc29d73c5b0553b0185a35cd5bb6386747517ef7e53b15e287"},
      {31, "8522dc30be01c01348c0591309ac2948c9ae4ce02facbb745f85a5297286d3dd"},
      {32, "04d1b47ed3b04c5ff6a0280293cb2ab55bd297c9c2e0c3449831b419285d7df2"},
      {33, "6aa134a68136f6d487895406a25cc734a9b20cb805cd09b7c1dcb29bcd490fe6"},
      {63, "48d8e506b57c81c8257a8e1da7f04610191ef05bf96fa9dc4fb9bca39bbed2c6"},
      {64, "0251cf13aa5b18f1cbda7cddbe85f3dc536fc93df590c2d20ca9b28af1ed2c39"},
      {65, "b3ee368701a0d7056be60b0a489e173d9dc8621640d734693858e846d30c3f65"},
      {135, "00ef96af9cf4b24c7f269d922294444a197d0a33638c2e56634c57e892103a8f"},
      {136, "742061bcad767ed4c4f5883b1dcb1aad11afdcc140dc469d953759b127b9f9ed"},
      {137, "e3371f61e770abf254c34239c3b0099ad90594507415bc81dd0a10b9692bbf2a"},
      {271, "4401c4afbe16ff911bdbf2d38e556e5b861f3fdf0f9d4306b1c46f6ae4f73584"},
      {272, "ac141fd7b0a0ffcd2e967254d508da3ec616596493c36fa304425647d90e6de5"},
      {273, "16192ea86793083e47731cb3c970600f04768414d92bc0540e54ce8607a0fce0"},
      {1000, "80cdc8dd52cbb3dbaea8f383209893fa2bb52efbd5aedbb4b26dcfe307fcdc9b"},
  };
  uint8_t msg[1000], h[32], h2[32];
  for (size_t i = 0; i < sizeof msg; i++) msg[i] = (uint8_t)(7 * i + 3);
  for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
    fpk_keccak256(h, msg, v[k].n);
    CHECK_HEX(h, 32, v[k].hex);
    /* incremental, in chunks of every size 1..140: must equal one-shot */
    for (size_t chunk = 1; chunk <= 140; chunk += (v[k].n > 300 ? 13 : 1)) {
      fpk_keccak_ctx c;
      fpk_keccak_init(&c);
      for (size_t off = 0; off < v[k].n; off += chunk)
        fpk_keccak_update(&c, msg + off, v[k].n - off < chunk ? v[k].n - off : chunk);
      fpk_keccak_final(&c, h2);
      if (memcmp(h, h2, 32) != 0) {
        fprintf(stderr, "  n=%zu chunk=%zu\n", v[k].n, chunk);
        CHECK(memcmp(h, h2, 32) == 0);
        break;
      }
    }
  }
  /* a split exactly at the block boundary, then the rest in one go */
  fpk_keccak_ctx c;
  fpk_keccak_init(&c);
  fpk_keccak_update(&c, msg, 136);
  fpk_keccak_update(&c, msg + 136, 0);
  fpk_keccak_update(&c, msg + 136, 137);
  fpk_keccak_final(&c, h2);
  CHECK_HEX(h2, 32, "16192ea86793083e47731cb3c970600f04768414d92bc0540e54ce8607a0fce0");
}

/* fpk_keccakf (generated, lane complementing) and nettle's sha3_permute against the reference loop. */
static void test_permutation(void) {
  for (int t = 0; t < 200; t++) {
    uint64_t a[25], b[25];
    struct sha3_state ns;
    for (int i = 0; i < 25; i++) a[i] = b[i] = ns.a[i] = rnd();
    if (t == 0)
      for (int i = 0; i < 25; i++) a[i] = b[i] = ns.a[i] = 0;
    uint64_t c[25], d[25];
    memcpy(c, b, sizeof c);
    memcpy(d, b, sizeof d);
    fpk_keccakf_ref(a);
    fpk_keccakf(b);
    fpk_keccakf_lc(c);
    sha3_permute(&ns);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK(memcmp(a, c, sizeof a) == 0);
    CHECK(memcmp(a, ns.a, sizeof a) == 0);
#ifdef FPK_KECCAK_HAVE_X86
    if (fpk_keccak_cpu_bmi2()) {
      fpk_keccakf_bmi(d);
      CHECK(memcmp(a, d, sizeof a) == 0);
    }
#endif
  }
}

typedef void (*node_fn)(uint8_t *, const uint8_t *, const uint8_t *);
typedef void (*nodes_fn)(uint8_t *, const uint8_t *, size_t);

static void check_node_fn(const char *name, node_fn f) {
  uint8_t in[64], want[32], got[32];
  for (int t = 0; t < 100; t++) {
    fill(in, 64);
    if (t == 0) memset(in, 0, 64);
    if (t == 1) memset(in, 0xff, 64);
    fpk_keccak256(want, in, 64);
    f(got, in, in + 32);
    if (memcmp(want, got, 32) != 0) {
      fprintf(stderr, "  node variant %s differs (t=%d)\n", name, t);
      CHECK(0);
      return;
    }
    /* out aliasing left */
    memcpy(got, in, 32);
    f(got, got, in + 32);
    CHECK(memcmp(want, got, 32) == 0);
  }
}

static void test_node_variants(void) {
  check_node_fn("ref", fpk_keccak256_node_ref);
  check_node_fn("plain", fpk_keccak256_node_plain);
  check_node_fn("lc", fpk_keccak256_node_lc);
  check_node_fn("lc-peeled", fpk_keccak256_node_lc_peeled);
  check_node_fn("public", fpk_keccak256_node);
#ifdef FPK_KECCAK_HAVE_X86
  if (fpk_keccak_cpu_bmi2()) {
    check_node_fn("bmi", fpk_keccak256_node_bmi);
    check_node_fn("bmi-lc", fpk_keccak256_node_bmi_lc);
    check_node_fn("bmi-peeled", fpk_keccak256_node_bmi_peeled);
  } else {
    fprintf(stderr, "  note: no BMI1/BMI2 on this CPU, bmi variants not run\n");
  }
  check_node_fn("x86-dispatch", fpk_keccak256_node_x86);
#endif
  uint8_t h[32];
  uint8_t z[32] = {0};
  fpk_keccak256_node(h, z, z);
  CHECK_HEX(h, 32, "ad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5");
}

static void check_nodes_fn(const char *name, nodes_fn f) {
  enum { MAXN = 40 };
  uint8_t in[64 * MAXN], want[32 * MAXN], got[32 * MAXN + 32], inplace[64 * MAXN];
  int bad = 0;
  for (size_t n = 0; n <= MAXN && !bad; n++) {
    fill(in, sizeof in);
    for (size_t i = 0; i < n; i++) fpk_keccak256(want + 32 * i, in + 64 * i, 64);
    memset(got, 0x5a, sizeof got);
    f(got, in, n);
    if (memcmp(want, got, 32 * n) != 0) bad = 1;
    for (size_t k = 32 * n; k < sizeof got; k++)
      if (got[k] != 0x5a) bad = 2; /* wrote past the end */
    /* in place: out == in, as used for halving a page level by level */
    memcpy(inplace, in, sizeof in);
    f(inplace, inplace, n);
    if (memcmp(want, inplace, 32 * n) != 0) bad = 3;
    if (bad) fprintf(stderr, "  nodes variant %s: failure kind %d at n=%zu\n", name, bad, n);
  }
  CHECK(bad == 0);
}

static void test_nodes_variants(void) {
  check_nodes_fn("scalar", fpk_keccak256_nodes_scalar);
  check_nodes_fn("public", fpk_keccak256_nodes);
  int simd = 0;
#ifdef FPK_KECCAK_HAVE_X86
  /* This machine is expected to have both; a variant the CPU lacks cannot be run, which is reported. */
  if (fpk_keccak_cpu_avx2()) {
    check_nodes_fn("avx2", fpk_keccak256_nodes_avx2);
    simd++;
  } else {
    fprintf(stderr, "  note: no AVX2 on this CPU, avx2 variant not run\n");
  }
  if (fpk_keccak_cpu_avx512()) {
    check_nodes_fn("avx512", fpk_keccak256_nodes_avx512);
    simd++;
  } else {
    fprintf(stderr, "  note: no AVX-512F on this CPU, avx512 variant not run\n");
  }
#endif
  fprintf(stderr, "  impl %s, %d SIMD variants tested\n", fpk_keccak_impl(), simd);
  CHECK(fpk_keccak_impl()[0] != 0);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_known);
  RUN(test_lengths);
  RUN(test_permutation);
  RUN(test_node_variants);
  RUN(test_nodes_variants);
  return fpk_test_main_end();
}
