/* Proof JSON in the byte layout Cannon's Go writer produces. */
#include "fpvm/mips64/proof_json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/hex.h"

typedef struct {
  char *p;
  size_t n;
} outbuf;

static void put(outbuf *b, const char *s, size_t n) {
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

static void put_str(outbuf *b, const char *s) { put(b, s, strlen(s)); }

static void put_hex_field(outbuf *b, const char *key, const uint8_t *v, size_t n, bool last) {
  put_str(b, "  \"");
  put_str(b, key);
  put_str(b, "\": \"0x");
  fpk_hex_encode(b->p + b->n, v, n);
  b->n += 2 * n;
  put_str(b, last ? "\"\n" : "\",\n");
}

static bool key_is_zero(const uint8_t k[32]) {
  for (int i = 0; i < 32; i++)
    if (k[i]) return false;
  return true;
}

int fpvm_mips64_proof_json(const fpvm_mips64_proof *p, uint64_t step, char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  /* Go's HasPreimage() is "key != 0"; a step that read nothing has a zero key in the witness. */
  bool oracle = p->has_oracle && !key_is_zero(p->oracle_key);
  bool value = oracle && p->oracle_value_len > 0 && p->oracle_value;
  bool offset = oracle && p->oracle_offset != 0;
  size_t cap = 512 + 2 * (32 + 32 + FPVM_MIPS64_WITNESS_SIZE + FPVM_MIPS64_PROOF_SIZE + 32);
  if (value) {
    if (p->oracle_value_len > (SIZE_MAX - cap) / 2) return fpk_errf(FPK_ENOMEM, "proof json: oracle value too large");
    cap += 2 * p->oracle_value_len;
  }
  outbuf b = {malloc(cap), 0};
  if (!b.p) return fpk_errf(FPK_ENOMEM, "proof json: out of memory");
  char num[32];
  put_str(&b, "{\n  \"step\": ");
  snprintf(num, sizeof num, "%" PRIu64, step);
  put_str(&b, num);
  put_str(&b, ",\n");
  put_hex_field(&b, "pre", p->pre_hash, 32, false);
  put_hex_field(&b, "post", p->post_hash, 32, false);
  put_hex_field(&b, "state-data", p->state_data, FPVM_MIPS64_WITNESS_SIZE, false);
  put_hex_field(&b, "proof-data", p->proof_data, FPVM_MIPS64_PROOF_SIZE, !oracle);
  if (oracle) {
    put_hex_field(&b, "oracle-key", p->oracle_key, 32, !value && !offset);
    if (value) put_hex_field(&b, "oracle-value", p->oracle_value, p->oracle_value_len, !offset);
    if (offset) {
      put_str(&b, "  \"oracle-offset\": ");
      snprintf(num, sizeof num, "%" PRIu64, p->oracle_offset);
      put_str(&b, num);
      put_str(&b, "\n");
    }
  }
  put_str(&b, "}\n\n");
  b.p[b.n] = 0;
  *out = b.p;
  *len = b.n;
  return FPK_OK;
}

int fpvm_mips64_proof_write_json(const fpvm_mips64_proof *p, uint64_t step, const char *path) {
  if (!path || !*path) return FPK_OK;
  char *txt;
  size_t n;
  int rc = fpvm_mips64_proof_json(p, step, &txt, &n);
  if (rc != FPK_OK) return rc;
  rc = fpvm_write_file(path, txt, n);
  free(txt);
  return rc;
}
