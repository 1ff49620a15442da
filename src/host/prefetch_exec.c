/* The `exec` prefetcher: one user command per hint, speaking the key/value line format on stdout. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/oracle.h"

extern char **environ;

typedef struct {
  fph_prefetcher base;
  char *cmd;
} exec_pf;

/* Parse every complete line in buf[0..n) into dst; returns bytes consumed. */
static int take_lines(fph_store *dst, char *buf, size_t n, size_t *used, int final) {
  size_t start = 0;
  *used = 0;
  for (size_t i = 0; i <= n; i++) {
    int end = i == n ? final && i > start : buf[i] == '\n';
    if (!end) continue;
    size_t ll = i - start;
    const char *line = buf + start;
    start = i + 1;
    size_t k = 0;
    while (k < ll && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r')) k++;
    if (k == ll) continue;
    uint8_t key[32], *val;
    size_t len;
    int rc = fph_kv_line(line, ll, key, &val, &len);
    if (rc != FPK_OK) return fph_errctx(rc, "prefetch output");
    rc = fph_store_put(dst, key, val, len);
    free(val);
    if (rc != FPK_OK) return fph_errctx(rc, "prefetch output rejected");
  }
  *used = start > n ? n : start;
  return FPK_OK;
}

static int set_env(const char *hint, size_t len, char ***envp) {
  pre_hint_parts p;
  const char *type = "", *data = "";
  size_t tl = 0, dl = 0;
  if (pre_hint_split(&p, hint, len) == FPK_OK) {
    type = p.type;
    tl = p.type_len;
    if (p.data_hex) {
      data = p.data_hex;
      dl = p.data_hex_len;
    }
  }
  size_t n = 0;
  while (environ[n]) n++;
  char **e = calloc(n + 4, sizeof *e);
  if (!e) return FPK_ENOMEM;
  size_t j = 0;
  for (size_t i = 0; i < n; i++)
    if (strncmp(environ[i], "FPH_HINT", 8) != 0) e[j++] = environ[i];
  char *a = malloc(len + 10), *b = malloc(tl + 15), *c = malloc(dl + 15);
  if (!a || !b || !c) {
    free(a), free(b), free(c), free(e);
    return FPK_ENOMEM;
  }
  memcpy(a, "FPH_HINT=", 9), memcpy(a + 9, hint, len), a[9 + len] = 0;
  memcpy(b, "FPH_HINT_TYPE=", 14), memcpy(b + 14, type, tl), b[14 + tl] = 0;
  memcpy(c, "FPH_HINT_DATA=", 14), memcpy(c + 14, data, dl), c[14 + dl] = 0;
  /* A hint with a NUL byte is cut short in the environment; stdin still carries all of it. */
  e[j++] = a, e[j++] = b, e[j++] = c;
  *envp = e;
  return FPK_OK;
}

static void free_env(char **e) {
  size_t n = 0;
  while (e[n]) n++;
  for (size_t i = n - 3; i < n; i++) free(e[i]);
  free(e);
}

static int ex_fetch(fph_prefetcher *pf, const char *hint, size_t len, fph_store *dst) {
  exec_pf *x = (exec_pf *)pf;
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) return fpk_errf(FPK_EIO, "prefetch: pipe: %s", strerror(errno));
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]);
    return fpk_errf(FPK_EIO, "prefetch: pipe: %s", strerror(errno));
  }
  char **envp;
  if (set_env(hint, len, &envp) != FPK_OK) {
    close(in[0]), close(in[1]), close(out[0]), close(out[1]);
    return fpk_errf(FPK_ENOMEM, "prefetch: environment");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  /* The client's fds 3..6 (server mode) must not leak into the command. */
  for (int fd = 3; fd <= 6; fd++) posix_spawn_file_actions_addclose(&fa, fd);
  char *argv[] = {"sh", "-c", x->cmd, NULL};
  pid_t pid;
  int se = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, envp);
  posix_spawn_file_actions_destroy(&fa);
  free_env(envp);
  close(in[0]);
  close(out[1]);
  if (se != 0) {
    close(in[1]), close(out[0]);
    return fpk_errf(FPK_EIO, "prefetch: spawn /bin/sh: %s", strerror(se));
  }
  /* Feed stdin and drain stdout together so neither side can fill a pipe and stall the other. */
  size_t sent = 0, cap = 1 << 16, have = 0;
  char *buf = malloc(cap);
  int rc = buf ? FPK_OK : fpk_errf(FPK_ENOMEM, "prefetch: buffer");
  int win = in[1], rout = out[0];
  while (rc == FPK_OK && rout >= 0) {
    struct pollfd p[2] = {{rout, POLLIN, 0}, {win, POLLOUT, 0}};
    int np = win >= 0 ? 2 : 1;
    if (poll(p, (nfds_t)np, -1) < 0) {
      if (errno == EINTR) continue;
      rc = fpk_errf(FPK_EIO, "prefetch: poll: %s", strerror(errno));
      break;
    }
    if (np == 2 && p[1].revents) {
      ssize_t w = sent < len ? write(win, hint + sent, len - sent) : write(win, "\n", 1);
      if (w > 0) sent += (size_t)w;
      if (w < 0 && errno != EINTR && errno != EAGAIN) sent = len + 1; /* command closed stdin: fine */
      if (sent > len) {
        close(win);
        win = -1;
      }
    }
    if (p[0].revents) {
      if (have == cap) {
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
          rc = fpk_errf(FPK_ENOMEM, "prefetch: output of %zu bytes", cap * 2);
          break;
        }
        buf = nb;
        cap *= 2;
      }
      ssize_t r = read(rout, buf + have, cap - have);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) {
        rc = fpk_errf(FPK_EIO, "prefetch: read: %s", strerror(errno));
        break;
      }
      if (r == 0) {
        close(rout);
        rout = -1;
        break;
      }
      have += (size_t)r;
      size_t used = 0;
      rc = take_lines(dst, buf, have, &used, 0);
      if (rc != FPK_OK) break;
      memmove(buf, buf + used, have - used);
      have -= used;
    }
  }
  if (win >= 0) close(win);
  if (rout >= 0) {
    close(rout);
    kill(pid, SIGTERM); /* we stopped listening because of an error */
  }
  if (rc == FPK_OK) {
    size_t used;
    rc = take_lines(dst, buf, have, &used, 1);
  }
  free(buf);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (rc == FPK_OK && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
    if (WIFEXITED(st)) return fpk_errf(FPK_EIO, "prefetch command exited with status %d", WEXITSTATUS(st));
    return fpk_errf(FPK_EIO, "prefetch command killed by signal %d", WTERMSIG(st));
  }
  return rc;
}

static void ex_destroy(fph_prefetcher *pf) {
  exec_pf *x = (exec_pf *)pf;
  free(x->cmd);
  free(x);
}

int fph_prefetcher_exec(fph_prefetcher **out, const char *cmd) {
  exec_pf *x = calloc(1, sizeof *x);
  if (!x || !(x->cmd = strdup(cmd))) {
    free(x);
    return fpk_errf(FPK_ENOMEM, "exec prefetcher");
  }
  x->base.fetch = ex_fetch;
  x->base.destroy = ex_destroy;
  *out = &x->base;
  return FPK_OK;
}
