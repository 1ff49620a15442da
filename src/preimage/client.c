/* Client role of the Preimage ABI and key construction. Freestanding: the SDK compiles this file with
 * -ffreestanding for the VM, so it touches the outside world only through pre_io and uses no libc beyond
 * memcpy/memset (reached through the builtins, so no libc header is needed). Errors are return codes only
 * (fpk_errf needs vsnprintf). */
#include "fpkit/keccak.h"
#include "fpkit/preimage.h"

void pre_key_local(uint8_t key[32], uint64_t index) {
  __builtin_memset(key, 0, 32);
  key[0] = PRE_KEY_LOCAL;
  fpk_put_be64(key + 24, index);
}

void pre_key_from_hash(uint8_t key[32], uint8_t type, const uint8_t hash[32]) {
  /* byte loop, not memcpy: key may alias hash */
  for (int i = 1; i < 32; i++) key[i] = hash[i];
  key[0] = type;
}

void pre_key_keccak256(uint8_t key[32], const void *data, size_t len) {
  fpk_keccak256(key, data, len);
  key[0] = PRE_KEY_KECCAK256;
}

int pre_read_full(const pre_io *io, int fd, void *buf, size_t len) {
  uint8_t *p = buf;
  size_t done = 0;
  while (done < len) {
    long n = io->read(io->ctx, fd, p + done, len - done);
    if (n == 0) return done == 0 ? FPK_ECLOSED : FPK_ETRUNC;
    if (n < 0 || (size_t)n > len - done) return FPK_EIO;
    done += (size_t)n;
  }
  return FPK_OK;
}

int pre_write_full(const pre_io *io, int fd, const void *buf, size_t len) {
  const uint8_t *p = buf;
  size_t done = 0;
  while (done < len) {
    long n = io->write(io->ctx, fd, p + done, len - done);
    /* A writer that accepts nothing would spin forever; treat it as a closed peer. */
    if (n == 0) return FPK_ECLOSED;
    if (n < 0 || (size_t)n > len - done) return FPK_EIO;
    done += (size_t)n;
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

/* Any EOF on the client side is fatal: the host went away while we still need it. */
static int eof_is_trunc(int rc) { return rc == FPK_ECLOSED ? FPK_ETRUNC : rc; }

int pre_hint(pre_client *c, const void *hint, size_t len) {
  if (len > 0xffffffffu) return FPK_ERANGE;
  uint8_t hdr[4];
  fpk_put_be32(hdr, (uint32_t)len);
  int rc = pre_write_full(&c->io, c->hint_w, hdr, 4);
  if (rc == FPK_OK) rc = pre_write_full(&c->io, c->hint_w, hint, len);
  if (rc != FPK_OK) return rc;
  /* The ack's value carries no meaning (on the VM the read writes no memory at all). */
  uint8_t ack = 0;
  return pre_read_full(&c->io, c->hint_r, &ack, 1);
}

int pre_get_begin(pre_client *c, const uint8_t key[32], uint64_t *len) {
  int rc = pre_write_full(&c->io, c->pre_w, key, 32);
  if (rc != FPK_OK) return rc;
  uint8_t hdr[8];
  rc = pre_read_full(&c->io, c->pre_r, hdr, 8);
  if (rc != FPK_OK) return eof_is_trunc(rc);
  *len = fpk_be64(hdr);
  return FPK_OK;
}

int pre_get_read(pre_client *c, void *buf, size_t len) {
  return eof_is_trunc(pre_read_full(&c->io, c->pre_r, buf, len));
}

/* Consume n bytes nobody wants, so the next response starts at its length prefix. */
static int drain(pre_client *c, uint64_t n) {
  uint8_t scratch[256];
  while (n > 0) {
    size_t chunk = n < sizeof scratch ? (size_t)n : sizeof scratch;
    int rc = pre_get_read(c, scratch, chunk);
    if (rc != FPK_OK) return rc;
    n -= chunk;
  }
  return FPK_OK;
}

int pre_get(pre_client *c, const uint8_t key[32], void *buf, size_t cap, size_t *len) {
  uint64_t n = 0;
  int rc = pre_get_begin(c, key, &n);
  if (rc != FPK_OK) return rc;
  if (n > (uint64_t)cap) {
    *len = n > (uint64_t)SIZE_MAX ? SIZE_MAX : (size_t)n;
    rc = drain(c, n);
    return rc != FPK_OK ? rc : FPK_ERANGE;
  }
  *len = (size_t)n;
  return pre_get_read(c, buf, (size_t)n);
}

int pre_get_local(pre_client *c, uint64_t index, void *buf, size_t cap, size_t *len) {
  uint8_t key[32];
  pre_key_local(key, index);
  return pre_get(c, key, buf, cap, len);
}
