/* Hint stream + hint text parser: arbitrary bytes as the server's hint input, delivered in odd chunk sizes. */
#include <stdlib.h>
#include <string.h>

#include "fpkit/preimage.h"
#include "fuzz_input.h"

static long wr(void *ctx, int fd, const void *buf, size_t len) { return (long)len; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  chunked s = {data + 1, size - 1, 0, (size_t)(data[0] % 7) + 1};
  pre_io io = {&s, chunked_read, wr};
  pre_server srv;
  pre_server_init(&srv, &io);
  for (;;) {
    char *h;
    size_t len;
    int rc = pre_server_read_hint(&srv, &h, &len);
    if (rc != FPK_OK) {
      if (rc != FPK_ECLOSED && rc != FPK_ETRUNC && rc != FPK_ERANGE) abort();
      break;
    }
    if (pre_server_ack(&srv) != FPK_OK) abort();
    pre_hint_parts parts;
    if (pre_hint_split(&parts, h, len) == FPK_OK) {
      if (parts.type_len == 0 || parts.type_len > len) abort();
      uint8_t out[64];
      long r = pre_hint_data(out, sizeof out, &parts);
      if (r > (long)sizeof out) abort();
      if (r >= 0 && (size_t)r * 2 + 2 != parts.data_hex_len) abort();
    }
    free(h);
  }
  return 0;
}
