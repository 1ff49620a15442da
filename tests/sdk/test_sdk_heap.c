/* The SDK heap over a test-owned region: alignment, no overlap under random churn, reuse of freed
 * blocks, realloc keeps contents, exhaustion returns NULL, calloc overflow and zeroing. */
#include "test.h"

#include "fpkit/fpp.h"

static int panics;
void fpp_panic(const char *fmt, ...) {
  (void)fmt;
  panics++;
  abort();
}

enum { REGION = 64 << 20, SLOTS = 500 };

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static void test_sdk_heap_churn(void) {
  uint8_t *region = malloc(REGION);
  fpp_heap_init(region, REGION);
  uint8_t *ptr[SLOTS] = {0};
  size_t len[SLOTS] = {0};
  int bad_align = 0, bad_data = 0;
  for (int it = 0; it < 20000; it++) {
    int k = (int)(next() % SLOTS);
    if (ptr[k]) { /* check the pattern survived everything since, then free or grow */
      for (size_t i = 0; i < len[k]; i++) bad_data += ptr[k][i] != (uint8_t)(k + i);
      if (next() & 1) {
        fpp_free(ptr[k]);
        ptr[k] = NULL;
        continue;
      }
      size_t n = len[k] + next() % 3000;
      ptr[k] = fpp_realloc(ptr[k], n);
      CHECK(ptr[k] != NULL);
      for (size_t i = 0; i < len[k]; i++) bad_data += ptr[k][i] != (uint8_t)(k + i);
      len[k] = n;
    } else {
      len[k] = (next() & 7) == 0 ? next() % 100000 : next() % 200;
      ptr[k] = fpp_malloc(len[k]);
      CHECK(ptr[k] != NULL);
    }
    bad_align += ((uintptr_t)ptr[k] & 15) != 0;
    for (size_t i = 0; i < len[k]; i++) ptr[k][i] = (uint8_t)(k + i);
  }
  for (int k = 0; k < SLOTS; k++) {
    for (size_t i = 0; ptr[k] && i < len[k]; i++) bad_data += ptr[k][i] != (uint8_t)(k + i);
    fpp_free(ptr[k]);
  }
  CHECK(bad_align == 0);
  CHECK(bad_data == 0);
  CHECK(fpp_heap_used() <= REGION);
  free(region);
}

static void test_sdk_heap_reuse_and_limits(void) {
  static uint8_t region[1 << 16] __attribute__((aligned(16)));
  fpp_heap_init(region, sizeof region);
  void *p = fpp_malloc(100);
  fpp_free(p);
  CHECK(fpp_malloc(90) == p); /* same size class: the freed block comes back (deterministic) */
  CHECK(fpp_malloc(1 << 20) == NULL);
  CHECK(fpp_malloc((size_t)-1) == NULL);
  CHECK(fpp_calloc((size_t)1 << 40, (size_t)1 << 40) == NULL);
  uint8_t *z = fpp_malloc(64);
  memset(z, 0xaa, 64);
  fpp_free(z);
  uint8_t *c = fpp_calloc(8, 8);
  CHECK(c == z);
  int nonzero = 0;
  for (int i = 0; i < 64; i++) nonzero += c[i] != 0;
  CHECK(nonzero == 0);
  CHECK(fpp_realloc(c, 10) == c); /* shrinking stays in place */
  fpp_free(NULL);
  size_t used = fpp_heap_used();
  while (fpp_malloc(1000)) {
  }
  CHECK(fpp_heap_used() >= used);
  CHECK(fpp_heap_used() <= sizeof region);
  CHECK(panics == 0);
}

static void *regions[8];
static int nregions;
static void *grow_from_malloc(size_t need, size_t *got) {
  if (nregions == 8) return NULL;
  *got = need > 4096 ? need : 4096;
  return regions[nregions++] = malloc(*got);
}

static void test_sdk_heap_grows(void) {
  static uint8_t region[256] __attribute__((aligned(16)));
  fpp_heap_init(region, sizeof region);
  fpp_heap_set_grow(grow_from_malloc);
  uint8_t *a = fpp_malloc(200), *b = fpp_malloc(200), *c = fpp_malloc(10000);
  CHECK(a == region + 16); /* 200 + header fits the 256-byte first region */
  CHECK(b && c && nregions == 2);
  memset(c, 1, 10000);
  CHECK(fpp_heap_used() >= 256 + 256 + 16384);
  fpp_heap_set_grow(NULL);
  for (int i = 0; i < nregions; i++) free(regions[i]);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_sdk_heap_churn);
  RUN(test_sdk_heap_reuse_and_limits);
  RUN(test_sdk_heap_grows);
  return fpk_test_main_end();
}
