/* Server role of the Preimage ABI: read hints and keys, write acks and length-prefixed preimages. */
#include <stdlib.h>
#include <string.h>

#include "fpkit/preimage.h"

void pre_server_init(pre_server *s, const pre_io *io) {
  s->io = *io;
  s->hint_r = PRE_FD_HINT_READ;
  s->hint_w = PRE_FD_HINT_WRITE;
  s->pre_r = PRE_FD_PREIMAGE_READ;
  s->pre_w = PRE_FD_PREIMAGE_WRITE;
}

static int io_fail(int rc, const char *what) {
  if (rc == FPK_ECLOSED) return fpk_errf(rc, "preimage server: %s stream closed", what);
  if (rc == FPK_ETRUNC) return fpk_errf(rc, "preimage server: %s stream ended inside a message", what);
  return fpk_errf(rc, "preimage server: %s stream I/O failed", what);
}

int pre_server_read_hint(pre_server *s, char **hint, size_t *len) {
  uint8_t hdr[4];
  int rc = pre_read_full(&s->io, s->hint_r, hdr, 4);
  if (rc != FPK_OK) return io_fail(rc, "hint");
  uint32_t n = fpk_be32(hdr);
  if (n > PRE_HINT_MAX)
    return fpk_errf(FPK_ERANGE, "preimage server: hint length %u exceeds %u", n, PRE_HINT_MAX);
  /* Grow with the data actually received, so a bogus length costs nothing until bytes back it up. */
  size_t cap = n < 65536 ? (size_t)n + 1 : 65536, have = 0;
  char *buf = malloc(cap);
  if (!buf) return fpk_errf(FPK_ENOMEM, "preimage server: no memory for a %u-byte hint", n);
  while (have < n) {
    if (cap - 1 == have) {
      size_t ncap = cap * 2 > (size_t)n + 1 ? (size_t)n + 1 : cap * 2;
      char *nb = realloc(buf, ncap);
      if (!nb) {
        free(buf);
        return fpk_errf(FPK_ENOMEM, "preimage server: no memory for a %u-byte hint", n);
      }
      buf = nb;
      cap = ncap;
    }
    size_t want = (cap - 1) - have;
    rc = pre_read_full(&s->io, s->hint_r, buf + have, want);
    if (rc != FPK_OK) {
      free(buf);
      return io_fail(rc == FPK_ECLOSED ? FPK_ETRUNC : rc, "hint");
    }
    have += want;
  }
  buf[n] = 0;
  *hint = buf;
  *len = n;
  return FPK_OK;
}

int pre_server_ack(pre_server *s) {
  static const uint8_t ack = 0;
  int rc = pre_write_full(&s->io, s->hint_w, &ack, 1);
  return rc == FPK_OK ? rc : io_fail(rc, "hint ack");
}

int pre_server_read_key(pre_server *s, uint8_t key[32]) {
  int rc = pre_read_full(&s->io, s->pre_r, key, 32);
  return rc == FPK_OK ? rc : io_fail(rc, "preimage key");
}

int pre_server_write(pre_server *s, const void *data, size_t len) {
  /* Small answers go out in one write: half the syscalls, and the reader wakes once. */
  uint8_t small[8 + 512];
  fpk_put_be64(small, (uint64_t)len);
  int rc;
  if (len <= sizeof small - 8) {
    if (len) memcpy(small + 8, data, len);
    rc = pre_write_full(&s->io, s->pre_w, small, 8 + len);
  } else {
    rc = pre_write_full(&s->io, s->pre_w, small, 8);
    if (rc == FPK_OK) rc = pre_write_full(&s->io, s->pre_w, data, len);
  }
  return rc == FPK_OK ? rc : io_fail(rc, "preimage");
}
