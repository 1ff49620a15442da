/* fpp_testhost: a tiny preimage host for the SDK tests (fphost --exec does the real job). Serves an
 * input set (examples/README.md: "local"/"keccak"/"sha256"/"key" lines) to a native client on fds 3..6
 * and exits with the client's exit code (128+signal if it was killed).
 *
 *   fpp_testhost [--require-hints] [--log FILE] SET.txt [SET2.txt ...] -- PROGRAM [ARGS...]
 *   fpp_testhost --print-kv SET.txt...      "0x<key> 0x<value>" per global preimage (fphost put --stdin)
 *   fpp_testhost --print-locals SET.txt...  "IDX=0x<value>" per local key (fphost --local)
 *
 * Offline semantics (preimage.md §4.6): a key the set lacks makes the host close every stream, so the
 * client sees EOF and must fail on its own. --require-hints serves a keccak/sha256 key only after a hint
 * whose data is that hash (what an online host's prefetcher needs). --log writes each hint and key. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fpkit/hex.h"
#include "fpkit/keccak.h"
#include "fpkit/preimage.h"

typedef struct {
  uint8_t key[32];
  uint8_t *val;
  size_t len;
  long long local; /* local key index, or -1 */
} entry;

static entry *ents;
static size_t nents, capents;
static uint8_t (*hinted)[32];
static size_t nhinted, caphinted;

static void die(const char *fmt, const char *a) {
  fprintf(stderr, "fpp_testhost: error: ");
  fprintf(stderr, fmt, a);
  fputc('\n', stderr);
  exit(125);
}

static uint8_t *hex_arg(const char *s, size_t *len) {
  if (strncmp(s, "0x", 2) != 0) die("value '%.40s' lacks 0x", s);
  size_t hl = strlen(s + 2);
  uint8_t *b = malloc(hl / 2 + 1);
  long n = b ? fpk_hex_decode(b, hl / 2 + 1, s + 2, hl) : -1;
  if (n < 0 || (size_t)n * 2 != hl) die("bad hex '%.40s'", s);
  *len = (size_t)n;
  return b;
}

static void add(const uint8_t key[32], uint8_t *val, size_t len, long long local) {
  if (nents == capents) {
    capents = capents ? 2 * capents : 64;
    ents = realloc(ents, capents * sizeof *ents);
    if (!ents) die("%s", "out of memory");
  }
  memcpy(ents[nents].key, key, 32);
  ents[nents].val = val;
  ents[nents].len = len;
  ents[nents].local = local;
  nents++;
}

static void load_set(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open %s", path);
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) >= 0) {
    char *save = NULL, *kind = strtok_r(line, " \t\r\n", &save);
    if (!kind || kind[0] == '#') continue;
    char *a = strtok_r(NULL, " \t\r\n", &save), *b = strtok_r(NULL, " \t\r\n", &save);
    uint8_t key[32];
    size_t len;
    if (!a) die("line '%s' has no value", kind);
    if (!strcmp(kind, "local")) {
      if (!b) die("%s", "local line needs an index and a value");
      unsigned long long idx = strtoull(a, NULL, 0);
      pre_key_local(key, idx);
      uint8_t *v = hex_arg(b, &len);
      add(key, v, len, (long long)idx);
    } else if (!strcmp(kind, "keccak") || !strcmp(kind, "sha256")) {
      uint8_t *v = hex_arg(a, &len);
      if (kind[0] == 'k') pre_key_keccak256(key, v, len);
      else pre_key_sha256(key, v, len);
      add(key, v, len, -1);
    } else if (!strcmp(kind, "key")) {
      size_t kl;
      uint8_t *k = hex_arg(a, &kl);
      if (kl != 32 || !b) die("%s", "key line needs a 32-byte key and a value");
      memcpy(key, k, 32);
      free(k);
      uint8_t *v = hex_arg(b, &len);
      add(key, v, len, key[0] == PRE_KEY_LOCAL ? (long long)fpk_be64(key + 24) : -1);
    } else {
      die("unknown line kind '%s'", kind);
    }
  }
  free(line);
  fclose(f);
}

static const entry *lookup(const uint8_t key[32]) {
  for (size_t i = 0; i < nents; i++)
    if (!memcmp(ents[i].key, key, 32)) return &ents[i];
  return NULL;
}

static bool was_hinted(const uint8_t key[32]) {
  for (size_t i = 0; i < nhinted; i++)
    if (!memcmp(hinted[i] + 1, key + 1, 31)) return true;
  return false;
}

static void note_hint(const char *h, size_t len, FILE *log) {
  if (log) fprintf(log, "hint %.*s\n", (int)len, h);
  pre_hint_parts p;
  uint8_t data[32];
  if (pre_hint_split(&p, h, len) != FPK_OK || !p.data_hex) return;
  if (pre_hint_data(data, sizeof data, &p) != 32) return;
  if (nhinted == caphinted) {
    caphinted = caphinted ? 2 * caphinted : 64;
    hinted = realloc(hinted, caphinted * sizeof *hinted);
    if (!hinted) die("%s", "out of memory");
  }
  memcpy(hinted[nhinted++], data, 32);
}

/* Put fd at a number >= 10 so that the dup2s to 3..6 cannot clobber it. */
static int high(int fd) {
  int h = fcntl(fd, F_DUPFD, 10);
  if (h < 0) die("%s", "fcntl failed");
  close(fd);
  return h;
}

static void print_hex(const uint8_t *v, size_t n) {
  char *h = malloc(2 * n + 1);
  if (!h) die("%s", "out of memory");
  fpk_hex_encode(h, v, n);
  fputs(h, stdout);
  free(h);
}

/* Export the sets in the forms fphost takes (so the same bundled files drive fphost and fpvm). */
static int print_sets(int argc, char **argv, bool locals) {
  for (int i = 2; i < argc; i++) load_set(argv[i]);
  for (size_t k = 0; k < nents; k++) {
    if ((ents[k].local >= 0) != locals) continue;
    if (locals) printf("%lld=0x", ents[k].local);
    else {
      fputs("0x", stdout);
      print_hex(ents[k].key, 32);
      fputs(" 0x", stdout);
    }
    print_hex(ents[k].val, ents[k].len);
    putchar('\n');
  }
  return fflush(stdout) == 0 ? 0 : 125;
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "--print-kv")) return print_sets(argc, argv, false);
  if (argc > 1 && !strcmp(argv[1], "--print-locals")) return print_sets(argc, argv, true);
  bool require_hints = false;
  FILE *log = NULL;
  int i = 1;
  for (; i < argc && strcmp(argv[i], "--"); i++) {
    if (!strcmp(argv[i], "--require-hints")) require_hints = true;
    else if (!strcmp(argv[i], "--log") && i + 1 < argc) {
      log = fopen(argv[++i], "w");
      if (!log) die("cannot write %s", argv[i]);
    } else load_set(argv[i]);
  }
  if (i + 1 >= argc) {
    fprintf(stderr, "usage: fpp_testhost [--require-hints] [--log FILE] SET.txt... -- PROGRAM [ARGS...]\n");
    return 125;
  }
  signal(SIGPIPE, SIG_IGN);
  int hint[2], ack[2], keyp[2], pre[2];
  if (pipe(hint) || pipe(ack) || pipe(keyp) || pipe(pre)) die("%s", "pipe failed");
  for (int k = 0; k < 2; k++) {
    hint[k] = high(hint[k]);
    ack[k] = high(ack[k]);
    keyp[k] = high(keyp[k]);
    pre[k] = high(pre[k]);
  }
  pid_t pid = fork();
  if (pid < 0) die("%s", "fork failed");
  if (pid == 0) {
    if (dup2(ack[0], 3) < 0 || dup2(hint[1], 4) < 0 || dup2(pre[0], 5) < 0 || dup2(keyp[1], 6) < 0) _exit(126);
    int all[8] = {hint[0], hint[1], ack[0], ack[1], keyp[0], keyp[1], pre[0], pre[1]};
    for (int k = 0; k < 8; k++) close(all[k]);
    execv(argv[i + 1], argv + i + 1);
    perror("fpp_testhost: exec");
    _exit(127);
  }
  close(ack[0]);
  close(hint[1]);
  close(pre[0]);
  close(keyp[1]);
  pre_fdio_ctx ioctx = {NULL};
  pre_io io;
  pre_io_fd(&io, &ioctx);
  pre_server s;
  pre_server_init(&s, &io);
  s.hint_r = hint[0];
  s.hint_w = ack[1];
  s.pre_r = keyp[0];
  s.pre_w = pre[1];
  bool hint_open = true, key_open = true;
  while (hint_open || key_open) {
    struct pollfd pf[2] = {{hint_open ? s.hint_r : -1, POLLIN, 0}, {key_open ? s.pre_r : -1, POLLIN, 0}};
    if (poll(pf, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (pf[0].revents) {
      char *h;
      size_t len;
      if (pre_server_read_hint(&s, &h, &len) != FPK_OK) {
        hint_open = false;
      } else {
        note_hint(h, len, log);
        free(h);
        if (pre_server_ack(&s) != FPK_OK) hint_open = false;
      }
    }
    if (pf[1].revents) {
      uint8_t key[32];
      if (pre_server_read_key(&s, key) != FPK_OK) {
        key_open = false;
        continue;
      }
      char kh[65];
      fpk_hex_encode(kh, key, 32);
      if (log) fprintf(log, "key 0x%s\n", kh);
      const entry *e = lookup(key);
      if (e && require_hints && (key[0] == PRE_KEY_KECCAK256 || key[0] == PRE_KEY_SHA256) && !was_hinted(key)) {
        fprintf(stderr, "fpp_testhost: key 0x%s requested before any hint for it\n", kh);
        e = NULL;
      }
      if (!e) {
        fprintf(stderr, "fpp_testhost: no preimage for key 0x%s: closing the streams\n", kh);
        break;
      }
      if (pre_server_write(&s, e->val, e->len) != FPK_OK) key_open = false;
    }
  }
  close(s.hint_r);
  close(s.hint_w);
  close(s.pre_r);
  close(s.pre_w);
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) die("%s", "waitpid failed");
  if (log) fclose(log);
  for (size_t k = 0; k < nents; k++) free(ents[k].val);
  free(ents);
  free(hinted);
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  return 128 + WTERMSIG(st);
}
