/* pre_io over plain file descriptors (host side only). */
#include <errno.h>
#include <unistd.h>

#include "fpkit/preimage.h"

static long fd_read(void *ctx, int fd, void *buf, size_t len) {
  pre_fdio_ctx *c = ctx;
  for (;;) {
    ssize_t n = read(fd, buf, len);
    if (n >= 0) return (long)n;
    if (errno != EINTR || (c && c->stop && *c->stop)) return -1;
  }
}

static long fd_write(void *ctx, int fd, const void *buf, size_t len) {
  pre_fdio_ctx *c = ctx;
  for (;;) {
    ssize_t n = write(fd, buf, len);
    if (n >= 0) return (long)n;
    if (errno != EINTR || (c && c->stop && *c->stop)) return -1;
  }
}

void pre_io_fd(pre_io *io, pre_fdio_ctx *ctx) {
  io->ctx = ctx;
  io->read = fd_read;
  io->write = fd_write;
}
