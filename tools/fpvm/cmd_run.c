/* fpvm run: Cannon's `run` (cannon.md §7) — same flags, defaults, loop order, files and log lines.
 * Between events (info/stop/snapshot/proof steps and, when asked for, preimage reads) the VM runs in
 * long stretches through fpvm_mips64_run, so matchers cost nothing per step. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fpkit/hex.h"
#include "fpkit/mips64.h"
#include "fpvm/mips64/proof_json.h"
#include "fpvm/oracle_proc.h"
#include "run_internal.h"

/* Longest stretch between checks for an interrupt. */
#define RUN_CHUNK (1ull << 22)

static volatile sig_atomic_t run_interrupted;

static void on_signal(int sig) {
  (void)sig;
  run_interrupted = 1;
}

typedef struct {
  fpvm_run_matcher proof_at, snap_at, stop_at, info_at;
  const char *output, *proof_fmt, *snap_fmt, *debug_info;
  /* preimage stops */
  bool stop_any;
  uint8_t prefix[32];
  size_t prefix_len;
  uint64_t pre_offset, pre_min_step;
  long long larger_than;
  /* guest output: fd to copy raw bytes to, or -1 to log like Cannon */
  int guest_fd[3];
  bool guest_close[3];
  fpvm_oracle_proc *host;
  fpvm_meta meta;
  fpvm_mips64_vm *vm;
  fpvm_run_tracer *tracer; /* --debug: single steps with call-stack tracking */
} run_ctx;

static void vm_log(int level, const char *msg) {
  fpvm_log_line l;
  fpvm_log_begin(&l, level, msg);
  fpvm_log_str(&l, "module", "vm");
  fpvm_log_end(&l, 2);
}

static void write_raw(int fd, const uint8_t *buf, size_t len) {
  while (len) {
    ssize_t w = write(fd, buf, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    buf += w;
    len -= (size_t)w;
  }
}

static void on_guest_output(void *ctx, int fd, const uint8_t *buf, size_t len) {
  run_ctx *r = ctx;
  int s = fd == 2 ? 2 : 1;
  if (r->guest_fd[s] >= 0) write_raw(r->guest_fd[s], buf, len);
  else fpvm_log_chunk(2, s == 1 ? "module=guest stream=stdout" : "module=guest stream=stderr", buf, len);
}

/* Cannon logs host output line-chunks as module=host records: stdout's to our stdout, stderr's to ours. */
static void on_host_output(void *ctx, int stream, const uint8_t *buf, size_t len) {
  (void)ctx;
  fpvm_log_chunk(stream == 1 ? 1 : 2, "module=host", buf, len);
}

static void on_host_log(void *ctx, int level, const char *msg) {
  (void)ctx;
  vm_log(level ? FPVM_LOG_WARN : FPVM_LOG_INFO, msg);
}

static bool is_binary_name(const char *p) {
  size_t n = strlen(p);
  return (n >= 4 && !strcmp(p + n - 4, ".bin")) || (n >= 7 && !strcmp(p + n - 7, ".bin.gz"));
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void log_info(run_ctx *r, uint64_t start_step, int64_t t0) {
  fpvm_mips64_state *s = fpvm_mips64_vm_state(r->vm);
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  uint64_t pc = t ? t->pc : 0;
  char hex[16], mem[32];
  double secs = (double)(now_ns() - t0) / 1e9;
  uint64_t pages = fpvm_mem_page_count(s->mem);
  fpvm_log_line l;
  fpvm_log_begin(&l, FPVM_LOG_INFO, "processing");
  fpvm_log_str(&l, "module", "vm");
  fpvm_log_u64(&l, "step", s->step);
  snprintf(hex, sizeof hex, "%08" PRIx32, (uint32_t)pc);
  fpvm_log_str(&l, "pc", hex);
  snprintf(hex, sizeof hex, "%08" PRIx32, fpvm_mem_read32(s->mem, pc));
  fpvm_log_str(&l, "insn", hex);
  fpvm_log_f64(&l, "ips", (double)(s->step - start_step) / secs);
  fpvm_log_u64(&l, "pages", pages);
  fpvm_log_mem_usage(mem, sizeof mem, pages * 4096);
  fpvm_log_str(&l, "mem", mem);
  fpvm_log_str(&l, "name", fpvm_meta_lookup(&r->meta, pc));
  fpvm_log_end(&l, 2);
}

/* Preimage stop checks after a step that read fd 5 (Cannon's order). true = stop. */
static bool preimage_stop(run_ctx *r, uint64_t step) {
  const fpvm_mips64_stats *st = fpvm_mips64_vm_stats(r->vm);
  if (!st->last_step_read_preimage) return false;
  if (r->stop_any) {
    vm_log(FPVM_LOG_INFO, "Stopping at preimage read");
    return true;
  }
  if (r->prefix_len && !memcmp(st->last_preimage_key, r->prefix, r->prefix_len) &&
      r->pre_offset == st->last_preimage_offset && step >= r->pre_min_step) {
    char hex[65];
    fpk_hex_encode(hex, r->prefix, r->prefix_len);
    fpvm_log_line l;
    fpvm_log_begin(&l, FPVM_LOG_INFO, "Stopping at preimage read");
    fpvm_log_str(&l, "module", "vm");
    fpvm_log_str(&l, "keyPrefix", hex);
    fpvm_log_u64(&l, "offset", st->last_preimage_offset);
    fpvm_log_u64(&l, "step", step);
    fpvm_log_end(&l, 2);
    return true;
  }
  if (r->larger_than != 0 &&
      (r->larger_than < 0 || st->last_preimage_len > (unsigned long long)r->larger_than)) {
    char min[32];
    snprintf(min, sizeof min, "%lld", r->larger_than);
    fpvm_log_line l;
    fpvm_log_begin(&l, FPVM_LOG_INFO, "Stopping at preimage read");
    fpvm_log_str(&l, "module", "vm");
    fpvm_log_u64(&l, "size", st->last_preimage_len);
    fpvm_log_str(&l, "min", min);
    fpvm_log_end(&l, 2);
    return true;
  }
  return false;
}

static int parse_preimage_flags(run_ctx *r, fpvm_cli_cmd *cmd) {
  fpvm_cli_flag *f = fpvm_cli_flag_get(cmd, "stop-at-preimage");
  if (f->set) {
    const char *v = f->value;
    const char *parts[3] = {v, NULL, NULL};
    size_t lens[3] = {0}, np = 1;
    for (const char *p = v;; p++) {
      if (*p == '@' || *p == 0) {
        lens[np - 1] = (size_t)(p - parts[np - 1]);
        if (*p == 0) break;
        if (np == 3) return fpvm_cli_error("invalid stop-at-preimage: %s", v);
        parts[np++] = p + 1;
      }
    }
    char hex[80];
    size_t hl = lens[0];
    const char *h = parts[0];
    if (hl >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) h += 2, hl -= 2;
    if (hl > 64) return fpvm_cli_error("invalid stop-at-preimage: key prefix longer than 32 bytes: %s", v);
    size_t o = 0;
    if (hl % 2) hex[o++] = '0'; /* go-ethereum's FromHex pads an odd length on the left */
    memcpy(hex + o, h, hl);
    hex[o + hl] = 0;
    long n = fpk_hex_decode(r->prefix, sizeof r->prefix, hex, o + hl);
    if (n < 0) return fpvm_cli_error("invalid stop-at-preimage: bad key prefix hex: %s", v);
    r->prefix_len = (size_t)n;
    for (size_t i = 1; i < np; i++) {
      /* strconv.ParseUint(s, 10, 64): decimal digits only */
      uint64_t x = 0;
      bool ok = lens[i] > 0;
      for (size_t k = 0; ok && k < lens[i]; k++) {
        char c = parts[i][k];
        unsigned d = (unsigned)(c - '0');
        if (c < '0' || c > '9' || x > (UINT64_MAX - d) / 10) ok = false;
        else x = x * 10 + d;
      }
      if (!ok)
        return fpvm_cli_error("invalid preimage offset: strconv.ParseUint: parsing \"%.*s\": invalid syntax",
                              (int)lens[i], parts[i]);
      if (i == 1) r->pre_offset = x;
      else r->pre_min_step = x;
    }
  } else {
    const char *t = fpvm_cli_str(cmd, "stop-at-preimage-type");
    static const struct {
      const char *name;
      uint8_t type;
    } types[] = {{"local", 1}, {"keccak", 2}, {"sha256", 4}, {"blob", 5}, {"precompile", 6}};
    bool found = !*t;
    for (size_t i = 0; i < 5; i++)
      if (!strcmp(t, types[i].name)) {
        r->prefix[0] = types[i].type;
        r->prefix_len = 1;
        found = true;
      }
    if (!strcmp(t, "any")) r->stop_any = found = true;
    if (!found) return fpvm_cli_error("invalid preimage type \"%s\"", t);
  }
  const char *lt = fpvm_cli_str(cmd, "stop-at-preimage-larger-than");
  if (*lt) {
    char *end;
    errno = 0;
    long long x = strtoll(lt, &end, 0);
    if (errno || *end || end == lt)
      return fpvm_cli_error("invalid value \"%s\" for flag -stop-at-preimage-larger-than: parse error", lt);
    r->larger_than = x;
  }
  return 0;
}

static int open_guest_sink(run_ctx *r, int stream, const char *path) {
  r->guest_fd[stream] = -1;
  if (!path || !*path) return 0;
  if (!strcmp(path, "-")) {
    r->guest_fd[stream] = stream;
    return 0;
  }
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fpvm_cli_error("failed to open guest %s file %s: %s", stream == 1 ? "stdout" : "stderr", path, strerror(errno));
  r->guest_fd[stream] = fd;
  r->guest_close[stream] = true;
  return 0;
}

/* Stop the host (Cannon does this in a defer, after the output files, also on errors). */
static void close_host(run_ctx *r) {
  if (!r->host) return;
  int rc = fpvm_oracle_proc_close(r->host);
  r->host = NULL;
  if (rc != FPK_OK) {
    fpvm_log_line l;
    fpvm_log_begin(&l, FPVM_LOG_ERROR, "failed to close pre-image server");
    fpvm_log_str(&l, "module", "vm");
    fpvm_log_str(&l, "err", fpk_errmsg());
    fpvm_log_end(&l, 2);
  }
}

static void cleanup(run_ctx *r) {
  close_host(r);
  fpvm_mips64_vm_destroy(r->vm);
  r->vm = NULL;
  fpvm_run_tracer_destroy(r->tracer);
  r->tracer = NULL;
  fpvm_meta_free(&r->meta);
  for (int i = 1; i <= 2; i++)
    if (r->guest_close[i]) close(r->guest_fd[i]);
}

static int interrupted_exit(run_ctx *r) {
  cleanup(r);
  fputs("command interrupted\n", stderr);
  return 130;
}

static int fail_step(run_ctx *r, const char *what, uint64_t step, int code) {
  /* Cannon: with a host attached a VM panic is recovered into an error (exit 1); without one it is
   * an uncaught Go panic (exit 2). */
  int exit_code = (code == FPK_EPANIC && !r->host) ? 2 : 1;
  if (run_interrupted) return interrupted_exit(r);
  char msg[1024];
  snprintf(msg, sizeof msg, "%s", fpk_errmsg()[0] ? fpk_errmsg() : fpk_strerror(code));
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(fpvm_mips64_vm_state(r->vm));
  uint32_t pc = t ? (uint32_t)t->pc : 0;
  cleanup(r);
  fpvm_cli_error("%s %" PRIu64 " (PC: %08" PRIx32 "): %s", what, step, pc, msg);
  return exit_code;
}

static int fail(run_ctx *r, const char *what, int code) {
  char msg[1024];
  snprintf(msg, sizeof msg, "%s", fpk_errmsg()[0] ? fpk_errmsg() : fpk_strerror(code));
  cleanup(r);
  return fpvm_cli_error("%s: %s", what, msg);
}

static int run_loop(run_ctx *r, bool *stopped) {
  fpvm_mips64_state *s = fpvm_mips64_vm_state(r->vm);
  uint64_t start_step = s->step;
  int64_t t0 = now_ns();
  bool watch_preimages = r->stop_any || r->prefix_len || r->larger_than != 0;
  const fpvm_run_matcher *events[4] = {&r->info_at, &r->stop_at, &r->snap_at, &r->proof_at};
  *stopped = false;
  while (!s->exited) {
    if (run_interrupted) return -130;
    uint64_t step = s->step;
    if (fpvm_run_matcher_hit(&r->info_at, step)) log_info(r, start_step, t0);
    if (fpvm_run_matcher_hit(&r->stop_at, step)) {
      vm_log(FPVM_LOG_INFO, "Reached stop at");
      break;
    }
    if (fpvm_run_matcher_hit(&r->snap_at, step) && *r->snap_fmt) {
      char *path = fpvm_run_sprintf_u64(r->snap_fmt, step);
      int rc = path ? fpvm_mips64_state_write_file(s, path) : fpk_errf(FPK_ENOMEM, "out of memory");
      free(path);
      if (rc) return fail(r, "failed to write state snapshot", rc);
    }
    uint64_t last_step = step;
    if (r->tracer) fpvm_run_tracer_pre(r->tracer, s);
    if (fpvm_run_matcher_hit(&r->proof_at, step)) {
      fpvm_mips64_proof proof;
      memset(&proof, 0, sizeof proof);
      int rc = fpvm_mips64_step(r->vm, &proof);
      if (rc) {
        fpvm_mips64_proof_clear(&proof);
        return fail_step(r, "failed at proof-gen step", step, rc);
      }
      /* Cannon documents "-" as stdout but formats it first ("-%!(EXTRA uint64=N)"); fpvm keeps the
       * documented meaning. */
      char *path = !*r->proof_fmt                 ? NULL
                   : !strcmp(r->proof_fmt, "-") ? strdup("-")
                                                : fpvm_run_sprintf_u64(r->proof_fmt, step);
      rc = *r->proof_fmt ? (path ? fpvm_mips64_proof_write_json(&proof, step, path) : FPK_ENOMEM) : FPK_OK;
      free(path);
      fpvm_mips64_proof_clear(&proof);
      if (rc) return fail(r, "failed to write proof data", rc);
    } else {
      /* Run until the next step at which any matcher can fire. */
      uint64_t n = RUN_CHUNK, next;
      for (int i = 0; i < 4; i++)
        if (fpvm_run_matcher_next(events[i], step, &next) && next - step < n) n = next - step;
      if (r->tracer) n = 1;
      uint64_t done = 0;
      int rc = fpvm_mips64_run(r->vm, n, watch_preimages, &done);
      if (rc) return fail_step(r, "failed at step", step + done, rc);
      if (done) last_step = step + done - 1;
    }
    if (r->tracer) fpvm_run_tracer_post(r->tracer, s);
    if (watch_preimages && preimage_stop(r, last_step)) break;
  }
  *stopped = true;
  return 0;
}

int fpvm_cli_run(int argc, char **argv) {
  fpvm_cli_flag flags[] = {
      {.name = "input", .def = "state.bin.gz", .required = true, .usage = "path of input binary state. Stdin if left empty."},
      {.name = "output", .def = "out.bin.gz", .usage = "path of output binary state. Not written if empty, use - to write to Stdout."},
      {.name = "proof-at", .usage = "step pattern to output proof at: 'never' (default), 'always', '=123' at exactly step 123, '%123' for every 123 steps"},
      {.name = "proof-fmt", .def = "proof-%d.json", .usage = "format for proof data output file names. Proof data is written to stdout if -."},
      {.name = "snapshot-at", .usage = "step pattern to output snapshots at: 'never' (default), 'always', '=123' at exactly step 123, '%123' for every 123 steps"},
      {.name = "snapshot-fmt", .def = "state-%d.bin.gz", .usage = "format for snapshot output file names."},
      {.name = "stop-at", .usage = "step pattern to stop at: 'never' (default), 'always', '=123' at exactly step 123, '%123' for every 123 steps"},
      {.name = "stop-at-preimage", .usage = "stop at the first preimage request matching this key. Format: <key-prefix>@<offset>@<step>"},
      {.name = "stop-at-preimage-type", .usage = "stop at the first preimage request matching this type"},
      {.name = "stop-at-preimage-larger-than", .usage = "stop at the first step that requests a preimage larger than the specified size (in bytes)"},
      {.name = "meta", .def = "meta.json", .usage = "path to metadata file for symbol lookup for enhanced debugging info during execution."},
      {.name = "info-at", .def = "%1000000000", .usage = "step pattern to print info at: 'never' (default), 'always', '=123' at exactly step 123, '%123' for every 123 steps"},
      {.name = "pprof.cpu", .kind = FPVM_FLAG_BOOL, .usage = "enable pprof cpu profiling (accepted for compatibility; fpvm ignores it)"},
      {.name = "debug", .kind = FPVM_FLAG_BOOL, .usage = "enable debug mode, which includes stack traces and other debug info in the output. Requires --meta."},
      {.name = "debug-info", .usage = "path to write debug info to"},
      {.name = "guest-stdout", .usage = "write the guest's stdout bytes to this file (- = fpvm's stdout) instead of logging them"},
      {.name = "guest-stderr", .usage = "write the guest's stderr bytes to this file (- = fpvm's stderr) instead of logging them"},
  };
  fpvm_cli_cmd cmd = {.name = "run",
                      .usage = "Run VM step(s) and generate proof data to replicate onchain.",
                      .flags = flags,
                      .nflags = sizeof flags / sizeof flags[0]};
  if (!fpvm_cli_parse(&cmd, argc, argv)) return cmd.exit_code;

  run_ctx r;
  memset(&r, 0, sizeof r);
  r.guest_fd[1] = r.guest_fd[2] = -1;
  /* Matchers are flag values in Cannon: their errors come first. */
  static const char *const mnames[4] = {"proof-at", "snapshot-at", "stop-at", "info-at"};
  fpvm_run_matcher *ms[4] = {&r.proof_at, &r.snap_at, &r.stop_at, &r.info_at};
  for (int i = 0; i < 4; i++) {
    char err[256];
    const char *v = fpvm_cli_str(&cmd, mnames[i]);
    if (!fpvm_run_matcher_parse(ms[i], v, err, sizeof err))
      return fpvm_cli_error("invalid value \"%s\" for flag -%s: %s", v, mnames[i], err);
  }
  const char *input = fpvm_cli_str(&cmd, "input");
  r.output = fpvm_cli_str(&cmd, "output");
  r.proof_fmt = fpvm_cli_str(&cmd, "proof-fmt");
  r.snap_fmt = fpvm_cli_str(&cmd, "snapshot-fmt");
  r.debug_info = fpvm_cli_str(&cmd, "debug-info");
  const char *meta_path = fpvm_cli_str(&cmd, "meta");
  /* Cannon's checkFlags; "-" (stdout) is accepted here as well. */
  if (*r.output && strcmp(r.output, "-") && !is_binary_name(r.output))
    return fpvm_cli_error("invalid --output file format. Only binary file formats (ending in .bin or bin.gz) are supported");
  if (*r.snap_fmt) {
    char *p = fpvm_run_sprintf_u64(r.snap_fmt, 0);
    bool ok = p && is_binary_name(p);
    free(p);
    if (!ok)
      return fpvm_cli_error("invalid --snapshot-fmt file format. Only binary file formats (ending in .bin or bin.gz) are supported");
  }
  if (parse_preimage_flags(&r, &cmd)) return 1;
  if (open_guest_sink(&r, 1, fpvm_cli_str(&cmd, "guest-stdout")) ||
      open_guest_sink(&r, 2, fpvm_cli_str(&cmd, "guest-stderr"))) {
    cleanup(&r);
    return 1;
  }
  if (fpvm_cli_bool(&cmd, "pprof.cpu")) vm_log(FPVM_LOG_WARN, "--pprof.cpu is not supported by fpvm; ignored");

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  /* Host command: what follows the first "--" among the positional arguments, else all of them. */
  char **hargv = argv + cmd.rest;
  int hargc = argc - cmd.rest;
  for (int i = 0; i < hargc; i++)
    if (!strcmp(hargv[i], "--")) {
      hargv += i + 1;
      hargc -= i + 1;
      break;
    }
  if (hargc > 0 && hargv[0][0]) {
    char **av = calloc((size_t)hargc + 1, sizeof *av);
    if (!av) return fpvm_cli_error("out of memory");
    memcpy(av, hargv, (size_t)hargc * sizeof *av);
    fpvm_oracle_proc_opts po;
    fpvm_oracle_proc_opts_init(&po, av);
    /* Cannon first waits 1 s for the host to leave on its own; a preimage server only leaves on EOF,
     * so that second is pure latency on every run. Close at once; the later stages stay Cannon's. */
    po.exit_grace_ms = 0;
    po.output = on_host_output;
    po.log = on_host_log;
    po.ctx = &r;
    int rc = fpvm_oracle_proc_start(&r.host, &po);
    free(av);
    if (rc) return fail(&r, "failed to start pre-image oracle server", rc);
  }

  if (!*meta_path) {
    vm_log(FPVM_LOG_INFO, "no metadata file specified, defaulting to empty metadata");
  } else {
    int rc = fpvm_meta_read_json(&r.meta, meta_path);
    if (rc) return fail(&r, "failed to load metadata", rc);
  }

  if (strcmp(input, "-") && !is_binary_name(input)) {
    cleanup(&r);
    return fpvm_cli_error("failed to load state: unsupported version: singlethreaded");
  }
  fpvm_mips64_state *st = NULL;
  int rc = fpvm_mips64_state_read_file(&st, input);
  if (rc) return fail(&r, "failed to load state", rc);
  {
    fpvm_log_line l;
    fpvm_log_begin(&l, FPVM_LOG_INFO, "Loaded input state");
    fpvm_log_str(&l, "module", "vm");
    fpvm_log_str(&l, "version", FPVM_MIPS64_TYPE_NAME);
    fpvm_log_end(&l, 2);
  }
  r.vm = fpvm_mips64_vm_create(st);
  if (!r.vm) {
    fpvm_mips64_state_destroy(st);
    cleanup(&r);
    return fpvm_cli_error("out of memory");
  }
  if (r.host) {
    fpvm_oracle o = fpvm_oracle_proc_oracle(r.host);
    fpvm_mips64_vm_set_oracle(r.vm, &o);
  }
  fpvm_mips64_vm_set_output(r.vm, on_guest_output, &r);
  /* Stale proof slots only matter for byte-identical proof files; without proofs skip their upkeep. */
  fpvm_mips64_vm_set_exact_slots(r.vm, r.proof_at.kind != FPVM_MATCH_NEVER);
  bool debug = fpvm_cli_bool(&cmd, "debug");
  if (debug && !*meta_path) {
    cleanup(&r);
    return fpvm_cli_error("cannot enable debug mode without a metadata file");
  }
  if (debug && !(r.tracer = fpvm_run_tracer_create(&r.meta))) {
    cleanup(&r);
    return fpvm_cli_error("out of memory");
  }

  bool finished;
  int lrc = run_loop(&r, &finished);
  if (lrc == -130) return interrupted_exit(&r);
  if (!finished) return lrc; /* already reported and cleaned up */

  fpvm_mips64_state *s = fpvm_mips64_vm_state(r.vm);
  {
    fpvm_log_line l;
    fpvm_log_begin(&l, FPVM_LOG_INFO, "Execution stopped");
    fpvm_log_str(&l, "module", "vm");
    fpvm_log_bool(&l, "exited", s->exited != 0);
    fpvm_log_u64(&l, "code", s->exit_code);
    fpvm_log_end(&l, 2);
  }
  if (r.tracer) fpvm_run_tracer_traceback(r.tracer, s);
  if (*r.output) {
    rc = fpvm_mips64_state_write_file(s, r.output);
    if (rc) return fail(&r, "failed to write state output", rc);
  }
  if (*r.debug_info) {
    rc = fpvm_run_write_debug_info(r.debug_info, r.vm);
    if (rc) return fail(&r, "failed to write benchmark data", rc);
  }
  cleanup(&r);
  return 0;
}
