/* diff_steps: differential check of the MIPS64 engine against the independent one-step verifier.
 * Every checked step is proved by the engine (fpvm_mips64_step with a proof) and replayed by
 * fpvm_mips64_verify_step from nothing but the witness, the proof bytes and the oracle answer; the
 * verifier's post hash and post witness must equal what the engine computed, and an engine panic
 * must be a verifier rejection (and the other way round).
 *
 *   diff_steps [--all | --sample K [--window W] [--seed S]] [--max-steps N] [--keccak-text STR]...
 *              [--preimage HEXKEY=TEXT]... [--preimage-file FILE] [--tamper] [--verbose] PROG.elf|STATE
 *
 * --all      proves every step from the start until exit (or --max-steps).
 * --sample K runs once in fast mode to learn the step count and where preimages are read, then
 *            again with ~K proof steps in windows of W consecutive steps (default 50) at random points
 *            (--seed), plus the first and the last window and one around each of the first 256
 *            preimage reads.
 * --tamper   flips one bit of the witness-checked part of every proof before verifying: each step
 *            must then be a mismatch (shows that the checker can fail).
 * --preimage-file: lines "HEXKEY HEXVALUE" ('#' comments). --keccak-text serves a text under its
 *            keccak key (type 2), as tests/progs/run_prog does.
 *
 * Exit: 0 every checked step agreed; 1 a mismatch; 2 usage or setup error. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/fpk.h"
#include "fpkit/fpvm.h"
#include "fpkit/hex.h"
#include "fpkit/keccak.h"
#include "fpkit/mips64.h"

enum { EXIT_MISMATCH = 1, EXIT_SETUP = 2 };
#define MAX_REPORTS 10 /* mismatches printed in detail */
#define MAX_READ_WINDOWS 256 /* sample mode: preimage reads that get a window around them */
/* Bytes of a proof the verifier always checks: thread witness, inner stack root, slot 0. */
#define PROOF_CHECKED (FPVM_MIPS64_THREAD_SIZE + 32 + FPVM_MEM_PROOF_SIZE)

typedef struct {
  uint8_t key[32];
  uint8_t *val;
  size_t len;
} kv;

typedef struct {
  kv *v;
  size_t n, cap;
} table;

typedef struct {
  uint64_t checked, panics, with_oracle, mismatches, windows, run_steps;
  bool tamper, verbose;
  uint64_t rng;
  uint8_t prev_post[32];
  bool have_prev; /* prev_post is the hash the next step's pre-state must have */
} checker;

static int setup_err(const char *what) {
  fprintf(stderr, "diff_steps: error: %s\n", what);
  return EXIT_SETUP;
}

static int table_add(table *t, const uint8_t key[32], const void *val, size_t len) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 8;
    kv *nv = realloc(t->v, cap * sizeof *nv);
    if (!nv) return FPK_ENOMEM;
    t->v = nv;
    t->cap = cap;
  }
  kv *e = &t->v[t->n];
  e->val = malloc(len ? len : 1);
  if (!e->val) return FPK_ENOMEM;
  if (len) memcpy(e->val, val, len);
  memcpy(e->key, key, 32);
  e->len = len;
  t->n++;
  return FPK_OK;
}

static void table_free(table *t) {
  for (size_t i = 0; i < t->n; i++) free(t->v[i].val);
  free(t->v);
}

static int orc_hint(void *ctx, const uint8_t *data, size_t len) {
  (void)ctx, (void)data, (void)len;
  return FPK_OK;
}

static int orc_get(void *ctx, const uint8_t key[32], uint8_t **out, size_t *len) {
  const table *t = ctx;
  for (size_t i = 0; i < t->n; i++) {
    if (memcmp(t->v[i].key, key, 32) != 0) continue;
    *out = malloc(t->v[i].len ? t->v[i].len : 1);
    if (!*out) return FPK_ENOMEM;
    memcpy(*out, t->v[i].val, t->v[i].len);
    *len = t->v[i].len;
    return FPK_OK;
  }
  return fpk_errf(FPK_ENOTFOUND, "diff_steps: no preimage for the requested key");
}

static void discard_output(void *ctx, int fd, const uint8_t *buf, size_t len) { (void)ctx, (void)fd, (void)buf, (void)len; }

static int parse_key(uint8_t key[32], const char *h, size_t n) {
  if (n >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) h += 2, n -= 2;
  return n == 64 && fpk_hex_decode(key, 32, h, 64) == 32 ? 0 : -1;
}

/* "KEYHEX=TEXT" */
static int parse_preimage_arg(table *t, const char *arg) {
  const char *eq = strchr(arg, '=');
  uint8_t key[32];
  if (!eq || parse_key(key, arg, (size_t)(eq - arg)) != 0) return -1;
  return table_add(t, key, eq + 1, strlen(eq + 1)) == FPK_OK ? 0 : -1;
}

/* Lines "HEXKEY HEXVALUE"; blank lines and '#' comments skipped. */
static int load_preimage_file(table *t, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "diff_steps: error: %s: %s\n", path, strerror(errno));
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int rc = 0;
  unsigned lineno = 0;
  while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
    lineno++;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = 0;
    if (n == 0 || line[0] == '#') continue;
    char *sp = strchr(line, ' ');
    uint8_t key[32];
    if (!sp || parse_key(key, line, (size_t)(sp - line)) != 0) {
      rc = -1;
      break;
    }
    const char *vh = sp + 1;
    size_t vl = strlen(vh);
    if (vl >= 2 && vh[0] == '0' && (vh[1] == 'x' || vh[1] == 'X')) vh += 2, vl -= 2;
    uint8_t *val = malloc(vl / 2 + 1);
    if (!val) {
      rc = -1;
      break;
    }
    long m = vl % 2 ? -1 : fpk_hex_decode(val, vl / 2 + 1, vh, vl);
    if (m < 0 || table_add(t, key, val, (size_t)m) != FPK_OK) rc = -1;
    free(val);
  }
  if (rc) fprintf(stderr, "diff_steps: error: %s: line %u: want \"HEXKEY(64 digits) HEXVALUE\"\n", path, lineno);
  free(line);
  fclose(f);
  return rc;
}

/* An ELF (by its magic) through Cannon's load-elf, anything else as a state file. */
static int load_state(fpvm_mips64_state **out, const char *path) {
  uint8_t magic[4] = {0};
  FILE *f = fopen(path, "rb");
  if (!f) return fpk_errf(FPK_EIO, "%s: %s", path, strerror(errno));
  size_t got = fread(magic, 1, 4, f);
  fclose(f);
  if (got == 4 && !memcmp(magic, "\x7f" "ELF", 4)) {
    fpvm_elf elf;
    int err = fpvm_elf_load(&elf, path);
    if (err != FPK_OK) return err;
    err = fpvm_mips64_load_elf(out, &elf, path);
    fpvm_elf_free(&elf);
    return err;
  }
  return fpvm_mips64_state_read_file(out, path);
}

static uint64_t rng_next(uint64_t *s) { /* splitmix64 */
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static void hex32(char out[65], const uint8_t h[32]) { fpk_hex_encode(out, h, 32); }

static void mismatch(checker *c, uint64_t step, uint64_t pc, uint32_t insn, const char *fmt, const char *a,
                     const char *b) {
  c->mismatches++;
  if (c->mismatches > MAX_REPORTS) return;
  fprintf(stderr, "diff_steps: MISMATCH at step %" PRIu64 " pc 0x%" PRIx64 " insn %08x: ", step, pc, insn);
  fprintf(stderr, fmt, a, b);
  fputc('\n', stderr);
}

/* Prove one step with the engine, verify it, compare. Returns FPK_OK, FPK_EPANIC (the engine
 * panicked: the VM is dead) or a host/setup error. */
static int check_step(checker *c, fpvm_mips64_vm *vm, fpvm_mips64_proof *p) {
  fpvm_mips64_state *s = fpvm_mips64_vm_state(vm);
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  uint64_t step = s->step, pc = t ? t->pc : 0;
  uint32_t insn = t ? fpvm_mem_read32(s->mem, pc & ~3ull) : 0;
  int rc = fpvm_mips64_step(vm, p);
  if (rc != FPK_OK && rc != FPK_EPANIC) return rc;
  if (rc == FPK_EPANIC) /* slots 1 and 2 still hold the previous step's proofs */
    memset(p->proof_data + PROOF_CHECKED, 0, FPVM_MIPS64_PROOF_SIZE - PROOF_CHECKED);
  c->checked++;
  if (p->has_oracle) c->with_oracle++;

  char ha[65], hb[65];
  /* pre-state: the witness hashes to the engine's pre hash, which is the previous step's post hash */
  uint8_t pre[32];
  fpvm_mips64_witness_hash(p->state_data, pre);
  if (memcmp(pre, p->pre_hash, 32) != 0) {
    hex32(ha, pre), hex32(hb, p->pre_hash);
    mismatch(c, step, pc, insn, "witness hash %s != engine pre hash %s", ha, hb);
  } else if (c->have_prev && memcmp(pre, c->prev_post, 32) != 0) {
    hex32(ha, pre), hex32(hb, c->prev_post);
    mismatch(c, step, pc, insn, "pre hash %s != previous post hash %s", ha, hb);
  }

  uint8_t *proof = p->proof_data;
  if (c->tamper) {
    uint64_t r = rng_next(&c->rng);
    proof[(r >> 3) % PROOF_CHECKED] ^= (uint8_t)(1u << (r & 7));
  }
  fpvm_mips64_verify_oracle vo = {0};
  if (p->has_oracle) fpvm_mips64_proof_oracle(p, &vo);
  uint8_t vpost[32], vwit[FPVM_MIPS64_WITNESS_SIZE];
  char reason[256] = "";
  int vrc = fpvm_mips64_verify_step(p->state_data, sizeof p->state_data, proof, FPVM_MIPS64_PROOF_SIZE, &vo, vpost,
                                    vwit, reason, sizeof reason);
  if (rc == FPK_EPANIC) {
    c->panics++;
    c->have_prev = false;
    if (vrc == FPK_OK) {
      hex32(ha, vpost);
      mismatch(c, step, pc, insn, "engine panicked (%s) but the verifier accepted with post hash %s",
               fpvm_mips64_vm_panic_reason(vm), ha);
    } else if (c->verbose) {
      fprintf(stderr, "diff_steps: step %" PRIu64 ": engine panic \"%s\", verifier: %s\n", step,
              fpvm_mips64_vm_panic_reason(vm), reason);
    }
    return FPK_EPANIC;
  }
  if (vrc != FPK_OK) {
    hex32(ha, p->post_hash);
    char what[400];
    snprintf(what, sizeof what, "%s (%s)", fpk_strerror(vrc), reason);
    mismatch(c, step, pc, insn, "engine stepped to %s but the verifier rejected: %s", ha, what);
  } else {
    uint8_t ewit[FPVM_MIPS64_WITNESS_SIZE];
    fpvm_mips64_state_witness(s, ewit);
    if (memcmp(vpost, p->post_hash, 32) != 0) {
      hex32(ha, p->post_hash), hex32(hb, vpost);
      mismatch(c, step, pc, insn, "engine post hash %s != verifier post hash %s", ha, hb);
    } else if (memcmp(vwit, ewit, sizeof ewit) != 0) {
      size_t i = 0;
      while (vwit[i] == ewit[i]) i++;
      snprintf(ha, sizeof ha, "%zu", i);
      mismatch(c, step, pc, insn, "post witnesses differ from byte %s%s", ha, "");
    }
  }
  memcpy(c->prev_post, p->post_hash, 32);
  c->have_prev = true;
  return FPK_OK;
}

/* Proof-steps up to n steps (stops at exit or panic). */
static int check_window(checker *c, fpvm_mips64_vm *vm, fpvm_mips64_proof *p, uint64_t n) {
  fpvm_mips64_state *s = fpvm_mips64_vm_state(vm);
  c->windows++;
  c->have_prev = false; /* run mode in between: no proof chain to continue */
  for (uint64_t i = 0; i < n && !s->exited; i++) {
    int rc = check_step(c, vm, p);
    if (rc != FPK_OK) return rc;
  }
  return FPK_OK;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static int usage(void) {
  fprintf(stderr, "diff_steps: error: usage: diff_steps --all|--sample K [--window W] [--seed S] [--max-steps N] "
                  "[--keccak-text STR]... [--preimage HEXKEY=TEXT]... [--preimage-file FILE] [--tamper] [--verbose] "
                  "PROG.elf|STATE\n");
  return EXIT_SETUP;
}

static int parse_u64(const char *v, uint64_t *out) {
  char *end;
  errno = 0;
  if (!v || !*v || *v == '-') return -1;
  *out = strtoull(v, &end, 0);
  return errno || *end ? -1 : 0;
}

int main(int argc, char **argv) {
  bool all = false;
  uint64_t sample = 0, window = 50, seed = 1, max_steps = 2000000000ull;
  const char *path = NULL;
  table tab = {0};
  checker c = {0};
  int ret = EXIT_SETUP;
  fpvm_mips64_state *init = NULL;
  fpvm_mips64_vm *vm = NULL;
  fpvm_mips64_proof *p = NULL;
  uint64_t *starts = NULL;

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    bool took = true;
    if (!strcmp(a, "--all")) all = true, took = false;
    else if (!strcmp(a, "--tamper")) c.tamper = true, took = false;
    else if (!strcmp(a, "--verbose")) c.verbose = true, took = false;
    else if (!strcmp(a, "--sample")) {
      if (parse_u64(v, &sample) || !sample) goto bad_args;
    } else if (!strcmp(a, "--window")) {
      if (parse_u64(v, &window) || !window) goto bad_args;
    } else if (!strcmp(a, "--seed")) {
      if (parse_u64(v, &seed)) goto bad_args;
    } else if (!strcmp(a, "--max-steps")) {
      if (parse_u64(v, &max_steps)) goto bad_args;
    } else if (!strcmp(a, "--keccak-text") && v) {
      uint8_t key[32];
      fpk_keccak256(key, v, strlen(v));
      key[0] = 2;
      if (table_add(&tab, key, v, strlen(v)) != FPK_OK) goto oom;
    } else if (!strcmp(a, "--preimage") && v) {
      if (parse_preimage_arg(&tab, v) != 0) {
        setup_err("--preimage wants HEXKEY(64 digits)=TEXT");
        goto out;
      }
    } else if (!strcmp(a, "--preimage-file") && v) {
      if (load_preimage_file(&tab, v) != 0) goto out;
    } else if (a[0] == '-' || path) {
      goto bad_args;
    } else {
      path = a, took = false;
    }
    if (took) i++;
  }
  if (!path || all == (sample != 0)) goto bad_args;
  c.rng = seed ^ 0x5DEECE66Dull;

  int err = load_state(&init, path);
  if (err != FPK_OK) {
    fprintf(stderr, "diff_steps: error: %s: %s\n", fpk_strerror(err), fpk_errmsg());
    goto out;
  }
  fpvm_oracle orc = {.ctx = &tab, .hint = orc_hint, .get = orc_get};
  p = calloc(1, sizeof *p);
  if (!p) goto oom;

  uint64_t first = init->step;
  uint64_t total = 0; /* steps the program takes (sample mode) */
  uint64_t reads[MAX_READ_WINDOWS]; /* offsets of steps that read a preimage (sample mode) */
  uint64_t nreads = 0;
  if (sample) {
    /* pass 1: how long is the run? */
    fpvm_mips64_state *s1 = fpvm_mips64_state_clone(init);
    vm = fpvm_mips64_vm_create(s1);
    if (!vm) goto oom;
    fpvm_mips64_vm_set_output(vm, discard_output, NULL);
    fpvm_mips64_vm_set_oracle(vm, &orc);
    /* stops after each preimage read, so the reads get windows of their own */
    for (;;) {
      uint64_t done = 0;
      err = fpvm_mips64_run(vm, max_steps - total, true, &done);
      total += done;
      if (err != FPK_OK || s1->exited || total >= max_steps || done == 0) break;
      if (fpvm_mips64_vm_stats(vm)->last_step_read_preimage && nreads < MAX_READ_WINDOWS)
        reads[nreads++] = total - 1;
    }
    if (err != FPK_OK && err != FPK_EPANIC) {
      fprintf(stderr, "diff_steps: error: %s: %s\n", fpk_strerror(err), fpk_errmsg());
      goto out;
    }
    fpvm_mips64_vm_destroy(vm);
    vm = NULL;
  }

  vm = fpvm_mips64_vm_create(init);
  init = NULL;
  if (!vm) goto oom;
  fpvm_mips64_vm_set_output(vm, discard_output, NULL);
  fpvm_mips64_vm_set_oracle(vm, &orc);
  fpvm_mips64_state *s = fpvm_mips64_vm_state(vm);

  if (all) {
    err = check_window(&c, vm, p, max_steps);
  } else {
    /* window starts, as offsets from the first step: first, last, the rest uniform */
    uint64_t nrand = (sample + window - 1) / window, nwin = 2 + nrand + nreads;
    starts = malloc(nwin * sizeof *starts);
    if (!starts) goto oom;
    starts[0] = 0;
    starts[1] = total > window ? total - window : 0;
    for (uint64_t i = 0; i < nrand; i++) starts[2 + i] = total ? rng_next(&c.rng) % total : 0;
    for (uint64_t i = 0; i < nreads; i++) starts[2 + nrand + i] = reads[i] > window / 2 ? reads[i] - window / 2 : 0;
    qsort(starts, nwin, sizeof *starts, cmp_u64);
    err = FPK_OK;
    for (uint64_t i = 0; i < nwin && err == FPK_OK && !s->exited; i++) {
      uint64_t at = first + starts[i];
      if (s->step < at) {
        uint64_t done = 0;
        err = fpvm_mips64_run(vm, at - s->step, false, &done);
        c.run_steps += done;
        if (err != FPK_OK || s->exited) break;
      }
      uint64_t end = first + starts[i] + window; /* overlapping windows merge */
      if (end > s->step) err = check_window(&c, vm, p, end - s->step);
    }
    if (err == FPK_OK && !s->exited) { /* to the end, so the exit state is the one pass 1 saw */
      uint64_t done = 0;
      err = fpvm_mips64_run(vm, first + total - s->step, false, &done);
      c.run_steps += done;
    }
  }
  if (err != FPK_OK && err != FPK_EPANIC) {
    fprintf(stderr, "diff_steps: error: at step %" PRIu64 ": %s: %s\n", s->step, fpk_strerror(err), fpk_errmsg());
    goto out;
  }
  if (sample && s->step != first + total) {
    fprintf(stderr, "diff_steps: error: second run ended at step %" PRIu64 ", the first at %" PRIu64 "\n", s->step,
            first + total);
    c.mismatches++;
  }
  if (c.mismatches > MAX_REPORTS)
    fprintf(stderr, "diff_steps: (%" PRIu64 " more mismatches not shown)\n", c.mismatches - MAX_REPORTS);
  const char *end = err == FPK_EPANIC ? "vm panic" : s->exited ? "exited" : "step limit";
  printf("diff_steps: %s: mode %s, steps checked %" PRIu64 " (windows %" PRIu64 ", engine panics %" PRIu64
         "), proofs with oracle data %" PRIu64 ", run-mode steps %" PRIu64 ", end %s at step %" PRIu64
         " exit code %u, mismatches %" PRIu64 "\n",
         path, all ? "all" : "sample", c.checked, c.windows, c.panics, c.with_oracle, c.run_steps, end, s->step,
         s->exit_code, c.mismatches);
  ret = c.mismatches ? EXIT_MISMATCH : 0;
  goto out;

bad_args:
  ret = usage();
  goto out;
oom:
  setup_err("out of memory");
  ret = EXIT_SETUP;
out:
  if (p) fpvm_mips64_proof_clear(p);
  free(p);
  free(starts);
  fpvm_mips64_vm_destroy(vm);
  fpvm_mips64_state_destroy(init);
  table_free(&tab);
  return ret;
}
