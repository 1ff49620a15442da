/* The SDK's freestanding SHA-256 against nettle (the host's fpk_sha256), and the shared fingerprint. */
#include "test.h"

#include "fingerprint.h"
#include "fpkit/fpp.h"

void fpp_panic(const char *fmt, ...) {
  (void)fmt;
  abort();
}

static void test_sdk_sha256_lengths(void) {
  static uint8_t buf[5000];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 131 + (i >> 8));
  for (size_t len = 0; len <= sizeof buf; len += len < 200 ? 1 : 37) {
    uint8_t a[32], b[32];
    fpp_sha256(a, buf, len);
    fpk_sha256(b, buf, len);
    CHECK(memcmp(a, b, 32) == 0);
  }
}

static void test_sdk_sha256_chunked(void) {
  static uint8_t buf[3000];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i ^ (i >> 3));
  uint8_t want[32];
  fpk_sha256(want, buf, sizeof buf);
  for (size_t step = 1; step < 200; step += 7) {
    fpp_sha256_ctx c;
    fpp_sha256_init(&c);
    for (size_t off = 0; off < sizeof buf; off += step)
      fpp_sha256_update(&c, buf + off, off + step <= sizeof buf ? step : sizeof buf - off);
    uint8_t got[32];
    fpp_sha256_final(&c, got);
    CHECK(memcmp(got, want, 32) == 0);
  }
}

static void test_sdk_sha256_known(void) {
  uint8_t h[32];
  fpp_sha256(h, "abc", 3);
  CHECK_HEX(h, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  fpp_sha256(h, "", 0);
  CHECK_HEX(h, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* The constant the freestanding selftest checks, computed with the host's hashes. */
static void test_sdk_fingerprint_host(void) {
  uint8_t fp[32];
  fpp_fingerprint(fp, fpk_sha256);
  CHECK_HEX(fp, 32, FPP_FINGERPRINT);
  fpp_fingerprint(fp, fpp_sha256);
  CHECK_HEX(fp, 32, FPP_FINGERPRINT);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_sdk_sha256_known);
  RUN(test_sdk_sha256_lengths);
  RUN(test_sdk_sha256_chunked);
  RUN(test_sdk_fingerprint_host);
  return fpk_test_main_end();
}
