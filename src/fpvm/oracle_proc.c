/* Preimage host child process: spawn, pipe I/O that notices a dead host, Cannon's shutdown order. */
#include "fpvm/oracle_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fpkit/hex.h"

extern char **environ;

struct fpvm_oracle_proc {
  pid_t pid;
  int pidfd; /* -1: no pidfd support, exit is noticed by polling waitpid */
  bool reaped;
  int status;
  int hint_w, ack_r, key_w, reply_r; /* our ends; -1 once closed */
  fpvm_proc_output_fn output;
  fpvm_proc_log_fn log;
  void *ctx;
  unsigned grace_ms, wait_ms;
  bool pump;
  pthread_t pump_thread;
  int out_r, err_r, stop_r, stop_w;
};

void fpvm_oracle_proc_opts_init(fpvm_oracle_proc_opts *o, char *const *argv) {
  memset(o, 0, sizeof *o);
  o->argv = argv;
  o->exit_grace_ms = 1000;
  o->close_wait_ms = 30000;
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool reap(fpvm_oracle_proc *p, bool block) {
  if (p->reaped) return true;
  for (;;) {
    int st;
    pid_t r = waitpid(p->pid, &st, block ? 0 : WNOHANG);
    if (r == p->pid) {
      p->reaped = true;
      p->status = st;
      return true;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == ECHILD) { /* someone else reaped it: treat as gone */
      p->reaped = true;
      p->status = 0;
      return true;
    }
    return false;
  }
}

static int status_code(int st) {
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return -1;
}

bool fpvm_oracle_proc_exited(fpvm_oracle_proc *p, int *code) {
  if (!reap(p, false)) return false;
  if (code) *code = status_code(p->status);
  return true;
}

/* Wait up to ms (negative: forever) for the host to exit. */
static bool wait_exit(fpvm_oracle_proc *p, int64_t ms) {
  int64_t deadline = ms < 0 ? -1 : now_ms() + ms;
  for (;;) {
    if (reap(p, false)) return true;
    int64_t left = deadline < 0 ? 1000 : deadline - now_ms();
    if (left <= 0) return false;
    if (p->pidfd >= 0) {
      struct pollfd pf = {.fd = p->pidfd, .events = POLLIN};
      (void)poll(&pf, 1, (int)(left > 1000 ? 1000 : left));
    } else {
      struct timespec ts = {0, (left > 10 ? 10 : left) * 1000000L};
      nanosleep(&ts, NULL);
    }
  }
}

/* Error for a pipe that failed because the host went away; gives the host a moment to finish exiting
 * so the message can carry its exit code. */
static int host_gone(fpvm_oracle_proc *p, const char *what) {
  if (wait_exit(p, 500))
    return fpk_errf(FPK_ECLOSED, "pre-image server exited with code %d: %s", status_code(p->status), what);
  return fpk_errf(FPK_ECLOSED, "pre-image server closed its end of the pipe: %s", what);
}

/* Block until fd is ready for events, or the host is gone (then FPK_ECLOSED). */
static int wait_fd(fpvm_oracle_proc *p, int fd, short events, const char *what) {
  for (;;) {
    struct pollfd pf[2] = {{.fd = fd, .events = events}, {.fd = p->pidfd, .events = POLLIN}};
    int n = poll(pf, p->pidfd >= 0 ? 2 : 1, p->pidfd >= 0 ? -1 : 50);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fpk_errf(FPK_EIO, "pre-image server: poll: %s", strerror(errno));
    }
    if (pf[0].revents) return FPK_OK; /* ready, hung up or failed: the I/O call tells which */
    if (p->pidfd >= 0 ? (pf[1].revents != 0) : reap(p, false)) {
      /* Exited. A reply written just before exiting is still in the pipe. */
      struct pollfd last = {.fd = fd, .events = events};
      if (poll(&last, 1, 0) > 0 && last.revents) return FPK_OK;
      return host_gone(p, what);
    }
  }
}

static int write_all(fpvm_oracle_proc *p, int fd, const uint8_t *buf, size_t len, const char *what) {
  if (fd < 0) return fpk_errf(FPK_ECLOSED, "pre-image server: pipe already closed: %s", what);
  while (len > 0) {
    int rc = wait_fd(p, fd, POLLOUT, what);
    if (rc != FPK_OK) return rc;
    ssize_t n = write(fd, buf, len);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno == EPIPE) return host_gone(p, what);
      return fpk_errf(FPK_EIO, "pre-image server: %s: %s", what, strerror(errno));
    }
    buf += n;
    len -= (size_t)n;
  }
  return FPK_OK;
}

static int read_all(fpvm_oracle_proc *p, int fd, uint8_t *buf, size_t len, const char *what) {
  if (fd < 0) return fpk_errf(FPK_ECLOSED, "pre-image server: pipe already closed: %s", what);
  while (len > 0) {
    int rc = wait_fd(p, fd, POLLIN, what);
    if (rc != FPK_OK) return rc;
    ssize_t n = read(fd, buf, len);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return fpk_errf(FPK_EIO, "pre-image server: %s: %s", what, strerror(errno));
    }
    if (n == 0) return host_gone(p, what);
    buf += n;
    len -= (size_t)n;
  }
  return FPK_OK;
}

static int proc_hint(void *ctx, const uint8_t *data, size_t len) {
  fpvm_oracle_proc *p = ctx;
  if (len > UINT32_MAX) return fpk_errf(FPK_ERANGE, "pre-image hint of %zu bytes is too long", len);
  uint8_t hdr[4];
  fpk_put_be32(hdr, (uint32_t)len);
  int rc = write_all(p, p->hint_w, hdr, 4, "failed to write pre-image hint");
  if (rc == FPK_OK) rc = write_all(p, p->hint_w, data, len, "failed to write pre-image hint");
  uint8_t ack;
  if (rc == FPK_OK) rc = read_all(p, p->ack_r, &ack, 1, "failed to read pre-image hint ack");
  return rc;
}

static int proc_get(void *ctx, const uint8_t key[32], uint8_t **out, size_t *len) {
  fpvm_oracle_proc *p = ctx;
  char what[160], hex[65];
  fpk_hex_encode(hex, key, 32);
  *out = NULL;
  *len = 0;
  snprintf(what, sizeof what, "failed to write key 0x%s to pre-image oracle", hex);
  int rc = write_all(p, p->key_w, key, 32, what);
  if (rc != FPK_OK) return rc;
  uint8_t lb[8];
  snprintf(what, sizeof what, "failed to read pre-image length of key 0x%s", hex);
  rc = read_all(p, p->reply_r, lb, 8, what);
  if (rc != FPK_OK) return rc;
  uint64_t n = fpk_be64(lb);
  if (n > (uint64_t)(SIZE_MAX / 2))
    return fpk_errf(FPK_ERANGE, "pre-image server: key 0x%s: length %llu is too large", hex,
                    (unsigned long long)n);
  uint8_t *buf = malloc(n ? (size_t)n : 1);
  if (!buf)
    return fpk_errf(FPK_ENOMEM, "pre-image server: key 0x%s: cannot allocate %llu bytes", hex,
                    (unsigned long long)n);
  snprintf(what, sizeof what, "failed to read pre-image payload (length %llu) of key 0x%s",
           (unsigned long long)n, hex);
  rc = read_all(p, p->reply_r, buf, (size_t)n, what);
  if (rc != FPK_OK) {
    free(buf);
    return rc;
  }
  *out = buf;
  *len = (size_t)n;
  return FPK_OK;
}

fpvm_oracle fpvm_oracle_proc_oracle(fpvm_oracle_proc *p) {
  fpvm_oracle o = {.ctx = p, .hint = proc_hint, .get = proc_get};
  return o;
}

/* ---- host output pump: forwards the host's stdout/stderr chunks to the callback. */

static bool pump_read(fpvm_oracle_proc *p, int *fd, int stream, uint8_t *buf, size_t cap) {
  ssize_t n = read(*fd, buf, cap);
  if (n > 0) {
    p->output(p->ctx, stream, buf, (size_t)n);
    return true;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return false;
  close_fd(fd); /* EOF or error: this stream is done */
  return false;
}

static void *pump_main(void *arg) {
  fpvm_oracle_proc *p = arg;
  static const size_t cap = 32768;
  uint8_t *buf = malloc(cap);
  if (!buf) return NULL;
  while (p->out_r >= 0 || p->err_r >= 0) {
    struct pollfd pf[3] = {{.fd = p->out_r, .events = POLLIN},
                           {.fd = p->err_r, .events = POLLIN},
                           {.fd = p->stop_r, .events = POLLIN}};
    if (poll(pf, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (pf[0].revents) (void)pump_read(p, &p->out_r, 1, buf, cap);
    if (pf[1].revents) (void)pump_read(p, &p->err_r, 2, buf, cap);
    if (pf[2].revents) { /* stop: forward what is already buffered, then quit */
      while (p->out_r >= 0 && pump_read(p, &p->out_r, 1, buf, cap)) {}
      while (p->err_r >= 0 && pump_read(p, &p->err_r, 2, buf, cap)) {}
      break;
    }
  }
  free(buf);
  return NULL;
}

/* ---- spawn */

static void free_all(fpvm_oracle_proc *p) {
  close_fd(&p->hint_w);
  close_fd(&p->ack_r);
  close_fd(&p->key_w);
  close_fd(&p->reply_r);
  close_fd(&p->out_r);
  close_fd(&p->err_r);
  close_fd(&p->stop_r);
  close_fd(&p->stop_w);
  close_fd(&p->pidfd);
  free(p);
}

/* Move fd to a number >= 10 (close-on-exec) so dup2 into 0..6 in the child never overwrites a source. */
static int lift(int *fd) {
  int n = fcntl(*fd, F_DUPFD_CLOEXEC, 10);
  if (n < 0) return -1;
  close(*fd);
  *fd = n;
  return 0;
}

static char **child_env(void) {
  size_t n = 0;
  bool has_no_color = false;
  for (char **e = environ; e && *e; e++, n++)
    if (strncmp(*e, "NO_COLOR=", 9) == 0) has_no_color = true;
  char **env = calloc(n + 2, sizeof *env);
  if (!env) return NULL;
  size_t k = 0;
  if (!has_no_color) env[k++] = (char *)"NO_COLOR=1";
  for (size_t i = 0; i < n; i++) env[k++] = environ[i];
  env[k] = NULL;
  return env;
}

int fpvm_oracle_proc_start(fpvm_oracle_proc **out, const fpvm_oracle_proc_opts *o) {
  *out = NULL;
  if (!o->argv || !o->argv[0] || !o->argv[0][0]) return fpk_errf(FPK_EINVAL, "pre-image server: no program");
  fpvm_oracle_proc *p = calloc(1, sizeof *p);
  if (!p) return fpk_errf(FPK_ENOMEM, "pre-image server: out of memory");
  p->pid = -1;
  p->pidfd = p->hint_w = p->ack_r = p->key_w = p->reply_r = -1;
  p->out_r = p->err_r = p->stop_r = p->stop_w = -1;
  p->output = o->output;
  p->log = o->log;
  p->ctx = o->ctx;
  p->grace_ms = o->exit_grace_ms;
  p->wait_ms = o->close_wait_ms;

  struct sigaction sa;
  if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL) signal(SIGPIPE, SIG_IGN);

  /* child[0..3] become fds 3..6; child[4..5] its stdout/stderr when we pump them. */
  int child[6] = {-1, -1, -1, -1, -1, -1};
  int pp[2], rc = FPK_OK;
  const char *step = "pipe";
  if (pipe2(pp, O_CLOEXEC) < 0) goto sys_fail;
  child[0] = pp[0], p->hint_w = pp[1];
  if (pipe2(pp, O_CLOEXEC) < 0) goto sys_fail;
  p->ack_r = pp[0], child[1] = pp[1];
  if (pipe2(pp, O_CLOEXEC) < 0) goto sys_fail;
  child[2] = pp[0], p->key_w = pp[1];
  if (pipe2(pp, O_CLOEXEC) < 0) goto sys_fail;
  p->reply_r = pp[0], child[3] = pp[1];
  if (p->output) {
    if (pipe2(pp, O_CLOEXEC | O_NONBLOCK) < 0) goto sys_fail;
    p->out_r = pp[0], child[4] = pp[1];
    if (pipe2(pp, O_CLOEXEC | O_NONBLOCK) < 0) goto sys_fail;
    p->err_r = pp[0], child[5] = pp[1];
    if (pipe2(pp, O_CLOEXEC | O_NONBLOCK) < 0) goto sys_fail;
    p->stop_r = pp[0], p->stop_w = pp[1];
  }
  step = "fcntl";
  for (int i = 0; i < 6; i++)
    if (child[i] >= 0 && lift(&child[i]) < 0) goto sys_fail;
  int ours[4] = {p->hint_w, p->ack_r, p->key_w, p->reply_r};
  for (int i = 0; i < 4; i++)
    if (fcntl(ours[i], F_SETFL, O_NONBLOCK) < 0) goto sys_fail;

  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&at);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  if (p->output) {
    posix_spawn_file_actions_adddup2(&fa, child[4], 1);
    posix_spawn_file_actions_adddup2(&fa, child[5], 2);
  }
  for (int i = 0; i < 4; i++) posix_spawn_file_actions_adddup2(&fa, child[i], 3 + i);
  sigset_t def, none;
  sigemptyset(&def);
  sigaddset(&def, SIGPIPE);
  sigaddset(&def, SIGINT);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&at, &def);
  posix_spawnattr_setsigmask(&at, &none);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  char **env = child_env();
  int err = env ? posix_spawnp(&p->pid, o->argv[0], &fa, &at, o->argv, env) : ENOMEM;
  free(env);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  for (int i = 0; i < 6; i++) close_fd(&child[i]);
  if (err != 0) {
    rc = fpk_errf(FPK_EIO, "failed to start pre-image oracle server: exec: \"%s\": %s", o->argv[0], strerror(err));
    free_all(p);
    return rc;
  }
#ifdef SYS_pidfd_open
  p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
  if (p->pidfd >= 0) (void)fcntl(p->pidfd, F_SETFD, FD_CLOEXEC);
  else p->pidfd = -1;
#endif
  if (p->output) {
    if (pthread_create(&p->pump_thread, NULL, pump_main, p) != 0) {
      /* No pump: the host would block on a full pipe; stop it now. */
      kill(p->pid, SIGKILL);
      reap(p, true);
      free_all(p);
      return fpk_errf(FPK_EIO, "pre-image server: cannot start the output thread");
    }
    p->pump = true;
  }
  *out = p;
  return FPK_OK;

sys_fail:
  rc = fpk_errf(FPK_EIO, "failed to create pre-image oracle process: %s: %s", step, strerror(errno));
  for (int i = 0; i < 6; i++) close_fd(&child[i]);
  free_all(p);
  return rc;
}

static const char *sig_name(int sig) {
  switch (sig) { /* Go's spellings, as in "signal: killed" */
  case SIGINT: return "interrupt";
  case SIGKILL: return "killed";
  case SIGTERM: return "terminated";
  case SIGPIPE: return "broken pipe";
  case SIGSEGV: return "segmentation fault";
  case SIGABRT: return "aborted";
  case SIGHUP: return "hangup";
  case SIGQUIT: return "quit";
  case SIGBUS: return "bus error";
  case SIGFPE: return "floating point exception";
  case SIGILL: return "illegal instruction";
  default: return NULL;
  }
}

int fpvm_oracle_proc_close(fpvm_oracle_proc *p) {
  if (!p) return FPK_OK;
  if (!wait_exit(p, p->grace_ms)) {
    close_fd(&p->hint_w);
    close_fd(&p->ack_r);
    close_fd(&p->key_w);
    close_fd(&p->reply_r);
    if (!wait_exit(p, p->wait_ms)) {
      if (p->log) p->log(p->ctx, 0, "Preimage server process did not exit when streams closed, sending interrupt signal");
      kill(p->pid, SIGINT);
      if (!wait_exit(p, p->wait_ms)) {
        if (p->log) p->log(p->ctx, 1, "Preimage server process would not exit cleanly, terminating");
        kill(p->pid, SIGKILL);
        (void)reap(p, true);
      }
    }
  }
  if (p->pump) {
    uint8_t b = 1;
    ssize_t w;
    do w = write(p->stop_w, &b, 1);
    while (w < 0 && errno == EINTR);
    pthread_join(p->pump_thread, NULL);
  }
  int st = p->status, rc = FPK_OK;
  if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
    rc = fpk_errf(FPK_EIO, "exit status %d", WEXITSTATUS(st));
  } else if (WIFSIGNALED(st)) {
    const char *n = sig_name(WTERMSIG(st));
    rc = n ? fpk_errf(FPK_EIO, "signal: %s", n) : fpk_errf(FPK_EIO, "signal: %d", WTERMSIG(st));
  }
  free_all(p);
  return rc;
}
