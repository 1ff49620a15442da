/* Pieces of `fpvm run` (Cannon's `run`, cannon.md §7) shared between cmd_run.c and its helpers. */
#ifndef FPVM_TOOLS_RUN_INTERNAL_H
#define FPVM_TOOLS_RUN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/sbuf.h"
#include "fpkit/mips64.h"

/* ---- run_match.c: step matchers "" / never / always / =N / %N (N as strconv.ParseUint(s, 0, 64)). */
enum { FPVM_MATCH_NEVER, FPVM_MATCH_ALWAYS, FPVM_MATCH_EQ, FPVM_MATCH_EVERY };
typedef struct {
  int kind;
  uint64_t n;
} fpvm_run_matcher;

/* false with a Go-style reason in err ("failed to parse step number: ..."). "%0" is refused here;
 * Cannon accepts it and then crashes dividing by zero. */
bool fpvm_run_matcher_parse(fpvm_run_matcher *m, const char *s, char *err, size_t errcap);
bool fpvm_run_matcher_hit(const fpvm_run_matcher *m, uint64_t step);
/* Smallest step > after that matches; false when there is none. */
bool fpvm_run_matcher_next(const fpvm_run_matcher *m, uint64_t after, uint64_t *next);

/* ---- run_sprintf.c: Go's fmt.Sprintf(format, uint64) for file-name patterns like "proof-%d.json"
 * (d v x X o b, flags "-+ #0", width; Go's %!verb(...) / %!(EXTRA ...) / %!d(MISSING) markers).
 * Returns a malloc'd string or NULL on OOM. */
char *fpvm_run_sprintf_u64(const char *format, uint64_t v);

/* ---- run_log.c: lines in Go slog's TextHandler format without time, e.g.
 *   level=INFO msg=processing module=vm step=0 ...
 * Each line is built whole and written with one write(2), so threads do not interleave. */
typedef fpk_sbuf fpvm_log_line;

enum { FPVM_LOG_INFO, FPVM_LOG_WARN, FPVM_LOG_ERROR };
void fpvm_log_begin(fpvm_log_line *l, int level, const char *msg);
void fpvm_log_str(fpvm_log_line *l, const char *key, const char *val);
void fpvm_log_u64(fpvm_log_line *l, const char *key, uint64_t v);
void fpvm_log_f64(fpvm_log_line *l, const char *key, double v); /* strconv 'g', shortest */
void fpvm_log_bool(fpvm_log_line *l, const char *key, bool v);
void fpvm_log_bytes(fpvm_log_line *l, const char *key, const uint8_t *b, size_t n); /* 0x hex */
/* Appends "\n", writes to fd, frees the buffer. */
void fpvm_log_end(fpvm_log_line *l, int fd);
/* Go's strconv.FormatFloat(v, 'g', -1, 64) into out (>= 32 bytes). */
void fpvm_log_format_g(char *out, size_t cap, double v);
/* Cannon's LoggingWriter: one line `msg="" <prefix attrs> text="…"` (or data=0x… when the bytes are
 * not all printable ASCII, \n or \t). prefix is pre-rendered attrs such as "module=guest stream=stdout". */
void fpvm_log_chunk(int fd, const char *prefix, const uint8_t *buf, size_t len);
/* Memory.Usage(): "0 B", "4.0 KiB", "1.5 MiB", … */
void fpvm_log_mem_usage(char *out, size_t cap, uint64_t bytes);

/* ---- run_debug.c */
/* Cannon's DebugInfo JSON (2-space indent, two trailing newlines) to path ("-" = stdout). */
FPK_NODISCARD int fpvm_run_write_debug_info(const char *path, fpvm_mips64_vm *vm);

/* ---- run_trace.c: --debug call stacks (Cannon's StackTracker), printed on stdout. */
typedef struct fpvm_run_tracer fpvm_run_tracer;
fpvm_run_tracer *fpvm_run_tracer_create(const fpvm_meta *meta); /* NULL on OOM; meta must outlive it */
void fpvm_run_tracer_destroy(fpvm_run_tracer *t);
/* Around every step: pre sees the state before it, post after it succeeded. */
void fpvm_run_tracer_pre(fpvm_run_tracer *t, fpvm_mips64_state *s);
void fpvm_run_tracer_post(fpvm_run_tracer *t, fpvm_mips64_state *s);
void fpvm_run_tracer_traceback(fpvm_run_tracer *t, fpvm_mips64_state *s);

#endif
