/* Proof JSON: exact bytes of Cannon's layout for hand-made proofs, incl. every omission rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fpvm/mips64/proof_json.h"
#include "test.h"

/* Expected text is assembled here from literal pieces; only the long hex runs are repeated. */
typedef struct {
  char *p;
  size_t n;
} sb;

static void sb_add(sb *s, const char *t) {
  size_t l = strlen(t);
  s->p = realloc(s->p, s->n + l + 1);
  memcpy(s->p + s->n, t, l + 1);
  s->n += l;
}

static void sb_rep(sb *s, const char *t, size_t times) {
  for (size_t i = 0; i < times; i++) sb_add(s, t);
}

static void fill(fpvm_mips64_proof *p) {
  memset(p, 0, sizeof *p);
  p->pre_hash[0] = 0x03;
  memset(p->pre_hash + 1, 0x11, 31);
  memset(p->post_hash, 0x22, 32);
  memset(p->state_data, 0x33, sizeof p->state_data);
  p->state_data[0] = 0x01;
  memset(p->proof_data, 0x44, sizeof p->proof_data);
  p->proof_data[FPVM_MIPS64_PROOF_SIZE - 1] = 0x5f;
}

static void expect_head(sb *s, const char *step) {
  sb_add(s, "{\n  \"step\": ");
  sb_add(s, step);
  sb_add(s, ",\n  \"pre\": \"0x03");
  sb_rep(s, "11", 31);
  sb_add(s, "\",\n  \"post\": \"0x");
  sb_rep(s, "22", 32);
  sb_add(s, "\",\n  \"state-data\": \"0x01");
  sb_rep(s, "33", 187);
  sb_add(s, "\",\n  \"proof-data\": \"0x");
  sb_rep(s, "44", 6089);
  sb_add(s, "5f\"");
}

static void check_text(const fpvm_mips64_proof *p, uint64_t step, const char *want) {
  char *got = NULL;
  size_t n = 0;
  CHECK(fpvm_mips64_proof_json(p, step, &got, &n) == FPK_OK);
  CHECK(got != NULL && n == strlen(want) && strcmp(got, want) == 0);
  if (got && strcmp(got, want) != 0) {
    size_t i = 0;
    while (got[i] && got[i] == want[i]) i++;
    fprintf(stderr, "  first difference at byte %zu: got \"%.40s\" want \"%.40s\"\n", i, got + i, want + i);
  }
  free(got);
}

static void test_proof_json_no_oracle(void) {
  fpvm_mips64_proof p;
  fill(&p);
  sb w = {0};
  expect_head(&w, "18446744073709551615");
  sb_add(&w, "\n}\n\n");
  check_text(&p, UINT64_MAX, w.p);
  /* has_oracle with a zero key is "no preimage" to Cannon: all oracle fields omitted. */
  uint8_t val[9] = {0, 0, 0, 0, 0, 0, 0, 1, 0xaa};
  p.has_oracle = true;
  p.oracle_value = val;
  p.oracle_value_len = 9;
  p.oracle_offset = 3;
  check_text(&p, UINT64_MAX, w.p);
  free(w.p);
}

static void test_proof_json_oracle_offset_zero(void) {
  fpvm_mips64_proof p;
  fill(&p);
  uint8_t val[11] = {0, 0, 0, 0, 0, 0, 0, 3, 'a', 'b', 'c'};
  p.has_oracle = true;
  p.oracle_key[0] = 0x02;
  p.oracle_key[31] = 0xfe;
  p.oracle_value = val;
  p.oracle_value_len = sizeof val;
  p.oracle_offset = 0; /* omitempty: no oracle-offset line */
  sb w = {0};
  expect_head(&w, "0");
  sb_add(&w, ",\n  \"oracle-key\": \"0x02");
  sb_rep(&w, "00", 30);
  sb_add(&w, "fe\",\n  \"oracle-value\": \"0x0000000000000003616263\"\n}\n\n");
  check_text(&p, 0, w.p);
  free(w.p);
}

static void test_proof_json_oracle_offset(void) {
  fpvm_mips64_proof p;
  fill(&p);
  uint8_t val[8] = {0};
  p.has_oracle = true;
  memset(p.oracle_key, 0x01, 32);
  p.oracle_value = val;
  p.oracle_value_len = sizeof val;
  p.oracle_offset = 8;
  sb w = {0};
  expect_head(&w, "1234");
  sb_add(&w, ",\n  \"oracle-key\": \"0x");
  sb_rep(&w, "01", 32);
  sb_add(&w, "\",\n  \"oracle-value\": \"0x0000000000000000\",\n  \"oracle-offset\": 8\n}\n\n");
  check_text(&p, 1234, w.p);
  /* An empty value is omitted by omitempty; offset still follows the key. */
  p.oracle_value_len = 0;
  free(w.p);
  w.p = NULL;
  w.n = 0;
  expect_head(&w, "1234");
  sb_add(&w, ",\n  \"oracle-key\": \"0x");
  sb_rep(&w, "01", 32);
  sb_add(&w, "\",\n  \"oracle-offset\": 8\n}\n\n");
  check_text(&p, 1234, w.p);
  free(w.p);
}

static void test_proof_json_write(void) {
  fpvm_mips64_proof p;
  fill(&p);
  char dir[] = "/tmp/fpvm-proofjson-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char plain[256], gz[256];
  snprintf(plain, sizeof plain, "%s/7.json", dir);
  snprintf(gz, sizeof gz, "%s/7.json.gz", dir);
  CHECK(fpvm_mips64_proof_write_json(&p, 7, plain) == FPK_OK);
  CHECK(fpvm_mips64_proof_write_json(&p, 7, gz) == FPK_OK);
  CHECK(fpvm_mips64_proof_write_json(&p, 7, "") == FPK_OK); /* "" = not written */
  char *want;
  size_t wn;
  CHECK(fpvm_mips64_proof_json(&p, 7, &want, &wn) == FPK_OK);
  uint8_t *a = NULL, *b = NULL;
  size_t an = 0, bn = 0;
  CHECK(fpvm_read_file(plain, &a, &an) == FPK_OK);
  CHECK(fpvm_read_file(gz, &b, &bn) == FPK_OK); /* decompressed by name */
  CHECK(an == wn && a && memcmp(a, want, wn) == 0);
  CHECK(bn == wn && b && memcmp(b, want, wn) == 0);
  /* the .gz file really is gzip */
  FILE *f = fopen(gz, "rb");
  unsigned char magic[2] = {0};
  if (f) {
    CHECK(fread(magic, 1, 2, f) == 2);
    fclose(f);
  }
  CHECK(magic[0] == 0x1f && magic[1] == 0x8b);
  free(a);
  free(b);
  free(want);
  unlink(plain);
  unlink(gz);
  rmdir(dir);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_proof_json_no_oracle);
  RUN(test_proof_json_oracle_offset_zero);
  RUN(test_proof_json_oracle_offset);
  RUN(test_proof_json_write);
  return fpk_test_main_end();
}
