/* Stand-in for libpreimage's client (preimage.md §1), compiled into the SDK only while
 * src/preimage/client.c does not exist (sdk/fpkit-cc picks). Same API, same wire behaviour. */
#include "fpkit/fpp.h"

static int read_full(pre_client *c, int fd, void *buf, size_t len) {
  uint8_t *p = buf;
  while (len) {
    long n = c->io.read(c->io.ctx, fd, p, len);
    if (n == 0) return fpk_errf(FPK_ECLOSED, "preimage client: fd %d closed by the host", fd);
    if (n < 0) return fpk_errf(FPK_EIO, "preimage client: read fd %d failed (%ld)", fd, n);
    p += n;
    len -= (size_t)n;
  }
  return FPK_OK;
}

static int write_full(pre_client *c, int fd, const void *buf, size_t len) {
  const uint8_t *p = buf;
  while (len) {
    long n = c->io.write(c->io.ctx, fd, p, len);
    if (n <= 0) return fpk_errf(FPK_EIO, "preimage client: write fd %d failed (%ld)", fd, n);
    p += n;
    len -= (size_t)n;
  }
  return FPK_OK;
}

void pre_client_init(pre_client *c, const pre_io *io) {
  c->io = *io;
  c->hint_r = PRE_FD_HINT_READ;
  c->hint_w = PRE_FD_HINT_WRITE;
  c->pre_r = PRE_FD_PREIMAGE_READ;
  c->pre_w = PRE_FD_PREIMAGE_WRITE;
}

int pre_hint(pre_client *c, const void *hint, size_t len) {
  if (len > 0xffffffffu) return fpk_errf(FPK_EINVAL, "preimage client: hint of %zu bytes", len);
  uint8_t hdr[4], ack;
  fpk_put_be32(hdr, (uint32_t)len);
  int rc = write_full(c, c->hint_w, hdr, 4);
  if (rc == FPK_OK) rc = write_full(c, c->hint_w, hint, len);
  if (rc == FPK_OK) rc = read_full(c, c->hint_r, &ack, 1); /* the value means nothing (VM: unwritten) */
  return rc;
}

int pre_get_begin(pre_client *c, const uint8_t key[32], uint64_t *len) {
  uint8_t b[8];
  int rc = write_full(c, c->pre_w, key, 32);
  if (rc == FPK_OK) rc = read_full(c, c->pre_r, b, 8);
  if (rc == FPK_OK) *len = fpk_be64(b);
  return rc;
}

int pre_get_read(pre_client *c, void *buf, size_t len) { return read_full(c, c->pre_r, buf, len); }

int pre_get(pre_client *c, const uint8_t key[32], void *buf, size_t cap, size_t *len) {
  uint64_t n;
  int rc = pre_get_begin(c, key, &n);
  if (rc != FPK_OK) return rc;
  if (n > cap) {
    uint8_t sink[64];
    for (uint64_t left = n; left;) {
      size_t k = left < sizeof sink ? (size_t)left : sizeof sink;
      if ((rc = read_full(c, c->pre_r, sink, k)) != FPK_OK) return rc;
      left -= k;
    }
    return fpk_errf(FPK_ERANGE, "preimage client: preimage of %llu bytes, buffer %zu", (unsigned long long)n, cap);
  }
  rc = read_full(c, c->pre_r, buf, (size_t)n);
  if (rc == FPK_OK) *len = (size_t)n;
  return rc;
}

int pre_get_local(pre_client *c, uint64_t index, void *buf, size_t cap, size_t *len) {
  uint8_t key[32];
  pre_key_local(key, index);
  return pre_get(c, key, buf, cap, len);
}
