/* run_host MODE: a preimage host for the `fpvm run` CLI tests, on fds 3-6 as Cannon wires it.
 *   serve  acks every hint (and prints "hint: <text>" on stderr), answers every key with the bytes
 *          "fpvm-run-test-preimage\n", prints "host: ready" on stdout; exits 0 when the pipes close
 *   die    exits with status 3 as soon as a key arrives (a host that dies mid-request) */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int rd(int fd, void *buf, size_t n) {
  uint8_t *b = buf;
  while (n) {
    ssize_t r = read(fd, b, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    b += r;
    n -= (size_t)r;
  }
  return 0;
}

static int wr(int fd, const void *buf, size_t n) {
  const uint8_t *b = buf;
  while (n) {
    ssize_t r = write(fd, b, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    b += r;
    n -= (size_t)r;
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "serve";
  static const char value[] = "fpvm-run-test-preimage\n";
  printf("host: ready\n");
  fflush(stdout);
  int open3 = 1, open5 = 1;
  while (open3 || open5) {
    struct pollfd pf[2] = {{.fd = open3 ? 3 : -1, .events = POLLIN}, {.fd = open5 ? 5 : -1, .events = POLLIN}};
    if (poll(pf, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return 10;
    }
    if (pf[0].revents) {
      uint8_t l[4];
      if (rd(3, l, 4)) {
        open3 = 0;
      } else {
        uint32_t n = (uint32_t)l[0] << 24 | (uint32_t)l[1] << 16 | (uint32_t)l[2] << 8 | l[3];
        char *h = malloc((size_t)n + 1);
        if (!h || rd(3, h, n)) return 11;
        h[n] = 0;
        fprintf(stderr, "hint: %s\n", h);
        free(h);
        if (wr(4, "", 1)) return 12;
      }
    }
    if (pf[1].revents) {
      uint8_t k[32];
      if (rd(5, k, 32)) {
        open5 = 0;
      } else {
        if (!strcmp(mode, "die")) return 3;
        size_t n = sizeof value - 1;
        uint8_t lb[8];
        for (int i = 0; i < 8; i++) lb[i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
        if (wr(6, lb, 8) || wr(6, value, n)) return 13;
      }
    }
  }
  return 0;
}
