/* The preimage oracle over fds 3..6: libpreimage's client (src/preimage/client.c, the same file the
 * host links) with raw syscalls as its I/O, plus the SDK's panicking conveniences on top. */
#include "fpkit/fpp.h"

static pre_client client;

static long io_read(void *ctx, int fd, void *buf, size_t len) {
  (void)ctx;
  return fpp_sys_read(fd, buf, len);
}

static long io_write(void *ctx, int fd, const void *buf, size_t len) {
  (void)ctx;
  return fpp_sys_write(fd, buf, len);
}

void fpp_oracle_setup(void);
void fpp_oracle_setup(void) {
  pre_io io = {NULL, io_read, io_write};
  pre_client_init(&client, &io);
}

pre_client *fpp_oracle(void) { return &client; }

void fpp_hint(const char *hint) {
  int rc = pre_hint(&client, hint, fpp_strlen(hint));
  if (rc != FPK_OK) fpp_panic("hint \"%s\": %s", hint, fpk_strerror(rc));
}

void fpp_hintf(const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = fpp_vsnprintf(NULL, 0, fmt, ap);
  char *s = fpp_xmalloc((size_t)n + 1);
  fpp_vsnprintf(s, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  va_end(ap);
  fpp_hint(s);
  fpp_free(s);
}

void fpp_hint_hex(const char *type, const void *data, size_t len) {
  char *hex = fpp_xmalloc(2 * len + 1);
  fpp_hintf("%s 0x%s", type, fpp_hex(hex, data, len));
  fpp_free(hex);
}

/* Every failure on the preimage stream ends the program: a verdict without the data would be a lie. */
FPP_NORETURN static void key_fail(const uint8_t key[32], const char *what) {
  char hex[65];
  fpp_panic("preimage 0x%s: %s", fpp_hex(hex, key, 32), what);
}

uint8_t *fpp_get(const uint8_t key[32], size_t *len) {
  uint64_t n;
  int rc = pre_get_begin(&client, key, &n);
  if (rc != FPK_OK) key_fail(key, fpk_strerror(rc));
  uint8_t *buf = n < (uint64_t)(size_t)-1 ? fpp_malloc((size_t)n + 1) : NULL;
  if (!buf) key_fail(key, "no memory for the preimage");
  rc = pre_get_read(&client, buf, (size_t)n);
  if (rc != FPK_OK) key_fail(key, fpk_strerror(rc));
  buf[n] = 0;
  if (len) *len = (size_t)n;
  return buf;
}

void fpp_get_exact(const uint8_t key[32], void *buf, size_t want) {
  uint64_t n;
  int rc = pre_get_begin(&client, key, &n);
  if (rc != FPK_OK) key_fail(key, fpk_strerror(rc));
  /* A wrong length leaves unread bytes in the stream: nothing after this can be trusted. */
  if (n != want) {
    char hex[65];
    fpp_panic("preimage 0x%s: length %llu, want %zu", fpp_hex(hex, key, 32), (unsigned long long)n, want);
  }
  rc = pre_get_read(&client, buf, want);
  if (rc != FPK_OK) key_fail(key, fpk_strerror(rc));
}

uint8_t *fpp_get_keccak(const uint8_t hash[32], size_t *len) {
  uint8_t key[32], h[32];
  size_t n;
  pre_key_from_hash(key, PRE_KEY_KECCAK256, hash);
  uint8_t *data = fpp_get(key, &n);
  fpk_keccak256(h, data, n);
  if (fpp_memcmp(h + 1, hash + 1, 31) != 0) key_fail(key, "data does not hash to the key");
  if (len) *len = n;
  return data;
}

uint8_t *fpp_get_sha256(const uint8_t hash[32], size_t *len) {
  uint8_t key[32], h[32];
  size_t n;
  pre_key_from_hash(key, PRE_KEY_SHA256, hash);
  uint8_t *data = fpp_get(key, &n);
  fpp_sha256(h, data, n);
  if (fpp_memcmp(h + 1, hash + 1, 31) != 0) key_fail(key, "data does not hash to the key");
  if (len) *len = n;
  return data;
}

uint8_t *fpp_boot_bytes(uint64_t idx, size_t *len) {
  uint8_t key[32];
  pre_key_local(key, idx);
  return fpp_get(key, len);
}

uint64_t fpp_boot_u64(uint64_t idx) {
  uint8_t key[32], v[8];
  pre_key_local(key, idx);
  fpp_get_exact(key, v, 8);
  return fpk_be64(v);
}

void fpp_boot_hash(uint64_t idx, uint8_t out[32]) {
  uint8_t key[32];
  pre_key_local(key, idx);
  fpp_get_exact(key, out, 32);
}
