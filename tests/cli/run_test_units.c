/* Unit tests of fpvm run's helpers: step matchers, Go Sprintf file names, slog-style value formats. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tools/fpvm/run_internal.h"
#include "test.h"

static void test_matcher_parse(void) {
  fpvm_run_matcher m;
  char err[256];
  CHECK(fpvm_run_matcher_parse(&m, "", err, sizeof err) && m.kind == FPVM_MATCH_NEVER);
  CHECK(fpvm_run_matcher_parse(&m, "never", err, sizeof err) && m.kind == FPVM_MATCH_NEVER);
  CHECK(fpvm_run_matcher_parse(&m, "always", err, sizeof err) && m.kind == FPVM_MATCH_ALWAYS);
  CHECK(fpvm_run_matcher_parse(&m, "=123", err, sizeof err) && m.kind == FPVM_MATCH_EQ && m.n == 123);
  CHECK(fpvm_run_matcher_parse(&m, "=0x10", err, sizeof err) && m.kind == FPVM_MATCH_EQ && m.n == 16);
  CHECK(fpvm_run_matcher_parse(&m, "=0", err, sizeof err) && m.kind == FPVM_MATCH_EQ && m.n == 0);
  CHECK(fpvm_run_matcher_parse(&m, "%1000000000", err, sizeof err) && m.kind == FPVM_MATCH_EVERY &&
        m.n == 1000000000);
  CHECK(fpvm_run_matcher_parse(&m, "%0b101", err, sizeof err) && m.n == 5);
  CHECK(fpvm_run_matcher_parse(&m, "=18446744073709551615", err, sizeof err) && m.n == UINT64_MAX);
  CHECK(!fpvm_run_matcher_parse(&m, "=18446744073709551616", err, sizeof err));
  CHECK(strstr(err, "value out of range") != NULL);
  CHECK(!fpvm_run_matcher_parse(&m, "=", err, sizeof err));
  CHECK(strcmp(err, "failed to parse step number: strconv.ParseUint: parsing \"\": invalid syntax") == 0);
  CHECK(!fpvm_run_matcher_parse(&m, "%abc", err, sizeof err));
  CHECK(strcmp(err, "failed to parse step interval number: strconv.ParseUint: parsing \"abc\": invalid syntax") == 0);
  CHECK(!fpvm_run_matcher_parse(&m, "%0", err, sizeof err));
  CHECK(!fpvm_run_matcher_parse(&m, "Never", err, sizeof err));
  CHECK(strcmp(err, "unrecognized step matcher: \"Never\"") == 0);
  CHECK(!fpvm_run_matcher_parse(&m, "123", err, sizeof err));
  CHECK(!fpvm_run_matcher_parse(&m, "= 1", err, sizeof err));
}

static void test_matcher_hit_next(void) {
  fpvm_run_matcher m;
  char err[64];
  uint64_t nx = 0;
  CHECK(fpvm_run_matcher_parse(&m, "%100", err, sizeof err));
  CHECK(fpvm_run_matcher_hit(&m, 0) && fpvm_run_matcher_hit(&m, 300) && !fpvm_run_matcher_hit(&m, 301));
  CHECK(fpvm_run_matcher_next(&m, 0, &nx) && nx == 100);
  CHECK(fpvm_run_matcher_next(&m, 99, &nx) && nx == 100);
  CHECK(fpvm_run_matcher_next(&m, 100, &nx) && nx == 200);
  CHECK(!fpvm_run_matcher_next(&m, UINT64_MAX - 5, &nx)); /* next multiple would overflow */
  CHECK(fpvm_run_matcher_parse(&m, "=5", err, sizeof err));
  CHECK(fpvm_run_matcher_hit(&m, 5) && !fpvm_run_matcher_hit(&m, 6));
  CHECK(fpvm_run_matcher_next(&m, 4, &nx) && nx == 5);
  CHECK(!fpvm_run_matcher_next(&m, 5, &nx));
  CHECK(fpvm_run_matcher_parse(&m, "always", err, sizeof err));
  CHECK(fpvm_run_matcher_next(&m, 7, &nx) && nx == 8);
  CHECK(!fpvm_run_matcher_next(&m, UINT64_MAX, &nx));
  CHECK(fpvm_run_matcher_parse(&m, "never", err, sizeof err));
  CHECK(!fpvm_run_matcher_hit(&m, 0) && !fpvm_run_matcher_next(&m, 0, &nx));
  /* every hit of %7 over a range is found by hopping with next */
  CHECK(fpvm_run_matcher_parse(&m, "%7", err, sizeof err));
  uint64_t s = 0, hits = 0;
  while (fpvm_run_matcher_next(&m, s, &s) && s < 1000) hits++;
  CHECK_EQ_U64(hits, 142);
}

static void check_fmt(const char *f, uint64_t v, const char *want) {
  char *got = fpvm_run_sprintf_u64(f, v);
  CHECK(got && strcmp(got, want) == 0);
  if (got && strcmp(got, want)) fprintf(stderr, "  Sprintf(%s, %llu) = \"%s\", want \"%s\"\n", f, (unsigned long long)v, got, want);
  free(got);
}

static void test_sprintf(void) {
  check_fmt("proof-%d.json", 5, "proof-5.json");
  check_fmt("%d.json.gz", 18446744073709551615ull, "18446744073709551615.json.gz");
  check_fmt("state-%d.bin.gz", 0, "state-0.bin.gz");
  check_fmt("p-%06d.json", 42, "p-000042.json");
  check_fmt("p-%-4d|", 42, "p-42  |");
  check_fmt("p-%4d|", 42, "p-  42|");
  check_fmt("%x-%X", 255, "ff-%!X(MISSING)");
  check_fmt("%#x", 255, "0xff");
  check_fmt("%v", 7, "7");
  check_fmt("%+d", 7, "+7");
  check_fmt("%.3d", 7, "007");
  check_fmt("%o %%", 8, "10 %");
  check_fmt("proof.json", 5, "proof.json%!(EXTRA uint64=5)");
  check_fmt("%s.json", 5, "%!s(uint64=5).json");
  check_fmt("a%", 5, "a%!(NOVERB)%!(EXTRA uint64=5)");
  check_fmt("-", 5, "-%!(EXTRA uint64=5)");
}

static void check_g(double v, const char *want) {
  char b[64];
  fpvm_log_format_g(b, sizeof b, v);
  CHECK(strcmp(b, want) == 0);
  if (strcmp(b, want)) fprintf(stderr, "  format_g = \"%s\", want \"%s\"\n", b, want);
}

static void test_float_format(void) {
  check_g(0, "0");
  check_g(1.5, "1.5");
  check_g(123456, "123456");
  check_g(999999, "999999");
  check_g(1000000, "1e+06");
  check_g(1234567, "1.234567e+06");
  check_g(92914955.8700417, "9.29149558700417e+07");
  check_g(0.0001, "0.0001");
  check_g(0.00001234, "1.234e-05");
  check_g(1e21, "1e+21");
  check_g(1e100, "1e+100");
  check_g(-2.5, "-2.5");
  check_g(0.1, "0.1");
  check_g(100.25, "100.25");
  check_g(__builtin_nan(""), "NaN");
  check_g(__builtin_inf(), "+Inf");
}

static void test_mem_usage(void) {
  char b[32];
  fpvm_log_mem_usage(b, sizeof b, 0);
  CHECK(strcmp(b, "0 B") == 0);
  fpvm_log_mem_usage(b, sizeof b, 1023);
  CHECK(strcmp(b, "1023 B") == 0);
  fpvm_log_mem_usage(b, sizeof b, 4096);
  CHECK(strcmp(b, "4.0 KiB") == 0);
  fpvm_log_mem_usage(b, sizeof b, 1536ull * 1024);
  CHECK(strcmp(b, "1.5 MiB") == 0);
  fpvm_log_mem_usage(b, sizeof b, 3ull << 30);
  CHECK(strcmp(b, "3.0 GiB") == 0);
}

/* Log lines are written with write(2): capture them through a pipe. */
static void capture(void (*fn)(int fd), char *out, size_t cap) {
  int p[2];
  CHECK(pipe(p) == 0);
  fn(p[1]);
  close(p[1]);
  ssize_t n = read(p[0], out, cap - 1);
  out[n > 0 ? n : 0] = 0;
  close(p[0]);
}

static void chunk_text(int fd) { fpvm_log_chunk(fd, "module=guest stream=stdout", (const uint8_t *)"hello \"x\"\t\n", 11); }
static void chunk_bare(int fd) { fpvm_log_chunk(fd, "module=host", (const uint8_t *)"abc", 3); }
static void chunk_data(int fd) { fpvm_log_chunk(fd, "module=guest stream=stderr", (const uint8_t *)"\x00\xff", 2); }
static void chunk_empty(int fd) { fpvm_log_chunk(fd, "module=guest stream=stdout", (const uint8_t *)"", 0); }
static void line_attrs(int fd) {
  fpvm_log_line l;
  fpvm_log_begin(&l, FPVM_LOG_ERROR, "failed to close pre-image server");
  fpvm_log_str(&l, "module", "vm");
  fpvm_log_str(&l, "err", "exit status 1");
  fpvm_log_str(&l, "name", "!unknown");
  fpvm_log_str(&l, "path", "a=b");
  fpvm_log_str(&l, "bs", "a\\b");
  fpvm_log_u64(&l, "step", 12);
  fpvm_log_bool(&l, "exited", true);
  fpvm_log_end(&l, fd);
}

static void test_log_lines(void) {
  char b[512];
  capture(chunk_text, b, sizeof b);
  CHECK(strcmp(b, "level=INFO msg=\"\" module=guest stream=stdout text=\"hello \\\"x\\\"\\t\\n\"\n") == 0);
  capture(chunk_bare, b, sizeof b);
  CHECK(strcmp(b, "level=INFO msg=\"\" module=host text=abc\n") == 0);
  capture(chunk_data, b, sizeof b);
  CHECK(strcmp(b, "level=INFO msg=\"\" module=guest stream=stderr data=0x00ff\n") == 0);
  capture(chunk_empty, b, sizeof b);
  CHECK(strcmp(b, "level=INFO msg=\"\" module=guest stream=stdout text=\"\"\n") == 0);
  capture(line_attrs, b, sizeof b);
  CHECK(strcmp(b, "level=ERROR msg=\"failed to close pre-image server\" module=vm err=\"exit status 1\" "
                  "name=!unknown path=\"a=b\" bs=a\\b step=12 exited=true\n") == 0);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_matcher_parse);
  RUN(test_matcher_hit_next);
  RUN(test_sprintf);
  RUN(test_float_format);
  RUN(test_mem_usage);
  RUN(test_log_lines);
  return fpk_test_main_end();
}
