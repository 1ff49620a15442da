/* put / get / import / export / diff / count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fpkit/hex.h"
#include "fpkit/preimage.h"

/* --name VALUE lookup; NULL when absent. */
static const char *opt(int argc, char **argv, const char *name) {
  for (int i = 1; i + 1 < argc; i++)
    if (!strcmp(argv[i], name)) return argv[i + 1];
  return NULL;
}
static int flag(int argc, char **argv, const char *name) {
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], name)) return 1;
  return 0;
}
/* Positional arguments: those not starting with -- and not the value of a --opt. */
static int positionals(int argc, char **argv, const char **out, int max) {
  int n = 0;
  for (int i = 1; i < argc; i++) {
    if (!strncmp(argv[i], "--", 2)) {
      if (strcmp(argv[i], "--raw") && strcmp(argv[i], "--stdin") && strcmp(argv[i], "--progress")) i++;
      continue;
    }
    if (n < max) out[n] = argv[i];
    n++;
  }
  return n;
}

static long hex_arg(const char *s, uint8_t **out) {
  size_t n = strlen(s);
  if (n < 2 || s[0] != '0' || s[1] != 'x') return fpk_errf(FPK_EFORMAT, "'%.40s': want 0x-prefixed hex", s);
  *out = malloc(n / 2 + 1);
  if (!*out) return FPK_ENOMEM;
  long r = fpk_hex_decode(*out, n / 2 + 1, s, n);
  if (r < 0) {
    free(*out);
    *out = NULL;
    return fpk_errf(FPK_EFORMAT, "'%.40s': not even-length hex", s);
  }
  return r;
}

static int put_stdin(fph_store *s) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int rc = fph_store_batch_begin(s);
  unsigned long lineno = 0;
  while (rc == FPK_OK && (n = getline(&line, &cap, stdin)) >= 0) {
    lineno++;
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    if (n == 0) continue;
    uint8_t key[32], *val;
    size_t len;
    rc = fph_kv_line(line, (size_t)n, key, &val, &len);
    if (rc == FPK_OK) {
      rc = fph_store_put(s, key, val, len);
      free(val);
    }
    if (rc != FPK_OK) rc = fph_errctx(rc, "stdin line %lu", lineno);
  }
  free(line);
  int rc2 = fph_store_batch_commit(s);
  return rc != FPK_OK ? rc : rc2;
}

int fph_cmd_put(int argc, char **argv) {
  const char *spec = opt(argc, argv, "--store"), *kec = opt(argc, argv, "--keccak"), *pos[2];
  int np = positionals(argc, argv, pos, 2);
  int use_stdin = flag(argc, argv, "--stdin");
  if (!spec || (use_stdin ? np != 0 || kec : kec ? np != 0 : np != 2)) {
    fprintf(stderr, "fphost: error: usage: fphost put --store SPEC (0xKEY 0xVALUE | --keccak 0xVALUE | --stdin)\n");
    return 2;
  }
  fph_store *s;
  int rc = fph_cli_open(&s, spec);
  if (rc != FPK_OK) return fph_cli_fail("open store", rc);
  if (use_stdin) {
    rc = put_stdin(s);
  } else {
    uint8_t key[32], *k = NULL, *v = NULL;
    long kl = 32, vl = hex_arg(kec ? kec : pos[1], &v);
    if (vl >= 0 && kec) pre_key_keccak256(key, v, (size_t)vl);
    if (vl >= 0 && !kec) {
      kl = hex_arg(pos[0], &k);
      if (kl == 32) memcpy(key, k, 32);
      else if (kl >= 0) kl = fpk_errf(FPK_EFORMAT, "key must be 32 bytes, got %ld", kl);
      free(k);
    }
    rc = vl < 0 ? (int)vl : kl < 0 ? (int)kl : fph_store_put(s, key, v, (size_t)vl);
    if (rc == FPK_OK && kec) {
      char hex[65];
      fpk_hex_encode(hex, key, 32);
      printf("0x%s\n", hex);
    }
    free(v);
  }
  int rc2 = fph_store_close(s);
  if (rc == FPK_OK) rc = rc2;
  return rc == FPK_OK ? 0 : fph_cli_fail("put", rc);
}

int fph_cmd_get(int argc, char **argv) {
  const char *spec = opt(argc, argv, "--store"), *pos[1];
  if (!spec || positionals(argc, argv, pos, 1) != 1) {
    fprintf(stderr, "fphost: error: usage: fphost get --store SPEC [--raw] 0xKEY\n");
    return 2;
  }
  uint8_t *k;
  long kl = hex_arg(pos[0], &k);
  if (kl >= 0 && kl != 32) {
    free(k);
    kl = fpk_errf(FPK_EFORMAT, "key must be 32 bytes, got %ld", kl);
  }
  if (kl < 0) return fph_cli_fail("get", (int)kl);
  fph_store *s;
  int rc = fph_cli_open(&s, spec);
  if (rc != FPK_OK) {
    free(k);
    return fph_cli_fail("open store", rc);
  }
  uint8_t *v;
  size_t len;
  rc = fph_store_get(s, k, &v, &len);
  if (rc == FPK_ENOTFOUND) rc = fpk_errf(rc, "key %s not in %s", pos[0], spec);
  if (rc == FPK_OK) {
    if (flag(argc, argv, "--raw")) {
      fwrite(v, 1, len, stdout);
    } else {
      char *hex = malloc(2 * len + 1);
      if (hex) {
        fpk_hex_encode(hex, v, len);
        printf("0x%s\n", hex);
      }
      free(hex);
    }
    free(v);
  }
  free(k);
  fph_store_close(s);
  return rc == FPK_OK ? 0 : fph_cli_fail("get", rc);
}

static void show_progress(void *arg, uint64_t done) {
  fprintf(stderr, "fphost: committed %llu\n", (unsigned long long)done);
}

int fph_cmd_copy(int argc, char **argv, int is_export) {
  const char *from = opt(argc, argv, "--from"), *to = opt(argc, argv, "--to"), *b = opt(argc, argv, "--batch");
  if (!from || !to) {
    fprintf(stderr, "fphost: error: usage: fphost %s --from SPEC --to SPEC [--batch N] [--progress]\n",
            is_export ? "export" : "import");
    return 2;
  }
  long batch = b ? strtol(b, NULL, 10) : 10000;
  if (batch <= 0) {
    fprintf(stderr, "fphost: error: --batch must be > 0\n");
    return 2;
  }
  fph_store *src, *dst;
  int rc = fph_cli_open(&src, from);
  if (rc != FPK_OK) return fph_cli_fail("open --from", rc);
  if ((rc = fph_cli_open(&dst, to)) != FPK_OK) {
    fph_store_close(src);
    return fph_cli_fail("open --to", rc);
  }
  rc = fph_store_copy(dst, src, (size_t)batch, flag(argc, argv, "--progress") ? show_progress : NULL, NULL);
  char msg[600];
  snprintf(msg, sizeof msg, "%s", fpk_errmsg());
  fph_store_close(src);
  int rc2 = fph_store_close(dst);
  if (rc != FPK_OK) {
    fprintf(stderr, "fphost: error: copy: %s\n", msg[0] ? msg : fpk_strerror(rc));
    return 1;
  }
  return rc2 == FPK_OK ? 0 : fph_cli_fail("close", rc2);
}

typedef struct {
  fph_store *other;
  uint64_t n;
} diff_ctx;

static int diff_one(void *arg, const uint8_t key[32], const uint8_t *val, size_t len) {
  diff_ctx *d = arg;
  uint8_t *v;
  size_t l;
  char hex[65];
  fpk_hex_encode(hex, key, 32);
  int rc = fph_store_get(d->other, key, &v, &l);
  if (rc == FPK_ENOTFOUND) return fpk_errf(FPK_ENOTFOUND, "0x%s missing from --to", hex);
  if (rc != FPK_OK) return rc;
  int same = l == len && (len == 0 || memcmp(v, val, len) == 0);
  free(v);
  if (!same) return fpk_errf(FPK_ECORRUPT, "0x%s differs", hex);
  d->n++;
  return FPK_OK;
}

int fph_cmd_diff(int argc, char **argv) {
  const char *from = opt(argc, argv, "--from"), *to = opt(argc, argv, "--to");
  if (!from || !to) {
    fprintf(stderr, "fphost: error: usage: fphost diff --from SPEC --to SPEC\n");
    return 2;
  }
  fph_store *a, *b;
  int rc = fph_cli_open(&a, from);
  if (rc != FPK_OK) return fph_cli_fail("open --from", rc);
  if ((rc = fph_cli_open(&b, to)) != FPK_OK) {
    fph_store_close(a);
    return fph_cli_fail("open --to", rc);
  }
  diff_ctx d = {b, 0};
  rc = fph_store_iterate(a, diff_one, &d);
  char msg[600];
  snprintf(msg, sizeof msg, "%s", fpk_errmsg());
  fph_store_close(a);
  fph_store_close(b);
  if (rc != FPK_OK) {
    fprintf(stderr, "fphost: error: diff: %s\n", msg);
    return 1;
  }
  printf("%llu entries match\n", (unsigned long long)d.n);
  return 0;
}

static int count_one(void *arg, const uint8_t key[32], const uint8_t *val, size_t len) {
  ++*(uint64_t *)arg;
  return FPK_OK;
}

int fph_cmd_count(int argc, char **argv) {
  const char *spec = opt(argc, argv, "--store");
  if (!spec) {
    fprintf(stderr, "fphost: error: usage: fphost count --store SPEC\n");
    return 2;
  }
  fph_store *s;
  int rc = fph_cli_open(&s, spec);
  if (rc != FPK_OK) return fph_cli_fail("open store", rc);
  uint64_t n = 0;
  rc = fph_store_iterate(s, count_one, &n);
  fph_store_close(s);
  if (rc != FPK_OK) return fph_cli_fail("count", rc);
  printf("%llu\n", (unsigned long long)n);
  return 0;
}
