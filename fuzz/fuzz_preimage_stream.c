/* Client reading preimage responses (and server reading keys) from arbitrary bytes: never reads past what
 * a length announced, never overflows the caller's buffer, reports every EOF. */
#include <stdlib.h>
#include <string.h>

#include "fpkit/preimage.h"
#include "fuzz_input.h"

static long wr(void *ctx, int fd, const void *buf, size_t len) { return len > 3 ? 3 : (long)len; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  size_t cap = data[1];
  chunked s = {data + 2, size - 2, 0, (size_t)(data[0] % 9) + 1};
  pre_io io = {&s, chunked_read, wr};
  pre_client c;
  pre_client_init(&c, &io);
  uint8_t key[32], *buf = malloc(cap ? cap : 1);
  pre_key_local(key, 1);
  for (int i = 0; i < 64; i++) {
    size_t len = 0, before = s.pos;
    int rc = pre_get(&c, key, buf, cap, &len);
    if (rc == FPK_OK) {
      if (len > cap || s.pos - before != 8 + len) abort();
    } else if (rc == FPK_ERANGE) {
      if (len <= cap || s.pos - before != 8 + len) abort();
    } else if (rc != FPK_ETRUNC) {
      abort();
    } else {
      break;
    }
  }
  free(buf);
  /* the same bytes as a server's key stream */
  s.pos = 0;
  pre_server srv;
  pre_server_init(&srv, &io);
  for (;;) {
    int rc = pre_server_read_key(&srv, key);
    if (rc == FPK_OK) {
      (void)pre_key_check(key);
      continue;
    }
    if (rc != FPK_ECLOSED && rc != FPK_ETRUNC) abort();
    break;
  }
  return 0;
}
