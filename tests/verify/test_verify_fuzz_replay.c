/* Replays the fuzz_verify seeds and a fixed-seed batch of generated inputs through the fuzz harness in
 * the normal test run (and under ASan/UBSan in a sanitizer build). The harness aborts on any broken
 * invariant: an undocumented result code, a failure without a reason, a post hash that is not
 * keccak(post witness) with its status byte, or two different answers for the same input. */
#include <dirent.h>
#include <libgen.h>

#include "../../fuzz/fuzz_verify.c"
#include "test.h"

static size_t replay_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *f = fopen(path, "rb");
    if (!f) continue;
    static uint8_t buf[1 << 16];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);
    n++;
  }
  closedir(d);
  return n;
}

static void test_seeds(void) {
  char here[2048], dir[4096];
  snprintf(here, sizeof here, "%s", __FILE__);
  snprintf(dir, sizeof dir, "%s/../../fuzz/corpus/verify", dirname(here));
  size_t n = replay_dir(dir);
  fprintf(stderr, "  %zu seeds from %s\n", n, dir);
  CHECK(n >= 6);
}

static void test_generated(void) {
  uint64_t x = 0x243F6A8885A308D3ull; /* fixed seed: the same inputs every run */
  uint8_t buf[700];
  for (int it = 0; it < 3000; it++) {
    for (size_t i = 0; i < sizeof buf; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      buf[i] = (uint8_t)x;
    }
    buf[0] = (uint8_t)(it % 8 == 7 ? 1 : buf[0] & 0xFE); /* mostly built witnesses, some raw bytes */
    LLVMFuzzerTestOneInput(buf, 1 + (size_t)(x % (sizeof buf - 1)));
  }
  CHECK(1); /* reaching here means no invariant aborted */
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_seeds);
  RUN(test_generated);
  return fpk_test_main_end();
}
