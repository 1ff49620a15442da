/* pre_io over plain file descriptors (host side only). A spawner may hand us non-blocking fds (Go marks its
 * pipe ends O_NONBLOCK); EAGAIN then waits in poll instead of failing. */
#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "fpkit/preimage.h"

static int retry(pre_fdio_ctx *c, int fd, short ev) {
  if (c && c->stop && *c->stop) return 0;
  if (errno == EINTR) return 1;
  if (errno != EAGAIN && errno != EWOULDBLOCK) return 0;
  struct pollfd p = {fd, ev, 0};
  return poll(&p, 1, -1) >= 0 || errno == EINTR;
}

static long fd_read(void *ctx, int fd, void *buf, size_t len) {
  for (;;) {
    ssize_t n = read(fd, buf, len);
    if (n >= 0) return (long)n;
    if (!retry(ctx, fd, POLLIN)) return -1;
  }
}

static long fd_write(void *ctx, int fd, const void *buf, size_t len) {
  for (;;) {
    ssize_t n = write(fd, buf, len);
    if (n >= 0) return (long)n;
    if (!retry(ctx, fd, POLLOUT)) return -1;
  }
}

void pre_io_fd(pre_io *io, pre_fdio_ctx *ctx) {
  io->ctx = ctx;
  io->read = fd_read;
  io->write = fd_write;
}
