/* Step matchers of Cannon's --proof-at / --snapshot-at / --stop-at / --info-at, plus the "next
 * matching step" the run loop needs to run long stretches without checking every step. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "run_internal.h"

static bool parse_n(const char *s, uint64_t *n, const char *what, char *err, size_t errcap) {
  unsigned long long v;
  if (fpvm_cli_parse_u64(s, &v)) {
    *n = v;
    return true;
  }
  /* Go says "value out of range" for well-formed numbers that overflow, else "invalid syntax". */
  bool digits = *s != 0 && strspn(s, "0123456789") == strlen(s);
  snprintf(err, errcap, "failed to parse %s: strconv.ParseUint: parsing \"%s\": %s", what, s,
           digits ? "value out of range" : "invalid syntax");
  return false;
}

bool fpvm_run_matcher_parse(fpvm_run_matcher *m, const char *s, char *err, size_t errcap) {
  m->kind = FPVM_MATCH_NEVER;
  m->n = 0;
  if (!s || !*s || !strcmp(s, "never")) return true;
  if (!strcmp(s, "always")) {
    m->kind = FPVM_MATCH_ALWAYS;
    return true;
  }
  if (s[0] == '=') {
    if (!parse_n(s + 1, &m->n, "step number", err, errcap)) return false;
    m->kind = FPVM_MATCH_EQ;
    return true;
  }
  if (s[0] == '%') {
    if (!parse_n(s + 1, &m->n, "step interval number", err, errcap)) return false;
    if (m->n == 0) {
      snprintf(err, errcap, "failed to parse step interval number: interval must not be 0");
      return false;
    }
    m->kind = FPVM_MATCH_EVERY;
    return true;
  }
  snprintf(err, errcap, "unrecognized step matcher: \"%s\"", s);
  return false;
}

bool fpvm_run_matcher_hit(const fpvm_run_matcher *m, uint64_t step) {
  switch (m->kind) {
  case FPVM_MATCH_ALWAYS: return true;
  case FPVM_MATCH_EQ: return step == m->n;
  case FPVM_MATCH_EVERY: return step % m->n == 0;
  default: return false;
  }
}

bool fpvm_run_matcher_next(const fpvm_run_matcher *m, uint64_t after, uint64_t *next) {
  if (after == UINT64_MAX) return false;
  switch (m->kind) {
  case FPVM_MATCH_ALWAYS:
    *next = after + 1;
    return true;
  case FPVM_MATCH_EQ:
    if (m->n <= after) return false;
    *next = m->n;
    return true;
  case FPVM_MATCH_EVERY: {
    uint64_t q = after / m->n + 1;
    if (q > UINT64_MAX / m->n) return false;
    *next = q * m->n;
    return true;
  }
  default: return false;
  }
}
