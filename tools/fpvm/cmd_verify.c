/* fpvm verify: check a Cannon step proof file (`cannon run --proof-at` JSON, optionally gzipped)
 * with the independent verifier: the witness must hash to "pre", the step must go through the way
 * MIPS64.sol would execute it, and the resulting hash must equal "post".
 *
 * The proof file is read with a small reader of its own: it is one flat object, and "step" /
 * "oracle-offset" are uint64 values that a generic JSON library holding int64 would reject. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cli.h"
#include "fpkit/hex.h"
#include "fpkit/keccak.h"
#include "fpkit/mips64.h"

#define MAX_FILE (512u << 20)

typedef struct {
  bool has_step, has_pre, has_post, has_state, has_proof, has_okey, has_ovalue, has_ooff;
  uint64_t step, ooff;
  uint8_t pre[32], post[32], okey[32];
  uint8_t *state, *proof, *ovalue;
  size_t state_len, proof_len, ovalue_len;
} proof_file;

static void proof_file_free(proof_file *p) {
  free(p->state);
  free(p->proof);
  free(p->ovalue);
}

static int read_all(const char *path, char **out, size_t *len) {
  gzFile f = strcmp(path, "-") ? gzopen(path, "rb") : gzdopen(0, "rb");
  if (!f) return fpk_errf(FPK_EIO, "%s", errno ? strerror(errno) : "cannot open");
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap + 1);
  int rc = FPK_OK;
  while (buf) {
    if (n == cap) {
      if (cap >= MAX_FILE) {
        rc = fpk_errf(FPK_ERANGE, "file larger than %u bytes", MAX_FILE);
        break;
      }
      char *nb = realloc(buf, 2 * cap + 1);
      if (!nb) break;
      buf = nb;
      cap *= 2;
    }
    int r = gzread(f, buf + n, (unsigned)(cap - n));
    if (r < 0) {
      int e;
      const char *m = gzerror(f, &e);
      rc = fpk_errf(FPK_EIO, "%s", e == Z_ERRNO ? strerror(errno) : m);
      break;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  gzclose(f);
  if (!buf) return fpk_errf(FPK_ENOMEM, "out of memory");
  if (rc) {
    free(buf);
    return rc;
  }
  buf[n] = 0;
  *out = buf;
  *len = n;
  return FPK_OK;
}

/* ---- a reader for one flat JSON object */
typedef struct {
  const char *s, *end;
} cursor;

static void ws(cursor *c) {
  while (c->s < c->end && (*c->s == ' ' || *c->s == '\t' || *c->s == '\n' || *c->s == '\r')) c->s++;
}

static bool lit(cursor *c, char ch) {
  ws(c);
  if (c->s < c->end && *c->s == ch) {
    c->s++;
    return true;
  }
  return false;
}

/* A string without escapes (every field of a proof file is a key or hex); p and n point into the buffer. */
static int str(cursor *c, const char **p, size_t *n) {
  if (!lit(c, '"')) return fpk_errf(FPK_EFORMAT, "expected a string");
  const char *b = c->s;
  while (c->s < c->end && *c->s != '"') {
    if (*c->s == '\\' || (unsigned char)*c->s < 0x20) return fpk_errf(FPK_EFORMAT, "unexpected character in string");
    c->s++;
  }
  if (c->s >= c->end) return fpk_errf(FPK_EFORMAT, "unterminated string");
  *p = b;
  *n = (size_t)(c->s - b);
  c->s++;
  return FPK_OK;
}

static int u64(cursor *c, uint64_t *v) {
  ws(c);
  if (c->s >= c->end || *c->s < '0' || *c->s > '9') return fpk_errf(FPK_EFORMAT, "expected an unsigned integer");
  uint64_t x = 0;
  while (c->s < c->end && *c->s >= '0' && *c->s <= '9') {
    unsigned d = (unsigned)(*c->s - '0');
    if (x > (UINT64_MAX - d) / 10) return fpk_errf(FPK_ERANGE, "integer does not fit in 64 bits");
    x = x * 10 + d;
    c->s++;
  }
  if (c->s < c->end && (*c->s == '.' || *c->s == 'e' || *c->s == 'E'))
    return fpk_errf(FPK_EFORMAT, "expected an unsigned integer");
  *v = x;
  return FPK_OK;
}

static int hex_fixed(cursor *c, uint8_t *out, size_t want) {
  const char *p;
  size_t n;
  int rc = str(c, &p, &n);
  if (rc) return rc;
  long got = fpk_hex_decode(out, want, p, n);
  if (got < 0 || (size_t)got != want) return fpk_errf(FPK_EFORMAT, "expected 0x and %zu hex bytes", want);
  return FPK_OK;
}

static int hex_alloc(cursor *c, uint8_t **out, size_t *len) {
  const char *p;
  size_t n;
  int rc = str(c, &p, &n);
  if (rc) return rc;
  size_t cap = n / 2 + 1;
  uint8_t *b = malloc(cap);
  if (!b) return fpk_errf(FPK_ENOMEM, "out of memory");
  long got = fpk_hex_decode(b, cap, p, n);
  if (got < 0) {
    free(b);
    return fpk_errf(FPK_EFORMAT, "bad hex");
  }
  free(*out);
  *out = b;
  *len = (size_t)got;
  return FPK_OK;
}

static bool key_is(const char *k, size_t n, const char *name) { return strlen(name) == n && !memcmp(k, name, n); }

static int parse_field(cursor *c, proof_file *pf, const char *k, size_t kn) {
  if (key_is(k, kn, "step")) return pf->has_step = true, u64(c, &pf->step);
  if (key_is(k, kn, "pre")) return pf->has_pre = true, hex_fixed(c, pf->pre, 32);
  if (key_is(k, kn, "post")) return pf->has_post = true, hex_fixed(c, pf->post, 32);
  if (key_is(k, kn, "state-data")) return pf->has_state = true, hex_alloc(c, &pf->state, &pf->state_len);
  if (key_is(k, kn, "proof-data")) return pf->has_proof = true, hex_alloc(c, &pf->proof, &pf->proof_len);
  if (key_is(k, kn, "oracle-key")) return pf->has_okey = true, hex_fixed(c, pf->okey, 32);
  if (key_is(k, kn, "oracle-value")) return pf->has_ovalue = true, hex_alloc(c, &pf->ovalue, &pf->ovalue_len);
  if (key_is(k, kn, "oracle-offset")) return pf->has_ooff = true, u64(c, &pf->ooff);
  return fpk_errf(FPK_EFORMAT, "not a field of a step proof");
}

static int parse_proof(const char *buf, size_t len, proof_file *pf) {
  cursor c = {buf, buf + len};
  if (!lit(&c, '{')) return fpk_errf(FPK_EFORMAT, "expected a JSON object");
  if (!lit(&c, '}')) {
    for (;;) {
      const char *k;
      size_t kn;
      int rc = str(&c, &k, &kn);
      if (rc) return rc;
      if (!lit(&c, ':')) return fpk_errf(FPK_EFORMAT, "expected ':'");
      rc = parse_field(&c, pf, k, kn);
      if (rc) {
        char why[256];
        snprintf(why, sizeof why, "%s", fpk_errmsg()); /* fpk_errf writes over the message it formats */
        return fpk_errf(rc, "field %.*s: %s", (int)(kn > 40 ? 40 : kn), k, why);
      }
      if (lit(&c, ',')) continue;
      if (lit(&c, '}')) break;
      return fpk_errf(FPK_EFORMAT, "expected ',' or '}'");
    }
  }
  ws(&c);
  if (c.s != c.end) return fpk_errf(FPK_EFORMAT, "trailing data after the object");
  const char *missing = !pf->has_pre ? "pre" : !pf->has_post ? "post" : !pf->has_state ? "state-data"
                      : !pf->has_proof ? "proof-data" : NULL;
  if (missing) return fpk_errf(FPK_EFORMAT, "field %s missing", missing);
  if (pf->has_okey != pf->has_ovalue) return fpk_errf(FPK_EFORMAT, "oracle-key and oracle-value must come together");
  if (pf->has_ooff && !pf->has_okey) return fpk_errf(FPK_EFORMAT, "oracle-offset without oracle-key");
  return FPK_OK;
}

static void hash_with_status(const uint8_t *w, size_t len, uint8_t out[32]) {
  fpk_keccak256(out, w, len);
  uint8_t status = 3;
  if (len == FPVM_MIPS64_WITNESS_SIZE && w[98]) status = w[97] == 0 ? 0 : (w[97] == 1 ? 1 : 2);
  out[0] = status;
}

int fpvm_cli_verify(int argc, char **argv) {
  fpvm_cli_flag flags[] = {
      {.name = "proof", .required = true, .usage = "step proof JSON written by `run --proof-at` (.gz allowed, - = stdin)"},
      {.name = "local-context",
       .usage = "bytes32 local context of the step (checked for form only: local keys are matched raw)"},
  };
  fpvm_cli_cmd cmd = {.name = "verify",
                      .usage = "Check a step proof with the independent one-step verifier (MIPS64.sol semantics)",
                      .flags = flags,
                      .nflags = 2};
  if (!fpvm_cli_parse(&cmd, argc, argv)) return cmd.exit_code;
  const char *path = fpvm_cli_str(&cmd, "proof"), *lc = fpvm_cli_str(&cmd, "local-context");
  uint8_t local_context[32];
  if (*lc && fpk_hex_decode(local_context, sizeof local_context, lc, strlen(lc)) != 32)
    return fpvm_cli_error("invalid --local-context %s: want 0x and 32 hex bytes", lc);

  char *buf = NULL;
  size_t len = 0;
  int rc = read_all(path, &buf, &len);
  if (rc) return fpvm_cli_error("reading proof %s: %s", path, fpk_errmsg());
  proof_file pf;
  memset(&pf, 0, sizeof pf);
  rc = parse_proof(buf, len, &pf);
  free(buf);
  if (rc) {
    proof_file_free(&pf);
    return fpvm_cli_error("invalid proof %s: %s", path, fpk_errmsg());
  }

  int ret = 1;
  char h1[65], h2[65];
  uint8_t pre[32];
  hash_with_status(pf.state, pf.state_len, pre);
  if (pf.state_len != FPVM_MIPS64_WITNESS_SIZE) {
    fpvm_cli_error("invalid proof %s: state-data is %zu bytes, not %d", path, pf.state_len, FPVM_MIPS64_WITNESS_SIZE);
    goto out;
  }
  if (memcmp(pre, pf.pre, 32) != 0) {
    fpk_hex_encode(h1, pre, 32);
    fpk_hex_encode(h2, pf.pre, 32);
    fpvm_cli_error("state-data hashes to 0x%s, not to pre 0x%s", h1, h2);
    goto out;
  }
  if (pf.has_step && pf.step != fpk_be64(pf.state + 99))
    fprintf(stderr, "warning: proof step %llu differs from the witness step %llu\n", (unsigned long long)pf.step,
            (unsigned long long)fpk_be64(pf.state + 99));

  fpvm_mips64_verify_oracle o = {0};
  if (pf.has_okey) {
    o.present = true;
    memcpy(o.key, pf.okey, 32);
    o.value = pf.ovalue;
    o.value_len = pf.ovalue_len;
    o.offset = pf.ooff;
  }
  uint8_t post[32], pw[FPVM_MIPS64_WITNESS_SIZE];
  char reason[512];
  rc = fpvm_mips64_verify_step(pf.state, pf.state_len, pf.proof, pf.proof_len, &o, post, pw, reason, sizeof reason);
  if (rc == FPK_EPROOF) {
    fpvm_cli_error("step reverts: %s", reason);
    goto out;
  }
  if (rc) {
    fpvm_cli_error("cannot verify the step: %s", reason[0] ? reason : fpk_strerror(rc));
    goto out;
  }
  bool match = memcmp(post, pf.post, 32) == 0;
  char wh[2 * FPVM_MIPS64_WITNESS_SIZE + 1];
  fpk_hex_encode(h1, pre, 32);
  fpk_hex_encode(h2, post, 32);
  fpk_hex_encode(wh, pw, sizeof pw);
  printf("{\n  \"step\": %llu,\n  \"pre\": \"0x%s\",\n  \"post\": \"0x%s\",\n  \"post-witness\": \"0x%s\",\n"
         "  \"match\": %s\n}\n",
         (unsigned long long)fpk_be64(pf.state + 99), h1, h2, wh, match ? "true" : "false");
  if (fflush(stdout) != 0) {
    fpvm_cli_error("failed to write response: %s", strerror(errno));
    goto out;
  }
  if (!match) {
    fpk_hex_encode(h1, pf.post, 32);
    fpvm_cli_error("post-state mismatch: the verifier computes 0x%s, the proof says 0x%s", h2, h1);
    goto out;
  }
  ret = 0;
out:
  proof_file_free(&pf);
  return ret;
}
