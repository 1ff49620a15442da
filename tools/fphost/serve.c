/* fphost --server / --exec: set up the oracle from flags, serve, shut down cleanly on SIGINT/SIGTERM. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "fpkit/hex.h"

static volatile int stop_flag;
static void on_signal(int sig) { stop_flag = sig; }

static int parse_index(const char *arg, const char **rest, uint64_t *idx) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(arg, &end, 0);
  if (errno || end == arg || *end != '=' || arg[0] == '-') return FPK_EINVAL;
  *idx = v;
  *rest = end + 1;
  return FPK_OK;
}

static int add_local_hex(fph_oracle *o, const char *arg) {
  uint64_t idx;
  const char *hex;
  if (parse_index(arg, &hex, &idx) != FPK_OK) return fpk_errf(FPK_EINVAL, "--local '%s': want IDX=0xHEX", arg);
  size_t n = strlen(hex);
  if (n < 2 || hex[0] != '0' || hex[1] != 'x') return fpk_errf(FPK_EFORMAT, "--local '%s': value needs 0x", arg);
  uint8_t *buf = malloc(n / 2 + 1);
  long r = buf ? fpk_hex_decode(buf, n / 2 + 1, hex, n) : FPK_ENOMEM;
  int rc = r < 0 ? fpk_errf((int)r, "--local '%s': value is not even-length hex", arg)
                 : fph_oracle_set_local(o, idx, buf, (size_t)r);
  free(buf);
  return rc;
}

static int add_local_file(fph_oracle *o, const char *arg) {
  uint64_t idx;
  const char *path;
  if (parse_index(arg, &path, &idx) != FPK_OK) return fpk_errf(FPK_EINVAL, "--local-file '%s': want IDX=PATH", arg);
  FILE *f = fopen(path, "rb");
  if (!f) return fpk_errf(FPK_EIO, "--local-file %s: %s", path, strerror(errno));
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    uint8_t *nb = realloc(buf, cap * 2);
    if (!nb) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = nb;
    cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  if (!buf || bad) {
    free(buf);
    return fpk_errf(FPK_EIO, "--local-file %s: read failed", path);
  }
  int rc = fph_oracle_set_local(o, idx, buf, n);
  free(buf);
  return rc;
}

static int add_prefetch(fph_oracle *o, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq || eq == arg || !eq[1]) return fpk_errf(FPK_EINVAL, "--prefetch '%s': want TYPE=CMD", arg);
  char type[256];
  size_t tl = (size_t)(eq - arg);
  if (tl >= sizeof type) return fpk_errf(FPK_EINVAL, "--prefetch: type too long");
  memcpy(type, arg, tl);
  type[tl] = 0;
  fph_prefetcher *p;
  int rc = fph_prefetcher_exec(&p, eq + 1);
  return rc == FPK_OK ? fph_oracle_route(o, type, p) : rc;
}

int fph_cmd_serve(int argc, char **argv) {
  const char *store_spec = "mem", *hint_log = NULL;
  int server = 0, offline = 0, verbose = 0, exec_at = -1;
  unsigned retries = 0;
  /* First pass: options that shape the oracle; --exec ends option parsing. */
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--server")) server = 1;
    else if (!strcmp(a, "--offline")) offline = 1;
    else if (!strcmp(a, "-v")) verbose = 1;
    else if (!strcmp(a, "--exec")) {
      exec_at = i + 1;
      break;
    } else if (!strcmp(a, "--store") || !strcmp(a, "--hint-log") || !strcmp(a, "--local") ||
               !strcmp(a, "--local-file") || !strcmp(a, "--prefetch") || !strcmp(a, "--prefetch-retries")) {
      if (i + 1 >= argc) {
        fprintf(stderr, "fphost: error: %s needs a value\n", a);
        return 2;
      }
      if (!strcmp(a, "--store")) store_spec = argv[i + 1];
      if (!strcmp(a, "--hint-log")) hint_log = argv[i + 1];
      if (!strcmp(a, "--prefetch-retries")) {
        char *end;
        unsigned long r = strtoul(argv[i + 1], &end, 10);
        if (*end || end == argv[i + 1] || r > 1000) {
          fprintf(stderr, "fphost: error: --prefetch-retries wants 0..1000\n");
          return 2;
        }
        retries = (unsigned)r;
      }
      i++;
    } else {
      fprintf(stderr, "fphost: error: unknown option '%s'\n", a);
      return 2;
    }
  }
  if (server == (exec_at >= 0)) {
    fprintf(stderr, "fphost: error: give exactly one of --server or --exec PROG\n");
    return 2;
  }
  if (exec_at >= argc) {
    fprintf(stderr, "fphost: error: --exec needs a program\n");
    return 2;
  }
  fph_store *global;
  int rc = fph_cli_open(&global, store_spec);
  if (rc != FPK_OK) return fph_cli_fail("open store", rc);
  fph_oracle o;
  if ((rc = fph_oracle_init(&o, global)) != FPK_OK) return fph_cli_fail("init", rc);
  o.verbose = verbose;
  o.retries = retries;
  int end = exec_at >= 0 ? exec_at - 1 : argc;
  for (int i = 1; i < end && rc == FPK_OK; i++) {
    if (!strcmp(argv[i], "--local")) rc = add_local_hex(&o, argv[++i]);
    else if (!strcmp(argv[i], "--local-file")) rc = add_local_file(&o, argv[++i]);
    else if (!strcmp(argv[i], "--prefetch")) rc = offline ? FPK_OK : add_prefetch(&o, argv[++i]);
    else if (!strcmp(argv[i], "--store") || !strcmp(argv[i], "--hint-log") || !strcmp(argv[i], "--prefetch-retries")) i++;
  }
  FILE *log = NULL;
  if (rc == FPK_OK && hint_log) {
    if (!(log = fopen(hint_log, "w"))) rc = fpk_errf(FPK_EIO, "--hint-log %s: %s", hint_log, strerror(errno));
    o.hint_log = log;
  }
  if (rc != FPK_OK) {
    fph_oracle_close(&o);
    if (log) fclose(log);
    return fph_cli_fail("setup", rc);
  }

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: blocked reads and poll must return to see the flag */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  pre_fdio_ctx ioctx = {&stop_flag};
  pre_io io;
  pre_io_fd(&io, &ioctx);
  pre_server srv;
  pre_server_init(&srv, &io);
  int child = -1;
  if (exec_at >= 0 && (rc = fph_spawn_client(&srv, argv + exec_at, &child)) != FPK_OK) {
    fph_oracle_close(&o);
    if (log) fclose(log);
    (void)fph_cli_fail("exec", rc);
    return FPH_EXEC_HOST_FAILED;
  }
  rc = fph_serve(&o, &srv, &stop_flag);
  char msg[600];
  snprintf(msg, sizeof msg, "%s", fpk_errmsg());
  if (verbose)
    fprintf(stderr, "fphost: %llu hints, %llu preimages served, %llu prefetches\n", (unsigned long long)o.n_hints,
            (unsigned long long)o.n_served, (unsigned long long)o.n_prefetch);
  int exit_code = 0;
  if (child > 0) {
    /* Our ends closed = EOF for the child, which then finishes or fails on its own. */
    close(srv.hint_r), close(srv.hint_w), close(srv.pre_r), close(srv.pre_w);
    int st = 0;
    while (waitpid(child, &st, 0) < 0 && errno == EINTR) {
      if (stop_flag) kill(child, SIGTERM);
    }
    exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }
  fph_oracle_close(&o); /* flushes and closes the stores, also on a signal */
  if (log) fclose(log);
  if (rc == FPK_ECLOSED && stop_flag) {
    fprintf(stderr, "fphost: stopped by signal %d, store closed\n", stop_flag);
    return child > 0 ? exit_code : 0;
  }
  if (rc != FPK_OK) {
    fprintf(stderr, "fphost: error: serve: %s\n", msg[0] ? msg : fpk_strerror(rc));
    return child > 0 ? FPH_EXEC_HOST_FAILED : 1;
  }
  return exit_code;
}
