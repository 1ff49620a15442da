/* run_prog: run a MIPS64 ELF inside libfpvm the way the differential tests need it — guest fd 1/2 go to
 * this process's stdout/stderr and the guest's exit code becomes ours, so the output can be compared
 * byte for byte with the same ELF under qemu-mips64.
 *
 *   run_prog [--max-steps N] [--keccak-text STR]... [--preimage HEXKEY=TEXT]... [--hint-log FILE]
 *            [--stats FILE] prog.elf
 *
 * --stats writes "steps N", wall "seconds"/"ips" and CPU "cpu_seconds"/"cpu_ips" of the run loop.
 *
 * Exit codes: the guest's exit code; 124 step limit reached; 125 VM panic; 126 load/setup/host error
 * (each with one line on stderr starting "run_prog:"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fpkit/fpk.h"
#include "fpkit/fpvm.h"
#include "fpkit/keccak.h"
#include "fpkit/mips64.h"

enum { EXIT_STEPS = 124, EXIT_PANIC = 125, EXIT_SETUP = 126 };

typedef struct {
  uint8_t key[32];
  uint8_t *val;
  size_t len;
} kv;

typedef struct {
  kv *v;
  size_t n, cap;
  FILE *hint_log;
} store;

static int store_add(store *s, const uint8_t key[32], const void *val, size_t len) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 8;
    kv *nv = realloc(s->v, cap * sizeof *nv);
    if (!nv) return FPK_ENOMEM;
    s->v = nv;
    s->cap = cap;
  }
  kv *e = &s->v[s->n];
  memcpy(e->key, key, 32);
  e->val = malloc(len ? len : 1);
  if (!e->val) return FPK_ENOMEM;
  if (len) memcpy(e->val, val, len);
  e->len = len;
  s->n++;
  return FPK_OK;
}

static int oracle_hint(void *ctx, const uint8_t *data, size_t len) {
  store *s = ctx;
  if (s->hint_log) {
    fprintf(s->hint_log, "hint %zu ", len);
    for (size_t i = 0; i < len; i++) {
      uint8_t c = data[i];
      if (c >= 0x20 && c < 0x7f && c != '\\') fputc(c, s->hint_log);
      else fprintf(s->hint_log, "\\x%02x", c);
    }
    fputc('\n', s->hint_log);
    fflush(s->hint_log);
  }
  return FPK_OK;
}

static int oracle_get(void *ctx, const uint8_t key[32], uint8_t **out, size_t *len) {
  store *s = ctx;
  for (size_t i = 0; i < s->n; i++) {
    if (memcmp(s->v[i].key, key, 32) != 0) continue;
    *out = malloc(s->v[i].len ? s->v[i].len : 1);
    if (!*out) return FPK_ENOMEM;
    memcpy(*out, s->v[i].val, s->v[i].len);
    *len = s->v[i].len;
    return FPK_OK;
  }
  return fpk_errf(FPK_ENOTFOUND, "run_prog: no preimage for the requested key");
}

static void on_output(void *ctx, int fd, const uint8_t *buf, size_t len) {
  (void)ctx;
  FILE *f = fd == 2 ? stderr : stdout;
  if (len) fwrite(buf, 1, len, f);
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* "KEYHEX=TEXT" with a 64-digit key (optional 0x). */
static int parse_preimage_arg(store *s, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq) return -1;
  const char *h = arg;
  if (eq - h >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) h += 2;
  if (eq - h != 64) return -1;
  uint8_t key[32];
  for (int i = 0; i < 32; i++) {
    int hi = hexval(h[2 * i]), lo = hexval(h[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    key[i] = (uint8_t)(hi << 4 | lo);
  }
  return store_add(s, key, eq + 1, strlen(eq + 1)) == FPK_OK ? 0 : -1;
}

static int usage(void) {
  fprintf(stderr, "usage: run_prog [--max-steps N] [--keccak-text STR]... [--preimage HEXKEY=TEXT]...\n"
                  "                [--hint-log FILE] [--stats FILE] prog.elf\n");
  return EXIT_SETUP;
}

static double clock_sec(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  uint64_t max_steps = 2000000000ull;
  const char *elf_path = NULL, *hint_path = NULL, *stats_path = NULL;
  store st = {0};
  int rc = EXIT_SETUP;

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--max-steps") && v) {
      char *end;
      errno = 0;
      max_steps = strtoull(v, &end, 0);
      if (errno || *end || !*v) return usage();
      i++;
    } else if (!strcmp(a, "--keccak-text") && v) {
      uint8_t key[32];
      fpk_keccak256(key, v, strlen(v));
      key[0] = 2;
      if (store_add(&st, key, v, strlen(v)) != FPK_OK) goto oom;
      i++;
    } else if (!strcmp(a, "--preimage") && v) {
      if (parse_preimage_arg(&st, v) != 0) {
        fprintf(stderr, "run_prog: error: --preimage wants HEXKEY(64 digits)=TEXT\n");
        goto out;
      }
      i++;
    } else if (!strcmp(a, "--hint-log") && v) {
      hint_path = v;
      i++;
    } else if (!strcmp(a, "--stats") && v) {
      stats_path = v;
      i++;
    } else if (a[0] == '-' || elf_path) {
      return usage();
    } else {
      elf_path = a;
    }
  }
  if (!elf_path) return usage();

  if (hint_path) {
    st.hint_log = fopen(hint_path, "w");
    if (!st.hint_log) {
      fprintf(stderr, "run_prog: error: %s: %s\n", hint_path, strerror(errno));
      goto out;
    }
  }

  fpvm_elf elf;
  int err = fpvm_elf_load(&elf, elf_path);
  if (err != FPK_OK) {
    fprintf(stderr, "run_prog: error: %s: %s\n", fpk_strerror(err), fpk_errmsg());
    goto out;
  }
  fpvm_mips64_state *s = NULL;
  err = fpvm_mips64_load_elf(&s, &elf, elf_path);
  fpvm_elf_free(&elf);
  if (err != FPK_OK) {
    fprintf(stderr, "run_prog: error: %s: %s\n", fpk_strerror(err), fpk_errmsg());
    goto out;
  }
  fpvm_mips64_vm *vm = fpvm_mips64_vm_create(s);
  if (!vm) goto oom;
  fpvm_mips64_vm_set_output(vm, on_output, NULL);
  fpvm_oracle oracle = {.ctx = &st, .hint = oracle_hint, .get = oracle_get};
  /* With neither preimages nor a hint log there is no host, as in `cannon run` without `--`. */
  if (st.n || st.hint_log) fpvm_mips64_vm_set_oracle(vm, &oracle);

  /* Wall and CPU time: on a shared machine only the CPU figure says how fast the loop is. */
  double t0 = clock_sec(CLOCK_MONOTONIC), c0 = clock_sec(CLOCK_PROCESS_CPUTIME_ID);
  uint64_t total = 0;
  err = FPK_OK;
  fpvm_mips64_state *vs = fpvm_mips64_vm_state(vm);
  while (!vs->exited && total < max_steps) {
    uint64_t chunk = max_steps - total, done = 0;
    if (chunk > 100000000ull) chunk = 100000000ull;
    err = fpvm_mips64_run(vm, chunk, false, &done);
    total += done;
    if (err != FPK_OK) break;
    if (done == 0 && !vs->exited) break; /* no progress: treat as a stall */
  }
  double secs = clock_sec(CLOCK_MONOTONIC) - t0, cpu = clock_sec(CLOCK_PROCESS_CPUTIME_ID) - c0;
  fflush(stdout);

  if (stats_path) {
    FILE *f = fopen(stats_path, "w");
    if (f) {
      fprintf(f, "steps %llu\nseconds %.6f\nips %.0f\ncpu_seconds %.6f\ncpu_ips %.0f\n",
              (unsigned long long)vs->step, secs, secs > 0 ? (double)vs->step / secs : 0.0, cpu,
              cpu > 0 ? (double)vs->step / cpu : 0.0);
      fclose(f);
    }
  }

  if (err == FPK_EPANIC) {
    fpvm_mips64_thread *t = fpvm_mips64_active_thread(vs);
    fprintf(stderr, "run_prog: vm panic at step %llu pc 0x%llx: %s\n", (unsigned long long)vs->step,
            (unsigned long long)(t ? t->pc : 0), fpvm_mips64_vm_panic_reason(vm));
    rc = EXIT_PANIC;
  } else if (err != FPK_OK) {
    fprintf(stderr, "run_prog: error: %s: %s\n", fpk_strerror(err), fpk_errmsg());
    rc = EXIT_SETUP;
  } else if (!vs->exited) {
    fprintf(stderr, "run_prog: step limit %llu reached without exit\n", (unsigned long long)max_steps);
    rc = EXIT_STEPS;
  } else {
    rc = vs->exit_code;
  }
  fpvm_mips64_vm_destroy(vm);
  goto out;

oom:
  fprintf(stderr, "run_prog: error: out of memory\n");
  rc = EXIT_SETUP;
out:
  if (st.hint_log) fclose(st.hint_log);
  for (size_t i = 0; i < st.n; i++) free(st.v[i].val);
  free(st.v);
  return rc;
}
