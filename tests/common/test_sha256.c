/* SHA-256: FIPS 180-2 known answers for the public function (nettle on hosts) and for the portable
 * implementation the freestanding SDK build uses, plus agreement around the padding boundaries. */
#include "common/keccak_impl.h"
#include "fpkit/keccak.h"
#include "test.h"

typedef void (*sha_fn)(uint8_t *, const void *, size_t);

static void known(sha_fn f) {
  uint8_t h[32];
  f(h, "", 0);
  CHECK_HEX(h, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  f(h, "abc", 3);
  CHECK_HEX(h, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  f(h, m, strlen(m));
  CHECK_HEX(h, 32, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  size_t n = 1000000;
  uint8_t *a = malloc(n);
  memset(a, 'a', n);
  f(h, a, n);
  CHECK_HEX(h, 32, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  free(a);
}

static void test_public(void) { known(fpk_sha256); }
static void test_portable(void) { known(fpk_sha256_portable); }

static void test_boundaries(void) {
  uint8_t msg[300], a[32], b[32];
  for (size_t i = 0; i < sizeof msg; i++) msg[i] = (uint8_t)(i * 31 + 7);
  int bad = 0;
  for (size_t n = 0; n <= sizeof msg; n++) {
    fpk_sha256(a, msg, n);
    fpk_sha256_portable(b, msg, n);
    if (memcmp(a, b, 32) != 0 && bad++ == 0) fprintf(stderr, "  first difference at length %zu\n", n);
  }
  CHECK(bad == 0);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_public);
  RUN(test_portable);
  RUN(test_boundaries);
  return fpk_test_main_end();
}
