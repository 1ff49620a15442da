/* fph_test_client: a native fault-proof-program stand-in that talks the Preimage ABI through libpreimage's
 * client on fds 3..6. Ops come from argv (see usage). With --spawn-host it plays the VM's part too: it
 * starts the host with the host's fds 3..6 wired to it, as `fpvm run … -- fphost --server` does. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fpkit/hex.h"
#include "fpkit/preimage.h"
#include "host/store.h"

static int fail(const char *op, const char *why) {
  fprintf(stderr, "fph_test_client: %s: %s\n", op, why);
  return 3;
}

static long hexdup(const char *s, uint8_t **out) {
  size_t n = strlen(s);
  *out = malloc(n / 2 + 1);
  return *out ? fpk_hex_decode(*out, n / 2 + 1, s, n) : -1;
}

static int get_cmp(pre_client *c, const char *op, const uint8_t key[32], const uint8_t *want, size_t wl) {
  static uint8_t buf[1 << 20];
  size_t len = 0;
  int rc = pre_get(c, key, buf, sizeof buf, &len);
  if (rc != FPK_OK) return fail(op, fpk_strerror(rc));
  if (len != wl || memcmp(buf, want, wl) != 0) return fail(op, "wrong bytes");
  return 0;
}

static int run_op(pre_client *c, const char *op) {
  if (!strncmp(op, "hint:", 5)) {
    int rc = pre_hint(c, op + 5, strlen(op + 5));
    return rc == FPK_OK ? 0 : fail(op, fpk_strerror(rc));
  }
  if (!strncmp(op, "exit:", 5)) exit(atoi(op + 5));
  if (!strncmp(op, "sleep:", 6)) { /* milliseconds */
    usleep((useconds_t)atoi(op + 6) * 1000u);
    return 0;
  }
  if (!strncmp(op, "get:", 4) || !strncmp(op, "local:", 6) || !strncmp(op, "getfail:", 8)) {
    const char *arg = strchr(op, ':') + 1;
    uint8_t key[32], *want = NULL;
    const char *eq = strchr(arg, '=');
    if (op[0] == 'l') {
      pre_key_local(key, strtoull(arg, NULL, 0));
    } else if (fpk_hex_decode(key, 32, arg, eq ? (size_t)(eq - arg) : strlen(arg)) != 32) {
      return fail(op, "bad key");
    }
    if (op[3] == 'f') { /* the host must fail this key: the stream ends without an answer */
      size_t len;
      uint8_t b[64];
      int rc = pre_get(c, key, b, sizeof b, &len);
      return rc == FPK_ETRUNC || rc == FPK_ECLOSED || rc == FPK_EIO ? 0 : fail(op, "host answered a key it should not have");
    }
    if (!eq) return fail(op, "want KEY=0xVALUE");
    long wl = hexdup(eq + 1, &want);
    if (wl < 0) return fail(op, "bad value");
    int r = get_cmp(c, op, key, want, (size_t)wl);
    free(want);
    return r;
  }
  if (!strncmp(op, "synth:", 6)) { /* synth:FROM:COUNT:SIZE */
    unsigned long long from = 0, count = 0, size = 0;
    if (sscanf(op + 6, "%llu:%llu:%llu", &from, &count, &size) != 3 || size < 8 || size > 4096)
      return fail(op, "want synth:FROM:COUNT:SIZE");
    uint8_t val[4096], key[32];
    for (unsigned long long i = from; i < from + count; i++) {
      fph_synth_entry(i, (size_t)size, val, key);
      int r = get_cmp(c, op, key, val, (size_t)size);
      if (r) return r;
    }
    return 0;
  }
  return fail(op, "unknown op");
}

static int spawn_host(char **argv, int *pid) {
  /* host fd 3 reads hints (we write), 4 writes acks (we read), 5 reads keys, 6 writes data */
  int p[4][2];
  for (int i = 0; i < 4; i++)
    if (pipe2(p[i], O_CLOEXEC) != 0) return -1;
  int host_end[4] = {p[0][0], p[1][1], p[2][0], p[3][1]};
  pid_t c = fork();
  if (c < 0) return -1;
  if (c == 0) {
    int high[4];
    for (int i = 0; i < 4; i++) high[i] = fcntl(host_end[i], F_DUPFD_CLOEXEC, 10);
    for (int i = 0; i < 4; i++)
      if (high[i] < 0 || dup2(high[i], 3 + i) < 0) _exit(127);
    execvp(argv[0], argv);
    _exit(127);
  }
  for (int i = 0; i < 4; i++) close(host_end[i]);
  /* our client fds: read acks 3 <- p[1][0], write hints 4 -> p[0][1], read data 5 <- p[3][0], keys 6 -> p[2][1] */
  int mine[4] = {p[1][0], p[0][1], p[3][0], p[2][1]};
  int high[4];
  for (int i = 0; i < 4; i++) high[i] = fcntl(mine[i], F_DUPFD_CLOEXEC, 10);
  for (int i = 0; i < 4; i++) {
    close(mine[i]);
    if (high[i] < 0) return -1;
  }
  for (int i = 0; i < 4; i++)
    if (dup3(high[i], 3 + i, O_CLOEXEC) < 0) return -1;
  for (int i = 0; i < 4; i++) close(high[i]);
  *pid = c;
  printf("host pid %d\n", (int)c);
  fflush(stdout);
  return 0;
}

int main(int argc, char **argv) {
  int nops = argc - 1, host = -1;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--spawn-host")) {
      nops = i - 1;
      if (i + 1 >= argc || spawn_host(argv + i + 1, &host) != 0) return fail("spawn", strerror(errno));
      break;
    }
  }
  pre_fdio_ctx ctx = {0};
  pre_io io;
  pre_io_fd(&io, &ctx);
  pre_client c;
  pre_client_init(&c, &io);
  int r = 0;
  for (int i = 1; i <= nops && !r; i++) r = run_op(&c, argv[i]);
  if (host < 0) return r;
  close(4), close(6); /* our write ends: the host sees a clean EOF */
  int st = 0;
  while (waitpid(host, &st, 0) < 0 && errno == EINTR) {
  }
  int hc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  printf("host exit %d\n", hc);
  return r ? r : hc;
}
