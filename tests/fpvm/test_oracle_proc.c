/* oracle_proc: a real child host over fds 3..6. The test binary is its own host: run with
 * "--host <mode>" it serves the wire protocol (or misbehaves) from fds 3..6. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fpkit/fpk.h"
#include "fpvm/oracle_proc.h"
#include "test.h"

/* ---- host side */

static bool rd(int fd, void *buf, size_t n) {
  uint8_t *b = buf;
  while (n) {
    ssize_t r = read(fd, b, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    b += r;
    n -= (size_t)r;
  }
  return true;
}

static bool wr(int fd, const void *buf, size_t n) {
  const uint8_t *b = buf;
  while (n) {
    ssize_t r = write(fd, b, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    b += r;
    n -= (size_t)r;
  }
  return true;
}

/* The preimage of key k: type 2 → "abc"; k[31] == 0xEE → NO_COLOR's value; k[31] == 0xBB → 200000
 * bytes of 'x'; k[31] == 0x00 → empty; else 8 bytes k[24..32) reversed. */
static uint8_t *host_value(const uint8_t k[32], size_t *n) {
  uint8_t *v;
  if (k[0] == 2) {
    *n = 3;
    v = malloc(3);
    memcpy(v, "abc", 3);
  } else if (k[31] == 0xEE) {
    const char *e = getenv("NO_COLOR");
    *n = e ? strlen(e) : 0;
    v = malloc(*n + 1);
    memcpy(v, e ? e : "", *n);
  } else if (k[31] == 0xBB) {
    *n = 200000;
    v = malloc(*n);
    memset(v, 'x', *n);
  } else if (k[31] == 0) {
    *n = 0;
    v = malloc(1);
  } else {
    *n = 8;
    v = malloc(8);
    for (int i = 0; i < 8; i++) v[i] = k[31 - i];
  }
  return v;
}

static int host_main(const char *mode) {
  if (!strcmp(mode, "exit0")) return 0;
  if (!strcmp(mode, "exit5")) return 5;
  if (!strcmp(mode, "ignore-int")) signal(SIGINT, SIG_IGN);
  if (!strcmp(mode, "hang-close") || !strcmp(mode, "ignore-int")) {
    for (int fd = 3; fd <= 6; fd++) close(fd);
    for (;;) pause();
  }
  if (!strcmp(mode, "hang")) { /* keep the pipes open but never answer */
    for (;;) pause();
  }
  fputs("host-out\n", stdout);
  fflush(stdout);
  fputs("host-err\n", stderr);
  bool die = !strcmp(mode, "die");
  bool open3 = true, open5 = true;
  while (open3 || open5) {
    struct pollfd pf[2] = {{.fd = open3 ? 3 : -1, .events = POLLIN}, {.fd = open5 ? 5 : -1, .events = POLLIN}};
    if (poll(pf, 2, -1) < 0) return 10;
    if (pf[0].revents) {
      uint8_t l[4];
      if (!rd(3, l, 4)) {
        open3 = false;
      } else {
        uint32_t n = fpk_be32(l);
        uint8_t *h = malloc(n ? n : 1);
        if (!rd(3, h, n)) return 11;
        /* log what was hinted so the parent can check the bytes arrived intact */
        fprintf(stderr, "hint %u %02x%02x\n", n, n ? h[0] : 0, n ? h[n - 1] : 0);
        free(h);
        if (!wr(4, "\0", 1)) return 12;
      }
    }
    if (pf[1].revents) {
      uint8_t k[32];
      if (!rd(5, k, 32)) {
        open5 = false;
      } else {
        if (die) return 3;
        size_t n;
        uint8_t *v = host_value(k, &n);
        uint8_t lb[8];
        fpk_put_be64(lb, n);
        if (!wr(6, lb, 8) || !wr(6, v, n)) return 13;
        free(v);
      }
    }
  }
  return 0;
}

/* ---- parent side */

static char self_path[4096];

typedef struct {
  char out[4096], err[4096];
  size_t nout, nerr;
} captured;

static void on_output(void *ctx, int stream, const uint8_t *buf, size_t len) {
  captured *c = ctx;
  char *dst = stream == 1 ? c->out : c->err;
  size_t *n = stream == 1 ? &c->nout : &c->nerr;
  size_t room = sizeof c->out - 1 - *n;
  if (len > room) len = room;
  memcpy(dst + *n, buf, len);
  *n += len;
  dst[*n] = 0;
}

static fpvm_oracle_proc *start(const char *mode, captured *cap, unsigned grace, unsigned wait) {
  static char *argv[4];
  argv[0] = self_path;
  argv[1] = (char *)"--host";
  argv[2] = (char *)mode;
  argv[3] = NULL;
  fpvm_oracle_proc_opts o;
  fpvm_oracle_proc_opts_init(&o, argv);
  o.output = cap ? on_output : NULL;
  o.ctx = cap;
  o.exit_grace_ms = grace;
  o.close_wait_ms = wait;
  fpvm_oracle_proc *p = NULL;
  int rc = fpvm_oracle_proc_start(&p, &o);
  CHECK(rc == FPK_OK);
  if (rc != FPK_OK) fprintf(stderr, "start: %s\n", fpk_errmsg());
  return p;
}

static void test_oracle_proc_serves(void) {
  captured cap = {0};
  fpvm_oracle_proc *p = start("serve", &cap, 100, 2000);
  if (!p) return;
  fpvm_oracle o = fpvm_oracle_proc_oracle(p);
  uint8_t key[32] = {0};
  key[0] = 2;
  uint8_t *v = NULL;
  size_t n = 0;
  CHECK(o.get(o.ctx, key, &v, &n) == FPK_OK);
  CHECK(n == 3 && v && memcmp(v, "abc", 3) == 0);
  free(v);

  key[0] = 1;
  key[24] = 0x11;
  key[31] = 0x88;
  CHECK(o.get(o.ctx, key, &v, &n) == FPK_OK);
  CHECK_HEX(v, n, "8800000000000011");
  free(v);

  key[31] = 0xEE; /* the host's NO_COLOR */
  CHECK(o.get(o.ctx, key, &v, &n) == FPK_OK);
  CHECK(n == 1 && v && v[0] == '1');
  free(v);

  key[31] = 0; /* empty preimage */
  v = NULL;
  CHECK(o.get(o.ctx, key, &v, &n) == FPK_OK);
  CHECK(n == 0 && v != NULL);
  free(v);

  key[31] = 0xBB; /* larger than a pipe buffer */
  CHECK(o.get(o.ctx, key, &v, &n) == FPK_OK);
  CHECK(n == 200000 && v && v[0] == 'x' && v[199999] == 'x');
  free(v);

  CHECK(o.hint(o.ctx, (const uint8_t *)"l1-block 0x12", 13) == FPK_OK);
  uint8_t *big = malloc(100000);
  memset(big, 'h', 100000);
  big[0] = 'A';
  big[99999] = 'Z';
  CHECK(o.hint(o.ctx, big, 100000) == FPK_OK);
  free(big);
  CHECK(o.hint(o.ctx, (const uint8_t *)"", 0) == FPK_OK);

  int code = -1;
  CHECK(!fpvm_oracle_proc_exited(p, &code));
  /* The host exits on EOF once close shuts our ends: status 0. */
  CHECK(fpvm_oracle_proc_close(p) == FPK_OK);
  CHECK(strcmp(cap.out, "host-out\n") == 0);
  CHECK(strstr(cap.err, "host-err\n") != NULL);
  CHECK(strstr(cap.err, "hint 13 6c32\n") != NULL);
  CHECK(strstr(cap.err, "hint 100000 415a\n") != NULL);
  CHECK(strstr(cap.err, "hint 0 0000\n") != NULL);
}

static void test_oracle_proc_host_dies(void) {
  captured cap = {0};
  fpvm_oracle_proc *p = start("die", &cap, 100, 1000);
  if (!p) return;
  fpvm_oracle o = fpvm_oracle_proc_oracle(p);
  uint8_t key[32] = {2};
  uint8_t *v = (uint8_t *)1;
  size_t n = 7;
  CHECK(o.get(o.ctx, key, &v, &n) == FPK_ECLOSED);
  CHECK(v == NULL && n == 0);
  CHECK(strstr(fpk_errmsg(), "exited with code 3") != NULL);
  int code = -1;
  CHECK(fpvm_oracle_proc_exited(p, &code) && code == 3);
  /* Later calls fail the same way instead of hanging. */
  CHECK(o.hint(o.ctx, (const uint8_t *)"x", 1) == FPK_ECLOSED);
  CHECK(fpvm_oracle_proc_close(p) == FPK_EIO);
  CHECK(strcmp(fpk_errmsg(), "exit status 3") == 0);
}

static void test_oracle_proc_host_closes_pipes(void) {
  /* The host closes fds 3..6 but stays alive: calls fail at once; close needs SIGINT. */
  fpvm_oracle_proc *p = start("hang-close", NULL, 50, 200);
  if (!p) return;
  fpvm_oracle o = fpvm_oracle_proc_oracle(p);
  uint8_t key[32] = {2};
  uint8_t *v = NULL;
  size_t n = 0;
  CHECK(o.get(o.ctx, key, &v, &n) == FPK_ECLOSED);
  CHECK(strstr(fpk_errmsg(), "pre-image server") != NULL);
  CHECK(o.hint(o.ctx, (const uint8_t *)"x", 1) == FPK_ECLOSED);
  CHECK(fpvm_oracle_proc_close(p) == FPK_EIO);
  CHECK(strcmp(fpk_errmsg(), "signal: interrupt") == 0);
}

static void test_oracle_proc_kill(void) {
  fpvm_oracle_proc *p = start("ignore-int", NULL, 50, 200);
  if (!p) return;
  CHECK(fpvm_oracle_proc_close(p) == FPK_EIO);
  CHECK(strcmp(fpk_errmsg(), "signal: killed") == 0);
}

static void test_oracle_proc_exit_codes(void) {
  fpvm_oracle_proc *p = start("exit0", NULL, 1000, 1000);
  if (p) CHECK(fpvm_oracle_proc_close(p) == FPK_OK);
  p = start("exit5", NULL, 1000, 1000);
  if (p) {
    CHECK(fpvm_oracle_proc_close(p) == FPK_EIO);
    CHECK(strcmp(fpk_errmsg(), "exit status 5") == 0);
  }
}

static void test_oracle_proc_hang_is_interrupted(void) {
  /* A host that keeps its pipes open and never exits on EOF: SIGINT ends it. */
  fpvm_oracle_proc *p = start("hang", NULL, 50, 200);
  if (!p) return;
  CHECK(fpvm_oracle_proc_close(p) == FPK_EIO);
  CHECK(strcmp(fpk_errmsg(), "signal: interrupt") == 0);
}

static void test_oracle_proc_bad_program(void) {
  char *argv[] = {(char *)"/nonexistent/fpvm-no-such-host", NULL};
  fpvm_oracle_proc_opts o;
  fpvm_oracle_proc_opts_init(&o, argv);
  fpvm_oracle_proc *p = (fpvm_oracle_proc *)1;
  CHECK(fpvm_oracle_proc_start(&p, &o) == FPK_EIO);
  CHECK(p == NULL);
  CHECK(strstr(fpk_errmsg(), "fpvm-no-such-host") != NULL);
  char *none[] = {NULL};
  fpvm_oracle_proc_opts_init(&o, none);
  CHECK(fpvm_oracle_proc_start(&p, &o) == FPK_EINVAL);
}

int main(int argc, char **argv) {
  if (argc >= 3 && !strcmp(argv[1], "--host")) return host_main(argv[2]);
  fpk_test_init(argc, argv);
  ssize_t l = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
  if (l <= 0) {
    fprintf(stderr, "cannot find /proc/self/exe\n");
    return 1;
  }
  self_path[l] = 0;
  RUN(test_oracle_proc_serves);
  RUN(test_oracle_proc_host_dies);
  RUN(test_oracle_proc_host_closes_pipes);
  RUN(test_oracle_proc_kill);
  RUN(test_oracle_proc_exit_codes);
  RUN(test_oracle_proc_hang_is_interrupted);
  RUN(test_oracle_proc_bad_program);
  return fpk_test_main_end();
}
